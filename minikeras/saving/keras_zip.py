"""The `.keras` archive (spec section 5): a zip of `metadata.json`, `config.json` and
`model.weights.h5`, entries stored uncompressed, in that order.

Reading never extracts anything to disk: only those three members are read, into memory, after
checking their declared sizes; other members (`assets/...`) are ignored.
"""

import datetime
import json
import zipfile
import zlib

from .hdf5_legacy import KERAS_VERSION, check_readable_file

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
MAX_JSON_BYTES = 64 * 2**20
MAX_WEIGHTS_BYTES = 2**36


def write(path, config, weights_bytes):
    """Writes the archive at `path` (the caller makes it atomic)."""
    from ..version import __version__

    metadata = {
        "keras_version": KERAS_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        "minikeras_version": __version__,
    }
    now = datetime.datetime.now().timetuple()[:6]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in (
            (METADATA, json.dumps(metadata).encode()),
            (CONFIG, json.dumps(config).encode()),
            (WEIGHTS, weights_bytes),
        ):
            info = zipfile.ZipInfo(name, date_time=now)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)


def _member(zf, infos, name, limit, label):
    info = infos.get(name)
    if info is None:
        return None
    if info.file_size > limit:
        raise ValueError(f"'{label}': member '{name}' declares {info.file_size} bytes; refused.")
    if (
        info.compress_type != zipfile.ZIP_STORED
        and info.file_size > 100 * info.compress_size + 2**20
    ):
        raise ValueError(
            f"'{label}': member '{name}' would expand {info.compress_size} bytes to "
            f"{info.file_size}; refused (Keras stores members uncompressed)."
        )
    with zf.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"'{label}': member '{name}' is larger than {limit} bytes; refused.")
    return data


def _missing_weights(label, infos):
    """Raises for an archive without a `model.weights.h5` file member (Keras 3 refuses it too:
    its archives always hold one, written even for a model without variables)."""
    if any(name.startswith(WEIGHTS + "/") for name in infos):
        found = f"'{WEIGHTS}' is a directory in the archive, not a file"
    else:
        found = f"it has no '{WEIGHTS}' member (members: {sorted(infos)[:10]})"
    raise ValueError(
        f"Cannot load '{label}': {found}. A .keras archive keeps the model's weights in "
        f"'{WEIGHTS}'; without it the model would load with freshly initialised weights. The "
        "archive is incomplete or was not written by Keras."
    )


def read(path):
    """`(metadata, config, weights_bytes)` of a `.keras` archive.

    Raises ValueError if the archive has no `model.weights.h5` file (as Keras 3 does).
    """
    check_readable_file(path, ".keras file")
    label = str(path)
    if not zipfile.is_zipfile(path):
        raise ValueError(
            f"'{label}' is not a .keras archive (not a zip file); it may be truncated or corrupted."
        )
    try:
        with zipfile.ZipFile(path, "r") as zf:
            infos = {}
            for info in zf.infolist():
                if info.filename in infos:
                    raise ValueError(f"'{label}': member '{info.filename}' appears twice; refused.")
                infos[info.filename] = info
            config_bytes = _member(zf, infos, CONFIG, MAX_JSON_BYTES, label)
            if config_bytes is None:
                raise ValueError(f"'{label}' has no {CONFIG}: it is not a Keras model archive.")
            metadata_bytes = _member(zf, infos, METADATA, MAX_JSON_BYTES, label)
            weights = _member(zf, infos, WEIGHTS, MAX_WEIGHTS_BYTES, label)
            if weights is None and "model.weights.npz" in infos:
                raise ValueError(
                    f"'{label}' stores its weights as .npz, which needs pickle to read; only "
                    "model.weights.h5 archives are supported."
                )
            if weights is None:
                _missing_weights(label, infos)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:  # zlib: corrupt deflate
        raise ValueError(
            f"Cannot read '{label}': the archive is truncated or corrupted ({e})."
        ) from None
    try:
        config = json.loads(config_bytes.decode("utf-8"))
        metadata = json.loads(metadata_bytes.decode("utf-8")) if metadata_bytes else {}
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise ValueError(f"'{label}': {CONFIG} or {METADATA} is not valid JSON ({e}).") from None
    if not isinstance(config, dict) or not isinstance(metadata, dict):
        raise ValueError(f"'{label}': {CONFIG} should hold a JSON object.")
    return metadata, config, weights
