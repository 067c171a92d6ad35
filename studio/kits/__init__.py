"""Brand kits: load and validate kit folders."""

from studio.kits.cache import cached_kit
from studio.kits.loader import KitError, list_kits, load_kit, load_kit_dir

__all__ = ["KitError", "cached_kit", "list_kits", "load_kit", "load_kit_dir"]
