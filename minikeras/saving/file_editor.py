"""`keras.saving.KerasFileEditor`: inspect and edit the weights of a `.keras` / `.weights.h5` file.

The weights become a nested dict keyed by the Keras 3 object paths with each object's `vars`
folded in: `{"layers": {"dense": {"0": kernel, "1": bias}}, "optimizer": {"0": ...}}`. Objects
are renamed, deleted or added and weights removed or added in that dict; `save` writes it back
in the Keras 3 layout (`<path>/vars/<name>`), atomically.

Reading goes through `SafeH5` (no links, external or virtual datasets, plugins; numeric data
only, each dataset at most `MAX_DATASET_BYTES`) and, for `.keras` archives, through
`keras_zip.read` (size-capped members, JSON config parsed, never executed).

Where minikeras differs from Keras 3.15.1 (on purpose):
* An object whose `vars` group is empty but which has child objects (an `LSTM`, whose weights
  live in `cell/vars`) is kept; Keras's editor drops it (and its weights) silently.
* `compare` counts each matching weight and each mismatch once; Keras 3.15.1 adds nested counts
  twice (a 3-`Dense` model reports 14 matches for its 6 weights).
* `save` also writes a `.keras` archive when the editor was opened on one (same config, same
  assets, edited weights); Keras only writes `.weights.h5`.
"""

import io
import os
import zipfile

import h5py
import numpy as np

from ..utils import atomic
from . import keras_zip
from .hdf5_legacy import MAX_DATASET_BYTES, SafeH5, write_dataset
from .structure import walk_saveables

_ASSETS = "assets/"
_MAX_ASSET_BYTES = 2**31


class KerasFileEditor:
    """Inspects, edits and resaves the weights of a Keras 3 `.keras` or `.weights.h5` file.

    Useful for adapting a saved weights file to a changed architecture (a renamed, removed or
    added layer). Opening a file prints its path (and, for `.keras`, the Keras version and date
    it was saved with), as Keras does.

    Args:
        filepath: path of a `.keras` or `.weights.h5` file.

    Attributes:
        weights_dict: the nested dict of weights (numpy arrays) being edited.
        config: the model config of a `.keras` file (a dict), else None.
        metadata: the `metadata.json` of a `.keras` file (a dict), else None.

    >>> import os, tempfile, numpy as np, minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
    >>> model.save_weights(path)
    >>> editor = keras.saving.KerasFileEditor(path)  # doctest: +ELLIPSIS
    Keras model file '...m.weights.h5'
    >>> editor.add_weights("dense", {"2": np.zeros(2, "float32")})
    >>> sorted(editor.weights_dict["layers"]["dense"])
    ['0', '1', '2']
    >>> editor.delete_weight("layers/dense", "2")
    >>> editor.compare(model)["status"]  # doctest: +ELLIPSIS
    Running comparison
    ...
    'success'
    """

    def __init__(self, filepath):
        self.filepath = os.fspath(filepath)
        self.config = None
        self.metadata = None
        self.model = None
        if self.filepath.endswith(".keras"):
            self.metadata, self.config, weights = keras_zip.read(self.filepath)
            source, label = weights, f"{self.filepath} (model.weights.h5)"
        elif self.filepath.endswith(".weights.h5"):
            source, label = self.filepath, self.filepath
        else:
            raise ValueError(
                "Invalid filename: expected a `.keras` or `.weights.h5` extension. "
                f"Received: filepath={self.filepath}"
            )
        with SafeH5(source, label=label) as h5:
            self.object_metadata = {}
            self.weights_dict = _read_group(h5, h5.file, "", self.object_metadata)
        print(f"Keras model file '{self.filepath}'")
        if self.metadata is not None:
            version = self.metadata.get("keras_version")
            print(f"Saved with Keras {version} - date: {self.metadata.get('date_saved')}")

    # -- looking --------------------------------------------------------------------------------
    def summary(self):
        """Prints the tree of objects and weights (name, shape, dtype), as Keras does."""
        print("Weights structure")
        _print_tree(self.weights_dict, prefix="  ", first=True)

    def weights_summary(self):
        """Same as `summary()` (the name Keras's error messages point to)."""
        self.summary()

    def compare(self, reference_model):
        """Lists every difference between the file's weights and `reference_model`'s.

        Args:
            reference_model: a built model (its weights and optimizer variables, by Keras 3
                object path, are what the file is compared with).

        Returns:
            A dict `{"status": "success" | "error", "error_count": int, "match_count": int}`:
            the number of mismatches (missing objects or weights, shape differences) and of
            weights present in both with the same shape.
        """
        print("Running comparison")
        spec = weight_spec(reference_model)
        counts = {"errors": 0, "matches": 0}
        checked = set()
        _compare(self.weights_dict, spec, "", "saved file", "reference model", counts, checked)
        _compare(spec, self.weights_dict, "", "reference model", "saved file", counts, checked)
        errors, matches = counts["errors"], counts["matches"]
        print("─────────────────────")
        if errors == 0:
            print("Comparison successful: saved file is compatible with the reference model")
            print(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print(
                f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not "
                "compatible with the reference model"
            )
        return {
            "status": "success" if errors == 0 else "error",
            "error_count": errors,
            "match_count": matches,
        }

    # -- editing --------------------------------------------------------------------------------
    def rename_object(self, object_name, new_name):
        """Renames an object (e.g. a layer's group).

        Args:
            object_name: the object's name, if unique in the file (`"dense_2"`), or its path
                (`"layers/dense_2"`).
            new_name: the new leaf name (no `/`).
        """
        if "/" in str(new_name):
            raise ValueError(
                "Argument `target_name` should be a leaf name, not a full path name. "
                f"Received: target_name='{new_name}'"
            )
        for parent, key in self._locate(object_name):
            if new_name in parent:
                raise ValueError(
                    f"Cannot rename '{object_name}' to '{new_name}': an entry named "
                    f"'{new_name}' already exists there."
                )
            parent[new_name] = parent.pop(key)

    def delete_object(self, object_name):
        """Removes an object (e.g. a layer) and all its weights.

        Args:
            object_name: the object's unique name (`"dense_2"`) or path (`"layers/dense_2"`).
        """
        for parent, key in self._locate(object_name):
            del parent[key]

    def add_object(self, object_path, weights):
        """Adds an object with its weights.

        Args:
            object_path: full path of the new object (`"layers/dense_2"`); every folder above
                it must exist.
            weights: dict of weight name -> array, e.g. `{"0": kernel, "1": bias}`.
        """
        _check_weights(weights)
        parts = str(object_path).split("/")
        parent = self.weights_dict
        for part in parts[:-1]:
            if not isinstance(parent.get(part), dict):
                raise ValueError(f"Path '{'/'.join(parts[:-1])}' not found in model.")
            parent = parent[part]
        parent[parts[-1]] = dict(weights)

    def delete_weight(self, object_name, weight_name):
        """Removes one weight (e.g. `"1"`, a bias) from an object.

        Args:
            object_name: the object's unique name or its path.
            weight_name: the weight's name in the object.
        """
        for parent, key in self._locate(object_name):
            target = parent[key]
            if not isinstance(target, dict) or weight_name not in target:
                found = list(target) if isinstance(target, dict) else []
                raise ValueError(
                    f"Weight {weight_name} not found in object {object_name}. "
                    f"Weights found: {found}"
                )
            del target[weight_name]

    def add_weights(self, object_name, weights):
        """Adds (or replaces) weights of an existing object.

        Args:
            object_name: the object's unique name or its path.
            weights: dict of weight name -> array.
        """
        _check_weights(weights)
        for parent, key in self._locate(object_name):
            if not isinstance(parent[key], dict):
                raise ValueError(f"'{object_name}' is a weight, not an object.")
            parent[key].update(weights)

    # -- saving ---------------------------------------------------------------------------------
    def save(self, filepath):
        """Writes the edited weights to `filepath`, atomically.

        Args:
            filepath: a `.weights.h5` path (Keras 3 layout: `<path>/vars/<weight>`), or, when the
                editor was opened on a `.keras` archive, a `.keras` path: the archive's config
                and assets with the edited weights.
        """
        filepath = os.fspath(filepath)
        if filepath.endswith(".keras") and self.config is not None:
            weights = _weights_bytes(self.weights_dict)
            with atomic.atomic_write(filepath) as tmp:
                keras_zip.write(tmp, self.config, weights)
                _copy_assets(self.filepath, tmp)
            return
        if not filepath.endswith(".weights.h5"):
            raise ValueError(
                "Invalid `filepath` argument: expected a `.weights.h5` extension"
                f"{' (or .keras, for an editor opened on a .keras file)' if self.config else ''}."
                f" Received: filepath={filepath}"
            )
        data = _weights_bytes(self.weights_dict)
        with atomic.atomic_write(filepath) as tmp, open(tmp, "wb") as f:
            f.write(data)

    def resave_weights(self, filepath):
        """Same as `save(filepath)`."""
        self.save(filepath)

    def _locate(self, name):
        """`[(parent_dict, key)]` of the object called `name` (a path, or a name found exactly
        once anywhere in the tree)."""
        name = str(name)
        if "/" in name:
            parts = name.split("/")
            parent = self.weights_dict
            for part in parts[:-1]:
                if not isinstance(parent.get(part), dict):
                    raise ValueError(f"Path '{name}' not found in model.")
                parent = parent[part]
            if parts[-1] not in parent:
                raise ValueError(f"Path '{name}' not found in model.")
            return [(parent, parts[-1])]
        found = []

        def visit(d):
            for key, value in d.items():
                if key == name:
                    found.append((d, key))
                if isinstance(value, dict):
                    visit(value)

        visit(self.weights_dict)
        if len(found) > 1:
            raise ValueError(
                f"Name '{name}' occurs more than once in the model; try passing a complete path"
            )
        if not found:
            raise ValueError(
                f"Source name '{name}' does not appear in the model. Use "
                "`editor.weights_summary()` to list all objects."
            )
        return found


def _check_weights(weights):
    if not isinstance(weights, dict):
        raise ValueError(
            "Argument `weights` should be a dict where keys are weight names (usually '0', '1', "
            f"etc.) and values are NumPy arrays. Received: type(weights)={type(weights)}"
        )


def _read_group(h5, group, path, metadata):
    """The nested dict of `group`: its `vars` datasets and its non-empty child objects."""
    out = {}
    for key in group:
        child = group[key]
        where = f"{path}/{key}"
        if isinstance(child, h5py.Dataset):
            out[key] = _read_dataset(h5, child, where)
            continue
        if key == "vars":
            if child.attrs:
                metadata[path or "/"] = {k: h5.attr(child, k) for k in child.attrs if k == "name"}
            out.update(_read_group(h5, child, path, metadata))
            continue
        value = _read_group(h5, child, where, metadata)
        if value:  # objects without weights (Flatten, InputLayer) are not listed, as in Keras
            out[key] = value
    return out


def _read_dataset(h5, ds, where):
    size = int(np.prod(ds.shape, dtype=np.int64)) * ds.dtype.itemsize
    if size > MAX_DATASET_BYTES:
        raise ValueError(
            f"'{h5.label}': dataset '{where}' declares {size} bytes (limit "
            f"{MAX_DATASET_BYTES}); refused."
        )
    dtype = ds.dtype if ds.dtype.kind != "V" else np.dtype("float32")  # bfloat16 -> float32
    return h5.read(ds, ds.shape, dtype, f"dataset '{where}'")


def _print_tree(tree, prefix, first=False):
    items = list(tree.items())
    for i, (key, value) in enumerate(items):
        last = i == len(items) - 1
        connector = "> " if first else ("└─ " if last else "├─ ")
        if isinstance(value, dict):
            print(f"{prefix}{connector}{key}")
            _print_tree(value, prefix + ("    " if last else "│   "))
        else:
            value = np.asarray(value)
            print(f"{prefix}{connector}{key}: shape={value.shape}, dtype={value.dtype}")
        first = False


def weight_spec(model):
    """`{path parts...: {weight name: shape}}` of `model`'s saved variables (Keras 3 paths)."""
    spec = {}
    for path, obj in walk_saveables(model):
        store = {}
        obj.save_own_variables(store)
        if not store:
            continue
        node = spec
        for part in path.split("/") if path else []:
            node = node.setdefault(part, {})
        for key in sorted(store):
            node[key] = tuple(np.shape(getattr(store[key], "data", store[key])))
    return spec


def _compare(target, reference, path, target_name, ref_name, counts, checked):
    """Walks `reference`, reporting what `target` lacks or has in another shape."""
    for key, ref in reference.items():
        where = f"{path}/{key}"
        if where in checked:
            continue
        if key not in target:
            counts["errors"] += 1
            checked.add(where)
            kind = "Object" if isinstance(ref, dict) else "Weight"
            print(f"...{kind} {where} present in {ref_name}, missing from {target_name}")
            if isinstance(ref, dict):
                print(f"    In {ref_name}, {where} contains the following keys: {list(ref)}")
        elif isinstance(ref, dict) or isinstance(target[key], dict):
            if isinstance(ref, dict) and isinstance(target[key], dict):
                _compare(target[key], ref, where, target_name, ref_name, counts, checked)
            else:
                counts["errors"] += 1
                checked.add(where)
                print(
                    f"...{where} is an object in one of {ref_name}/{target_name}, a weight in the other"
                )
        else:
            checked.add(where)
            ref_shape, target_shape = _shape(ref), _shape(target[key])
            if ref_shape != target_shape:
                counts["errors"] += 1
                print(f"...Weight shape mismatch for {where}")
                print(f"    In {ref_name}: shape={ref_shape}")
                print(f"    In {target_name}: shape={target_shape}")
            else:
                counts["matches"] += 1


def _shape(value):
    return value if isinstance(value, tuple) else tuple(np.shape(value))


def _weights_bytes(tree):
    """The Keras 3 `.weights.h5` file of `tree` (built in memory: libhdf5 never writes to disk,
    so a full disk raises OSError at the plain file write)."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        _write_group(f, tree, "")
    return buffer.getvalue()


def _write_group(f, tree, path):
    values = {k: v for k, v in tree.items() if not isinstance(v, dict)}
    if values:
        group = f.create_group(f"{path}/vars" if path else "vars")
        for key, value in values.items():
            write_dataset(group, str(key), value, keras3=True)
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            _write_group(f, value, f"{path}/{key}" if path else key)


def _copy_assets(source, archive):
    """Copies the `assets/...` members of the `.keras` file `source` into `archive`."""
    with zipfile.ZipFile(source, "r") as src:
        infos = [i for i in src.infolist() if i.filename.startswith(_ASSETS) and not i.is_dir()]
        if not infos:
            return
        with zipfile.ZipFile(archive, "a", compression=zipfile.ZIP_STORED) as dst:
            for info in infos:
                if info.file_size > _MAX_ASSET_BYTES:
                    raise ValueError(
                        f"'{source}': asset '{info.filename}' declares {info.file_size} bytes; "
                        "refused."
                    )
                with src.open(info) as f:
                    dst.writestr(info.filename, f.read(_MAX_ASSET_BYTES + 1))
