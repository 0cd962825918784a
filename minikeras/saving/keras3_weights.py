"""The Keras 3 weights layout (`model.save_weights("x.weights.h5")`, spec section 4).

Groups are keyed by the object tree, not by layer names: `layers/<snake_case class>[_n]/vars/<i>`,
`layers/lstm/cell/vars/0`, `layers/time_distributed/layer/layers/dense/vars/0`,
`optimizer/vars/<i>`, and `vars/` for the root. `structure.walk_saveables` gives the paths;
this module reads and writes them. The same layout is `model.weights.h5` inside `.keras` files.
"""

import io
import warnings

import h5py
import numpy as np

from .hdf5_legacy import MAX_DATASET_BYTES, write_dataset
from .structure import _is_optimizer, describe, loads_by_layout, own_variables, walk_saveables


def write_store(h5file, root):
    """Writes every object's own variables below `h5file` (an open, writable h5py File)."""
    for path, obj in walk_saveables(root):
        group = h5file.create_group(f"{path}/vars" if path else "vars")
        group.attrs["name"] = str(obj.name)
        store = {}
        obj.save_own_variables(store)
        for key in sorted(store, key=lambda k: (len(k), k)):
            value = store[key]
            if not isinstance(value, np.ndarray):  # a Variable or Tensor (an array's .data is
                value = getattr(value, "data", value)  # its raw buffer, refused for bfloat16)
            write_dataset(group, str(key), value, keras3=True)


def write_file(model, path):
    """Writes `model`'s weights (and optimizer state) in the Keras 3 layout into `path` (a path
    or a file object)."""
    with h5py.File(path, "w") as f:
        write_store(f, model)


def to_bytes(model):
    """The Keras 3 weights file as bytes (for the `.keras` archive)."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        write_store(f, model)
    return buffer.getvalue()


def is_keras3_layout(h5):
    """True when the file has the Keras 3 layout (`vars`/`layers` groups, no `layer_names`)."""
    f = h5.file
    return "layer_names" not in f.attrs and ("vars" in f or "layers" in f or "optimizer" in f)


def _vars_group(h5, path):
    """The `vars` group for `path`, or None (Keras 2.13 files used another name for `layers`)."""
    full = f"{path}/vars" if path else "vars"
    group = h5.get(h5.file, full, "the weights file")
    if group is None and path.startswith("layers") and "_layer_checkpoint_dependencies" in h5.file:
        group = h5.get(h5.file, "_layer_checkpoint_dependencies" + full[6:], "the weights file")
    if group is not None and not isinstance(group, h5py.Group):
        raise ValueError(f"'{h5.label}': '{full}' should be a group.")
    return group


def _datasets(h5, group, full):
    if group is None:
        return {}
    out = {}
    for key in group:
        ds = group[key]
        if not isinstance(ds, h5py.Dataset):
            raise ValueError(f"'{h5.label}': '{full}/{key}' should be a dataset.")
        out[key] = ds
    return out


def plan(h5, root, skip_mismatch=False):
    """Checks the file against `root`'s objects; returns `[(object, {key: dataset})]`.

    Counts and shapes of every layer's variables are compared before anything is read. The
    optimizer (if any) is returned unchecked; `load_optimizer_state` decides about it.
    """
    out, used = [], set()
    for path, obj in walk_saveables(root):
        full = f"{path}/vars" if path else "vars"
        used.add(full)
        datasets = _datasets(h5, _vars_group(h5, path), full)
        if _is_optimizer(obj):
            out.append((obj, datasets))
            continue
        custom = not loads_by_layout(obj)
        expected = own_variables(obj)
        try:
            if custom:
                _check_custom(h5, datasets, full)
            else:
                _check(h5, obj, expected, datasets, full)
        except ValueError as e:
            if not skip_mismatch:
                raise
            warnings.warn(f"{e} Skipping it (skip_mismatch=True).", stacklevel=3)
            continue
        if datasets or expected:
            out.append((obj, datasets))
    extra = [p for p in _filled_vars_groups(h5) if p not in used and "seed_generator" not in p]
    extra = [p for p in extra if not p.startswith("optimizer/") and p != "optimizer/vars"]
    if extra:
        msg = (
            f"'{h5.label}' holds weights for objects model '{root.name}' does not have: "
            f"{extra[:10]}{' ...' if len(extra) > 10 else ''}. The architecture differs."
        )
        if not skip_mismatch:
            raise ValueError(msg)
        warnings.warn(msg + " Ignoring them (skip_mismatch=True).", stacklevel=3)
    return out


def _filled_vars_groups(h5):
    """Paths of every non-empty `vars` group (recorded by SafeH5's linear scan: h5py's
    `visititems` looks each object up by its full path, quadratic in the nesting depth)."""
    return list(h5.filled_vars_groups)


def _check(h5, obj, expected, datasets, full):
    keys = sorted(datasets, key=lambda k: (len(k), k))
    if keys != [str(i) for i in range(len(keys))]:
        raise ValueError(f"'{h5.label}': '{full}' holds unexpected entries {keys}.")
    if len(keys) != len(expected):
        raise ValueError(
            f"Weight count mismatch loading '{h5.label}': {describe(obj)} expects "
            f"{len(expected)} weights {[v.path for v in expected]}, '{full}' holds {len(keys)}."
        )
    for i, v in enumerate(expected):
        ds = datasets[str(i)]
        if tuple(ds.shape) != tuple(v.shape):
            raise ValueError(
                f"Shape mismatch loading '{h5.label}': weight '{v.path}' of {describe(obj)} "
                f"expects shape {tuple(v.shape)}, the file has shape {tuple(ds.shape)} at "
                f"'{full}/{i}'."
            )


def _check_custom(h5, datasets, full):
    for key, ds in datasets.items():
        size = int(np.prod(ds.shape, dtype=np.int64)) * ds.dtype.itemsize
        if size > MAX_DATASET_BYTES:
            raise ValueError(f"'{h5.label}': '{full}/{key}' declares {size} bytes; refused.")


def read(h5, planned):
    """Reads the planned datasets: `[(object, {key: array})]` (layers only)."""
    out = []
    for obj, datasets in planned:
        if _is_optimizer(obj):
            continue
        if loads_by_layout(obj):
            values = {
                str(i): h5.read(datasets[str(i)], v.shape, v.dtype, f"weight '{v.path}'")
                for i, v in enumerate(own_variables(obj))
            }
        else:
            values = {
                k: h5.read(ds, ds.shape, ds.dtype if ds.dtype.kind != "V" else "float32", k)
                for k, ds in datasets.items()
            }
        out.append((obj, values))
    return out


def optimizer_datasets(h5, planned):
    """`[(key, dataset)]` of the optimizer group in index order, or None."""
    for obj, datasets in planned:
        if _is_optimizer(obj):
            keys = sorted(datasets, key=lambda k: (len(k), k))
            if keys != [str(i) for i in range(len(keys))]:
                raise ValueError(f"'{h5.label}': 'optimizer/vars' holds unexpected entries {keys}.")
            return [(k, datasets[k]) for k in keys]
    return None
