"""Legacy Keras HDF5 files and the hardened HDF5 reader every loader goes through.

Formats (spec sections 1-3): the full-model file of `model.save("m.h5")` (root attributes
`model_config`/`training_config`, groups `model_weights/` and `optimizer_weights/`) and the
weights-only file of Keras 2's `save_weights("w.h5")` (the `model_weights` group at the root).
Weights are paired with layers *by position* and stored trainable-first.

`SafeH5` opens files read-only and, before anything is read, walks every link and checks it:
external links, soft links, virtual or externally stored datasets, filter plugins, object
references and non-numeric datasets are refused; attribute sizes are capped; group nesting
and object counts are bounded and the scan is linear in the number of objects (it records what
later steps need, such as the non-empty `vars` groups, so nothing walks the file again); a
dataset is read only after its declared shape equals the expected weight's shape.
This module and keras3_weights.py are the only ones importing h5py.
"""

import io
import json
import os
import warnings

import h5py
import numpy as np

from . import hdf5_heap
from .structure import legacy_weights, weighted_layers

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
KERAS_VERSION = "3.15.1"  # the Keras file format minikeras writes (spec: Keras 3.15.1)
BACKEND = "numpy"
MAX_ATTR_BYTES = 16 * 2**20  # model configs of large models are a few hundred KB
MAX_ATTR_ITEMS = 2**20
MAX_OBJECTS = 2**21
MAX_DEPTH = 512  # group nesting; Keras files of deeply nested models stay below 50
MAX_DATASET_BYTES = 2**31  # only for datasets whose expected shape is not known in advance
_ATTR_SPLIT_LIMIT = 64512  # Keras splits name lists whose fixed-length form is larger
_FILTERS = {
    h5py.h5z.FILTER_DEFLATE,
    h5py.h5z.FILTER_SHUFFLE,
    h5py.h5z.FILTER_FLETCHER32,
    h5py.h5z.FILTER_SZIP,
    h5py.h5z.FILTER_NBIT,
    h5py.h5z.FILTER_SCALEOFFSET,
    32000,
}


def _has_signature(head):
    for offset in (0, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536):
        if head[offset : offset + 8] == HDF5_SIGNATURE:
            return True
    return False


def is_hdf5(path):
    """True if the file at `path` starts with an HDF5 signature (possibly after a user block)."""
    try:
        with open(path, "rb") as f:
            return _has_signature(f.read(65544))
    except OSError:
        return False


def check_readable_file(path, what="file"):
    """Raises FileNotFoundError / ValueError unless `path` is an existing regular file."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such {what}: '{path}'.")
    if not os.path.isfile(path):
        raise ValueError(f"'{path}' is not a regular file, so it cannot be loaded as a {what}.")


class SafeH5:
    """A read-only HDF5 file checked for everything a Keras file never contains.

    Args:
        source: a path, or the bytes of an HDF5 file (a `.keras` archive member).
        label: how messages name the file.
    """

    def __init__(self, source, label=None):
        self.label = label or str(source)
        if isinstance(source, (bytes, bytearray)):
            if not _has_signature(bytes(source[:65544])):
                raise ValueError(f"'{self.label}' is not an HDF5 file (no HDF5 signature).")
            target = io.BytesIO(source)
        else:
            check_readable_file(source, "HDF5 file")
            if not is_hdf5(source):
                raise ValueError(
                    f"'{self.label}' is not an HDF5 file (no HDF5 signature found); expected a "
                    "Keras .h5 / .weights.h5 file."
                )
            target = source
        # libhdf5 hangs forever on some damaged string heaps: refuse those before opening
        if target is source:
            hdf5_heap.check_file(source, self.label)
        else:
            hdf5_heap.check(source, self.label)
        try:
            self.file = h5py.File(target, "r", locking=False)
        except (OSError, ValueError) as e:
            raise ValueError(
                f"Cannot open '{self.label}' as HDF5: the file is truncated or corrupted ({e})."
            ) from None
        try:
            self._scan()
        except BaseException:
            self.file.close()
            raise

    def close(self):
        """Closes the file."""
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def refuse(self, path, why):
        """Raises the ValueError for an unsafe or unsupported object at `path`."""
        raise ValueError(f"Refusing to load '{self.label}': {why} (at '{path}').")

    # -- the structural scan (reads metadata only) ------------------------------------------
    def _scan(self):
        """One pass over the links (h5l.visit) and one over the objects (h5o.visit): libhdf5
        walks the tree itself, each group once, so the work is linear in the file's objects
        (h5py's `visititems`/`group[name]` resolve every object by its full path instead)."""
        self.total_elements = 0  # of all datasets: bounds what loading may allocate
        self.filled_vars_groups = []  # paths of non-empty `vars` groups (Keras 3 layout)
        problems, count = [], [0]

        def visit_link(name, info):
            count[0] += 1
            path = "/" + name.decode("utf-8", "replace")
            if count[0] > MAX_OBJECTS:
                problems.append((path, f"more than {MAX_OBJECTS} objects"))
            elif name.count(b"/") >= MAX_DEPTH:
                problems.append((path[:200] + "...", f"groups nested more than {MAX_DEPTH} deep"))
            elif info.type == h5py.h5l.TYPE_EXTERNAL:
                link = self.file.get(name, getlink=True)
                problems.append((path, f"external link to '{link.filename}:{link.path}'"))
            elif info.type == h5py.h5l.TYPE_SOFT:
                link = self.file.get(name, getlink=True)
                problems.append((path, f"soft link to '{link.path}'"))
            elif info.type != h5py.h5l.TYPE_HARD:
                problems.append((path, "a user-defined link type"))
            return True if problems else None  # a non-None value stops the visit

        def visit_object(name, info):
            if name == b".":
                return None
            path = "/" + name.decode("utf-8", "replace")
            if info.num_attrs or info.type == h5py.h5o.TYPE_DATASET or name.endswith(b"vars"):
                obj = self.file[name]
                if info.num_attrs:
                    self._check_attrs(obj, path)
                if isinstance(obj, h5py.Dataset):
                    self._check_dataset(obj, path)
                elif path.endswith("/vars") and len(obj):
                    self.filled_vars_groups.append(path[1:])
            return None

        try:
            self.file.id.links.visit(visit_link, info=True)
            if problems:
                self.refuse(*problems[0])
            self._check_attrs(self.file, "/")  # h5o.visit skips the root group
            h5py.h5o.visit(self.file.id, visit_object, info=True)
        except (OSError, RuntimeError, KeyError) as e:
            raise ValueError(
                f"Cannot read '{self.label}': the file is truncated or corrupted ({e})."
            ) from None
        self.filled_vars_groups.sort()

    def _check_attrs(self, obj, path):
        for name in obj.attrs:
            aid = obj.attrs.get_id(name)
            dt, n = aid.dtype, int(np.prod(aid.shape or ()))
            where = f"{path} @{name}"
            if n > MAX_ATTR_ITEMS:
                self.refuse(where, f"an attribute with {n} items")
            if h5py.check_ref_dtype(dt) is not None:
                self.refuse(where, "an object-reference attribute")
            if h5py.check_string_dtype(dt) is None and dt.kind not in "biuf":
                self.refuse(where, f"an attribute of unsupported dtype {dt}")
            if dt.kind != "O" and n * dt.itemsize > MAX_ATTR_BYTES:
                self.refuse(where, f"an attribute of {n * dt.itemsize} bytes")

    def _check_dataset(self, ds, path):
        dt = ds.dtype
        self.total_elements += int(ds.size or 0)
        if h5py.check_ref_dtype(dt) is not None:
            self.refuse(path, "a dataset of object references")
        bf16 = dt.kind == "V" and dt.itemsize == 2 and dt.fields is None
        if dt.kind not in "biufc" and not bf16:  # c: complex64/complex128 weights, as Keras
            self.refuse(path, f"a dataset of non-numeric dtype {dt}")
        dcpl = ds.id.get_create_plist()
        if dcpl.get_layout() == h5py.h5d.VIRTUAL:
            self.refuse(path, "a virtual dataset (its data lives in other files)")
        if dcpl.get_external_count():
            self.refuse(path, "a dataset stored in external files")
        for i in range(dcpl.get_nfilters()):
            code = dcpl.get_filter(i)[0]
            if code not in _FILTERS:
                self.refuse(path, f"a dataset using HDF5 filter {code} (a plugin)")

    # -- reading -----------------------------------------------------------------------------
    def get(self, group, relpath, where):
        """The object at `relpath` below `group` (hard links only), or None if absent."""
        parts = relpath.split("/")
        if any(p in ("", ".", "..") for p in parts):
            raise ValueError(
                f"'{self.label}': invalid name {relpath!r} in {where}; names must not contain "
                "empty, '.' or '..' components."
            )
        obj = group
        for p in parts:
            if not isinstance(obj, h5py.Group) or p not in obj:
                return None
            obj = obj[p]
        return obj

    def attr(self, obj, name):
        """A string attribute (str, bytes or numpy.bytes_) as str, or None if absent."""
        if name not in obj.attrs:
            return None
        try:
            value = obj.attrs[name]
        except (OSError, RuntimeError) as e:
            raise ValueError(f"Cannot read attribute '{name}' of '{self.label}': {e}") from None
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        if isinstance(value, (bytes, np.bytes_)):
            try:
                value = bytes(value).decode("utf-8")
            except UnicodeDecodeError as e:
                raise ValueError(
                    f"'{self.label}': attribute '{name}' is not valid UTF-8 text ({e})."
                ) from None
        if not isinstance(value, str):
            raise ValueError(
                f"'{self.label}': attribute '{name}' should be a string, found {type(value).__name__}."
            )
        if len(value) > MAX_ATTR_BYTES:
            raise ValueError(
                f"'{self.label}': attribute '{name}' is larger than {MAX_ATTR_BYTES} bytes."
            )
        return value

    def json_attr(self, obj, name):
        """A JSON string attribute, parsed; None if absent."""
        text = self.attr(obj, name)
        if text is None:
            return None
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as e:
            raise ValueError(
                f"'{self.label}': attribute '{name}' is not valid JSON ({e})."
            ) from None

    def names(self, obj, name):
        """A list-of-names attribute, joining split `NAME0`, `NAME1`, ...; None if absent."""
        if name in obj.attrs:
            values = [obj.attrs[name]]
        elif f"{name}0" in obj.attrs:
            values, i = [], 0
            while f"{name}{i}" in obj.attrs:
                values.append(obj.attrs[f"{name}{i}"])
                i += 1
        else:
            return None
        out = []
        for value in values:  # an empty list reads back as an empty float64 array: no items
            for item in np.asarray(value, dtype=object).reshape(-1):
                if isinstance(item, (bytes, np.bytes_)):
                    item = bytes(item).decode("utf-8")
                if not isinstance(item, str):
                    raise ValueError(
                        f"'{self.label}': attribute '{name}' should list names, found {item!r}."
                    )
                out.append(item)
        return out

    def read(self, ds, shape, dtype, what):
        """Reads dataset `ds` after checking it has exactly `shape`; returns it as `dtype`."""
        if not isinstance(ds, h5py.Dataset):
            raise ValueError(f"'{self.label}': {what} is not a dataset.")
        if tuple(ds.shape) != tuple(shape):
            raise ValueError(
                f"'{self.label}': {what} has shape {tuple(ds.shape)}, expected {tuple(shape)}."
            )
        try:
            if ds.dtype.kind == "V":  # bfloat16 stored as 2 opaque bytes: widen to float32
                raw = np.frombuffer(ds[()].tobytes(), dtype="<u2").astype("<u4") << 16
                value = raw.view("<f4").reshape(ds.shape)
            else:
                value = ds[()]
        except (OSError, RuntimeError, TypeError) as e:
            raise ValueError(
                f"Cannot read {what} from '{self.label}': the file is truncated or corrupted ({e})."
            ) from None
        value = np.asarray(value)
        if value.shape != tuple(shape):
            raise ValueError(f"'{self.label}': {what} read back with shape {value.shape}.")
        return value.astype(dtype, copy=False)


def write_dataset(group, name, value, keras3=False):
    """Creates dataset `name` holding `value`. bfloat16 (no HDF5 type) is stored as Keras stores
    it: two opaque bytes per value, plus, in the Keras 3 layout, a `dtype` attribute naming it."""
    value = np.asarray(value)
    if value.dtype.name != "bfloat16":
        return group.create_dataset(name, data=value)
    ds = group.create_dataset(name, data=value.view(np.uint16).view("V2"))
    if keras3:
        ds.attrs["dtype"] = "bfloat16"
    return ds


def keras_version_of(h5, group=None):
    """`keras_version` of the file (None if absent, meaning Keras 1)."""
    version = h5.attr(h5.file, "keras_version")
    if version is None and group is not None:
        version = h5.attr(group, "keras_version")
    return version


def is_keras2_version(version):
    """True for files written by Keras 1/2 (or with no version, as very old files)."""
    if version is not None and not isinstance(version, str):
        raise ValueError(f"keras_version should be a string like '3.15.1'; received {version!r}.")
    return version is None or version.split(".")[0] in ("1", "2")


# ---- reading the layer groups ------------------------------------------------------------------


class LayerEntry:
    """One entry of `layer_names`: the group name and its `(weight name, dataset)` pairs."""

    def __init__(self, name, weights):
        self.name, self.weights = name, weights


def read_layer_entries(h5, group, where):
    """The `layer_names` entries of a legacy weights group, in file order."""
    layer_names = h5.names(group, "layer_names")
    if layer_names is None:
        raise ValueError(
            f"'{h5.label}' has no 'layer_names' attribute in {where}: it is not a Keras HDF5 "
            "weights file."
        )
    entries = []
    for name in layer_names:
        if "/" in name or name in ("", ".", ".."):
            raise ValueError(f"'{h5.label}': invalid layer name {name!r} in layer_names.")
        g = h5.get(group, name, where)
        if not isinstance(g, h5py.Group):
            raise ValueError(f"'{h5.label}': layer '{name}' is listed but has no group.")
        entries.append(LayerEntry(name, _weights_of(h5, g, f"layer '{name}'")))
    top = group.get("top_level_model_weights") if "top_level_model_weights" in group else None
    top_weights = _weights_of(h5, top, "top_level_model_weights") if top is not None else []
    return entries, top_weights


def _weights_of(h5, g, where):
    names = h5.names(g, "weight_names") or []
    out = []
    for wn in names:
        ds = h5.get(g, wn, where)
        if not isinstance(ds, h5py.Dataset):
            raise ValueError(f"'{h5.label}': weight '{wn}' of {where} is missing from the file.")
        out.append((wn, ds))
    return out


def _describe(layer):
    return f"layer '{layer.name}' ({type(layer).__name__})"


def plan_positional(h5, model, entries, top_weights, skip_mismatch=False):
    """Pairs file groups with `model`'s weighted layers by position; checks counts and shapes.

    Returns `[(variable, dataset, what)]`; raises ValueError describing the first mismatch
    (with `skip_mismatch`, mismatching layers are skipped with a warning instead).
    """
    layers = weighted_layers(model)
    filled = [e for e in entries if e.weights]
    if len(layers) != len(filled):
        raise ValueError(
            f"Layer count mismatch loading '{h5.label}' into model '{model.name}': the file holds "
            f"weights for {len(filled)} layers {[e.name for e in filled]}, the model has "
            f"{len(layers)} layers with weights {[l.name for l in layers]}."
        )
    plan = []
    for layer, entry in zip(layers, filled):
        plan += _plan_layer(h5, layer, entry, skip_mismatch)
    own = list(model._own_variables)
    if len(own) != len(top_weights):
        raise ValueError(
            f"'{h5.label}': model '{model.name}' owns {len(own)} weights itself, the file's "
            f"top_level_model_weights holds {len(top_weights)}."
        )
    plan += _pair(h5, own, top_weights, "top_level_model_weights", model, skip_mismatch)
    return plan


def plan_by_name(h5, model, entries, skip_mismatch=False):
    """Pairs file groups with `model.layers` of the same name; unmatched names are ignored."""
    by_name = {layer.name: layer for layer in model.layers}
    plan = []
    for entry in entries:
        layer = by_name.get(entry.name)
        if layer is None or not entry.weights:
            continue
        plan += _plan_layer(h5, layer, entry, skip_mismatch)
    return plan


def _plan_layer(h5, layer, entry, skip_mismatch):
    expected = legacy_weights(layer)
    if len(expected) != len(entry.weights):
        msg = (
            f"Weight count mismatch loading '{h5.label}': {_describe(layer)} expects "
            f"{len(expected)} weights {[v.path for v in expected]}, the file's group "
            f"'{entry.name}' holds {len(entry.weights)} {[n for n, _ in entry.weights]}."
        )
        if skip_mismatch:
            warnings.warn(msg + " Skipping this layer (skip_mismatch=True).", stacklevel=4)
            return []
        raise ValueError(msg)
    return _pair(h5, expected, entry.weights, f"group '{entry.name}'", layer, skip_mismatch)


def _pair(h5, variables, weights, where, layer, skip_mismatch):
    plan = []
    for v, (wn, ds) in zip(variables, weights):
        if tuple(ds.shape) != tuple(v.shape):
            msg = (
                f"Shape mismatch loading '{h5.label}': weight '{v.path}' of {_describe(layer)} "
                f"expects shape {tuple(v.shape)}, the file has shape {tuple(ds.shape)} "
                f"('{wn}' in {where})."
            )
            if skip_mismatch:
                warnings.warn(msg + " Skipping this layer (skip_mismatch=True).", stacklevel=5)
                return []
            raise ValueError(msg)
        plan.append((v, ds, f"weight '{wn}' of {where}"))
    return plan


def read_plan(h5, plan):
    """Reads every planned dataset (shapes already checked) into `[(variable, array)]`."""
    return [(v, h5.read(ds, v.shape, v.dtype, what)) for v, ds, what in plan]


def read_optimizer_weights(h5):
    """`[(name, dataset)]` of `optimizer_weights`, or None if the file has none."""
    if "optimizer_weights" not in h5.file:
        return None
    return _weights_of(h5, h5.file["optimizer_weights"], "optimizer_weights")


# ---- writing -----------------------------------------------------------------------------------


def _write_names(obj, name, names):
    """Writes a list of names as Keras does (vlen strings; split into NAME0.. when huge)."""
    encoded = [n.encode("utf-8") for n in names]
    width = max((len(b) for b in encoded), default=0)
    if len(encoded) * width <= _ATTR_SPLIT_LIMIT:
        obj.attrs[name] = list(names)
        return
    per_chunk = max(1, _ATTR_SPLIT_LIMIT // max(width, 1))
    for i in range(0, len(encoded), per_chunk):
        obj.attrs[f"{name}{i // per_chunk}"] = np.array(encoded[i : i + per_chunk])


def _check_name(name, what):
    if not isinstance(name, str) or "/" in name or name in ("", ".", ".."):
        raise ValueError(f"Cannot save {what} named {name!r}: names must not contain '/'.")


def _weight_names(layer, weights):
    """Unique dataset names `<layer>/<sublayer>.../<weight>` for one layer group."""
    prefix = {id(layer): layer.name}
    for parent in layer._flatten_layers():
        for child in parent._sublayers():
            prefix.setdefault(id(child), f"{prefix[id(parent)]}/{child.name}")
    used, out = set(), []
    for v in weights:
        owner = getattr(v, "_layer", None)
        base = f"{prefix.get(id(owner), layer.name)}/{v.name}"
        base = "/".join(p if p not in ("", ".", "..") else "_" for p in base.split("/"))
        name, k = base, 1
        while name in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        out.append(name)
    return out


def write_weights_group(group, model):
    """Writes the `model_weights` layout (or a Keras 2 weights-only file's root) for `model`."""
    group.attrs["backend"] = BACKEND
    group.attrs["keras_version"] = KERAS_VERSION
    names = [layer.name for layer in model.layers]
    for n in names:
        _check_name(n, "a layer")
    if len(set(names)) != len(names) or "top_level_model_weights" in names:
        raise ValueError(
            f"Cannot save model '{model.name}': its layer names are not unique: {names}"
        )
    _write_names(group, "layer_names", names)
    for layer in model.layers:
        g = group.create_group(layer.name)
        weights = legacy_weights(layer)
        wnames = _weight_names(layer, weights)
        _write_names(g, "weight_names", wnames)
        for wn, v in zip(wnames, weights):
            write_dataset(g, wn, v.data)
    top = group.create_group("top_level_model_weights")
    own = list(model._own_variables)
    tnames = [f"{model.name}/{v.name}" for v in own]
    _write_names(top, "weight_names", tnames)
    for wn, v in zip(tnames, own):
        write_dataset(top, wn, v.data)


def write_weights_file(model, path):
    """Keras 2 weights-only `.h5` (spec 3) into `path` (a path or a file object; `api` passes
    an in-memory buffer and writes its bytes atomically)."""
    with h5py.File(path, "w") as f:
        write_weights_group(f, model)


def write_model_file(model, path, model_config, training_config=None, optimizer=None):
    """Legacy full-model `.h5` (spec 2) into `path` (a path or a file object); `optimizer` adds
    `optimizer_weights`."""
    from ..version import __version__

    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = KERAS_VERSION
        f.attrs["backend"] = BACKEND
        f.attrs["minikeras_version"] = __version__
        f.attrs["model_config"] = json.dumps(model_config)
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(training_config)
        write_weights_group(f.create_group("model_weights"), model)
        if optimizer is not None:
            g = f.create_group("optimizer_weights")
            used, names = set(), []
            for v in optimizer.variables:
                base = "/".join(p if p not in ("", ".", "..") else "_" for p in v.path.split("/"))
                name, k = base, 1
                while name in used:
                    name, k = f"{base}_{k}", k + 1
                used.add(name)
                names.append(name)
            _write_names(g, "weight_names", names)
            for name, v in zip(names, optimizer.variables):
                write_dataset(g, name, v.data)
