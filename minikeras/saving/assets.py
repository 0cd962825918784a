"""Layer assets in the `.keras` archive: files a layer writes with `save_assets(dir)` (an adapted
`StringLookup` / `TextVectorization` vocabulary), stored as Keras 3 does under
`assets/<object path>/<file>` (e.g. `assets/layers/text_vectorization/vocabulary.txt`), and given
back to `load_assets(dir)` on loading. The object paths are those of the weights file.
"""

import os
import tempfile
import zipfile

from .structure import walk_saveables

PREFIX = "assets/"
MAX_ASSET_BYTES = 2**31


def _with_assets(root, method):
    return [(path, obj) for path, obj in walk_saveables(root) if hasattr(obj, method)]


def append_to_archive(archive, model):
    """Adds every layer's assets to the (just written) `.keras` zip `archive`."""
    owners = _with_assets(model, "save_assets")
    if not owners:
        return
    with zipfile.ZipFile(archive, "a", compression=zipfile.ZIP_STORED) as zf:
        for path, obj in owners:
            with tempfile.TemporaryDirectory() as tmp:
                obj.save_assets(tmp)
                for name in sorted(os.listdir(tmp)):
                    with open(os.path.join(tmp, name), "rb") as f:
                        zf.writestr(f"{PREFIX}{path}/{name}", f.read())


def load_from_archive(archive, model):
    """Hands each layer the asset files stored under its path in `archive`."""
    owners = _with_assets(model, "load_assets")
    if not owners:
        return
    with zipfile.ZipFile(archive, "r") as zf:
        infos = [i for i in zf.infolist() if i.filename.startswith(PREFIX)]
        for path, obj in owners:
            folder = f"{PREFIX}{path}/"
            # only the files directly in this object's folder; names never leave the temp dir
            mine = [
                i
                for i in infos
                if i.filename.startswith(folder)
                and "/" not in i.filename[len(folder) :]
                and i.filename[len(folder) :]
            ]
            # an object with no files still gets its (empty) folder: as in Keras 3, a missing
            # asset (an adapted vocabulary) is an error, not a layer silently left unadapted
            with tempfile.TemporaryDirectory() as tmp:
                for info in mine:
                    if info.file_size > MAX_ASSET_BYTES:
                        raise ValueError(
                            f"'{archive}': asset '{info.filename}' declares "
                            f"{info.file_size} bytes; refused."
                        )
                    name = os.path.basename(info.filename[len(folder) :])
                    if name in ("", ".", ".."):
                        continue
                    with zf.open(info) as src, open(os.path.join(tmp, name), "wb") as dst:
                        dst.write(src.read(MAX_ASSET_BYTES + 1))
                try:
                    obj.load_assets(tmp)
                except OSError as e:
                    raise ValueError(
                        f"Cannot load '{archive}': the assets of '{path}' are missing or "
                        f"unreadable ({type(e).__name__}: {os.path.basename(str(e.filename))})."
                    ) from None
