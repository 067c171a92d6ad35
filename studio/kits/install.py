"""Install an uploaded kit (a zip or a folder): validate first, then copy into the kits folder.
Nothing is written to the kits folder unless the kit is valid."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from studio.config import get_settings
from studio.kits.assets import is_litter
from studio.kits.loader import KitError, LoadedKit, load_kit_dir
from studio.review.users import get_user

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_FILES = 2000


def _unpack(archive: Path, dest: Path) -> Path:
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_FILES or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise KitError(f"{archive.name}: archive too large (max {MAX_FILES} files, {MAX_UNPACKED_BYTES // 2**20} MB)")
            for member in members:
                target = (dest / member.filename).resolve()
                if not target.is_relative_to(dest.resolve()):
                    raise KitError(f"{archive.name}: entry '{member.filename}' would be written outside the kit folder")
            zf.extractall(dest)
    except zipfile.BadZipFile:
        raise KitError(f"{archive.name}: not a zip archive") from None
    found = sorted(dest.rglob("kit.yaml"), key=lambda p: len(p.parts))
    if not found:
        raise KitError(f"{archive.name}: no kit.yaml inside")
    return found[0].parent


def _litter(folder: str, names: list[str]) -> set[str]:
    return {name for name in names if is_litter(Path(name))}


def install_kit(source: Path, kits_dir: Path, *, by: str, replace: bool = False) -> LoadedKit:
    """Validate the kit in `source` (zip or folder) and copy it to kits_dir/<kit id>; `by` must manage kits."""
    get_user(by, get_settings().users_file).require("manage_kits")
    with tempfile.TemporaryDirectory() as tmp:
        root = _unpack(source, Path(tmp)) if source.is_file() else source
        try:
            loaded = load_kit_dir(root)
        except KitError as exc:
            # Name the file inside the upload ("brand.zip: kit.yaml:12: ..."), not the temporary folder.
            raise KitError(str(exc).replace(f"{root}/", f"{source.name}: ")) from None
        target = kits_dir / loaded.kit.id
        if target.exists() and not replace:
            raise KitError(f"kit '{loaded.kit.id}' already exists; replace it explicitly")
        staging = kits_dir / f".{loaded.kit.id}.incoming"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(root, staging, ignore=_litter)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    return load_kit_dir(target)
