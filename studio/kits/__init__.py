"""Brand kits: load and validate kit folders."""

from studio.kits.loader import KitError, list_kits, load_kit, load_kit_dir

__all__ = ["KitError", "list_kits", "load_kit", "load_kit_dir"]
