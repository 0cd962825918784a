"""Saving and loading entry points (`model.save`, `keras.models.load_model`, ...).

Formats: `.keras` (Keras 3 zip), legacy full-model `.h5`, Keras 3 `.weights.h5`, Keras 2
weights-only `.h5`. Every write goes through `atomic.atomic_write`; HDF5 files are built in memory
first and written with plain file writes, so a full disk raises `OSError` (ENOSPC) naming the
path instead of failing inside libhdf5 (which crashes the process). Every load reads and checks
the whole file before a single weight is assigned; `load_model` fills a fresh model, and
`load_weights` restores the previous values if assigning fails half way.
"""

import contextlib
import io
import json
import os
import warnings
import zipfile

from ..models import functional_config
from ..serialization import config_checks, registry
from ..serialization import keras_objects as serialization
from ..utils import atomic
from . import (
    assets,
    hdf5_legacy,
    keras2_compat,
    keras3_weights,
    keras_zip,
    legacy_config,
)
from .hdf5_legacy import SafeH5


def _loading_budget(weights, label):
    """`config_checks.weight_budget` for a model about to be built from a file: the elements of
    the weights file `weights` (bytes of a `.keras` member, an open `SafeH5`, or None when the
    archive holds no weights: then `config_checks.DEFAULT_BUDGET`)."""
    if weights is None:
        return config_checks.weight_budget(config_checks.DEFAULT_BUDGET, label)
    if isinstance(weights, SafeH5):
        return config_checks.weight_budget(weights.total_elements, label)
    with SafeH5(weights, label=f"{label} (model.weights.h5)") as h5:
        return config_checks.weight_budget(h5.total_elements, label)


_LOSS_NAMES = {
    "mse": "mean_squared_error",
    "MSE": "mean_squared_error",
    "mae": "mean_absolute_error",
    "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "MSLE": "mean_squared_logarithmic_error",
    "kld": "kl_divergence",
    "KLD": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh",
    "huber_loss": "huber",
}


# ---- saving ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _reporting_write_errors(filepath):
    """Re-raises an OSError of the write (a full disk, a quota, ...) naming `filepath`.

    The errno is kept (`OSError(errno, ...)` picks the same subclass), so callers can test
    `e.errno == errno.ENOSPC`. Errors that already name the target pass through unchanged.
    """
    try:
        yield
    except OSError as e:
        if e.errno is None or e.filename == filepath:
            raise
        raise OSError(
            e.errno,
            f"Cannot save '{filepath}': {e.strerror or e}. Nothing was written; the previous "
            "file (if any) is unchanged",
            filepath,
        ) from e


def _h5_in_memory(write):
    """Runs `write(file_object)` (an HDF5 writer) on an in-memory file; returns the BytesIO.

    libhdf5 then never writes to disk itself: an error it meets while writing (ENOSPC) can
    crash the process when the file is closed. One in-memory copy of the file is the cost.
    """
    buffer = io.BytesIO()
    write(buffer)
    return buffer


def _write_atomically(filepath, overwrite, buffer):
    """Writes the bytes of `buffer` to `filepath` through the atomic writer."""
    with _reporting_write_errors(filepath), atomic.atomic_write(filepath, overwrite) as tmp:
        with open(tmp, "wb") as f, buffer.getbuffer() as view:
            f.write(view)


def save_model(model, filepath, overwrite=True, include_optimizer=True, **kwargs):
    """Saves a whole model: `.keras` (Keras 3 archive) or `.h5`/`.hdf5` (legacy HDF5).

    Args:
        model: the model.
        filepath: path ending in `.keras`, `.h5` or `.hdf5`.
        overwrite: if False and the file exists, raise `FileExistsError`.
        include_optimizer: store the compile settings and optimizer state (legacy `.h5`).
        for_tf_keras: legacy `.h5` only. By default the file is one that tf.keras 2 and Keras 3
            both load when the model allows it, and one Keras 3 loads when it does not (a layer
            given tensors besides its first argument, e.g. `MultiHeadAttention(q, v)`, or a
            functional model nested in another). `for_tf_keras=True` writes such graphs the way
            tf.keras 2 reads them instead (Keras 3 then cannot load the file; minikeras can).

    The file is written to a temp file beside the target and moved over it atomically.
    """
    filepath = os.fspath(filepath)
    save_format = kwargs.pop("save_format", None)
    kwargs.pop("zipped", None)
    for_tf_keras = bool(kwargs.pop("for_tf_keras", False))
    if kwargs:
        raise TypeError(f"save() got unexpected keyword arguments {sorted(kwargs)}.")
    if save_format in ("h5", "hdf5") or filepath.endswith((".h5", ".hdf5")):
        return _save_legacy(model, filepath, overwrite, include_optimizer, for_tf_keras)
    if for_tf_keras:
        raise ValueError(
            f"for_tf_keras=True applies to legacy .h5 files only; received filepath={filepath}"
        )
    if save_format in (None, "keras") and filepath.endswith(".keras"):
        return _save_keras(model, filepath, overwrite)
    raise ValueError(
        "Invalid filepath extension for saving: use `.keras` (the Keras 3 format) or `.h5` "
        f"(legacy HDF5). Received: filepath={filepath}"
    )


def _warn_anonymous_functions(model):
    """Lambda layers are saved by function name; an anonymous lambda has none."""
    for layer in model._flatten_layers():
        fn = getattr(layer, "function", None)
        if type(layer).__name__ == "Lambda" and getattr(fn, "__name__", "") == "<lambda>":
            warnings.warn(
                f"Lambda layer '{layer.name}' wraps an anonymous lambda, which is saved without "
                "its code. Load the file with custom_objects={'" + layer.name + "': function}, "
                "or use a named function registered with "
                "keras.saving.register_keras_serializable().",
                stacklevel=4,
            )


def _save_keras(model, filepath, overwrite):
    _warn_anonymous_functions(model)
    with serialization.ObjectSharingScope() as sharing:  # Keras 3: shared objects keep one id
        config = sharing.finish(serialization.serialize_keras_object(model))
    if getattr(model, "compiled", False):
        config["compile_config"] = _compile_config(model)
    weights = keras3_weights.to_bytes(model)
    with _reporting_write_errors(filepath), atomic.atomic_write(filepath, overwrite) as tmp:
        keras_zip.write(tmp, config, weights)
        assets.append_to_archive(tmp, model)  # adapted vocabularies, as Keras 3's assets/


def _save_legacy(model, filepath, overwrite, include_optimizer, for_tf_keras=False):
    from ..models import Functional, Sequential

    if not isinstance(model, (Functional, Sequential)):
        raise NotImplementedError(
            f"Saving the subclassed model '{model.name}' to legacy HDF5 is not supported (its "
            "architecture has no config Keras can rebuild). Save it as `.keras`, or save its "
            "weights with save_weights()."
        )
    _warn_anonymous_functions(model)
    config = legacy_config.legacy_h5_model_config(model, for_tf_keras)
    compiled = include_optimizer and getattr(model, "compiled", False) and model.optimizer
    training_config = _training_config(model) if compiled else None
    optimizer = model.optimizer if compiled else None
    buffer = _h5_in_memory(
        lambda f: hdf5_legacy.write_model_file(model, f, config, training_config, optimizer)
    )
    _write_atomically(filepath, overwrite, buffer)


def save_weights(model, filepath, overwrite=True, **kwargs):
    """Saves the weights: `.weights.h5` (Keras 3 layout) or `.h5` (Keras 2 layout)."""
    filepath = os.fspath(filepath)
    kwargs.pop("save_format", None)
    if kwargs:
        raise TypeError(f"save_weights() got unexpected keyword arguments {sorted(kwargs)}.")
    if filepath.endswith(".weights.h5"):
        writer = keras3_weights.write_file
    elif filepath.endswith((".h5", ".hdf5")):
        writer = hdf5_legacy.write_weights_file
    else:
        raise ValueError(
            "The filename must end in `.weights.h5` (Keras 3 layout) or `.h5` (Keras 2 layout). "
            f"Received: filepath={filepath}"
        )
    _write_atomically(filepath, overwrite, _h5_in_memory(lambda f: writer(model, f)))


def _full_loss_name(loss):
    if isinstance(loss, str):
        return _LOSS_NAMES.get(loss, loss)
    if isinstance(loss, (list, tuple)):
        return [_full_loss_name(x) for x in loss]
    if isinstance(loss, dict):
        return {k: _full_loss_name(v) for k, v in loss.items()}
    return serialization.serialize_keras_object(loss)


def _compile_args(model, full_loss_names=True):
    cc = dict(model.get_compile_config() or {})
    loss = cc.get("loss")
    return {
        "loss": _full_loss_name(loss) if full_loss_names else _serialize_loss(loss),
        "loss_weights": cc.get("loss_weights"),
        "metrics": serialization.serialize_keras_object(cc.get("metrics")),
        "weighted_metrics": serialization.serialize_keras_object(cc.get("weighted_metrics")),
        "run_eagerly": bool(cc.get("run_eagerly") or False),
        "steps_per_execution": cc.get("steps_per_execution", 1),
        "jit_compile": False,
    }


def _serialize_loss(loss):
    if loss is None or isinstance(loss, str):
        return loss
    if isinstance(loss, (list, tuple)):
        return [_serialize_loss(x) for x in loss]
    if isinstance(loss, dict):
        return {k: _serialize_loss(v) for k, v in loss.items()}
    return serialization.serialize_keras_object(loss)


def _compile_config(model, full_loss_names=True):
    """The compile arguments as saved; `to_json` keeps loss names as given (as Keras 3)."""
    from .. import optimizers

    optimizer = optimizers.serialize(model.optimizer) if model.optimizer is not None else None
    return {"optimizer": optimizer, **_compile_args(model, full_loss_names)}


def _training_config(model):
    opt = model.optimizer
    return {
        **_compile_args(model),
        "optimizer_config": {
            "class_name": type(opt).__name__,
            "config": keras2_compat.keras2_optimizer_config(opt.get_config()),
        },
    }


# ---- loading -----------------------------------------------------------------------------------


def _is_zip(path):
    if hdf5_legacy.is_hdf5(path):
        return False
    return path.endswith(".keras") or zipfile.is_zipfile(path)


@config_checks.file_errors
def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by minikeras, Keras 3 or Keras 2 (`.keras` or `.h5`).

    Args:
        filepath: the file.
        custom_objects: name -> class/function for user layers, losses, Lambda functions, ...
        compile: compile the model with the saved settings (and restore the optimizer state).
        safe_mode: accepted for Keras compatibility; loading never runs code from the file.

    Returns:
        The model, with its weights (and optimizer state) loaded.
    """
    filepath = os.fspath(filepath)
    hdf5_legacy.check_readable_file(filepath, "model file")
    if _is_zip(filepath):
        return _load_keras(filepath, custom_objects, compile)
    if hdf5_legacy.is_hdf5(filepath):
        return _load_legacy(filepath, custom_objects, compile)
    raise ValueError(
        f"Cannot load '{filepath}': it is neither a .keras archive nor an HDF5 file (it may be "
        "truncated, or a TensorFlow SavedModel, which minikeras does not read)."
    )


def _load_keras(filepath, custom_objects, compile):
    metadata, config, weights = keras_zip.read(filepath)
    if hdf5_legacy.is_keras2_version(metadata.get("keras_version", "3")):
        keras2_compat.translate_config(config)
    serialization.check_config(config, custom_objects)
    with registry.loading_scope(custom_objects):
        try:
            with (
                serialization.ObjectSharingScope(),
                _loading_budget(weights, filepath),
            ):
                model = serialization.deserialize_layer(config, custom_objects, build=True)
        except (ValueError, TypeError) as e:
            raise type(e)(f"Cannot load '{filepath}': {e}") from None
        if compile and config.get("compile_config"):
            cc = dict(config["compile_config"])
            _compile(model, cc.pop("optimizer", None), cc, False, filepath)
        with SafeH5(weights, label=f"{filepath} (model.weights.h5)") as h5:
            _load_keras3_layout(model, h5, False)
        assets.load_from_archive(filepath, model)
    return model


def _load_legacy(filepath, custom_objects, compile):
    with SafeH5(filepath) as h5:
        config = h5.json_attr(h5.file, "model_config")
        if config is None:
            raise ValueError(
                f"No model found in '{filepath}': it holds weights only. Build the model in code "
                "and call model.load_weights() on it."
            )
        keras2 = hdf5_legacy.is_keras2_version(hdf5_legacy.keras_version_of(h5))
        if keras2:
            keras2_compat.translate_config(config)
        serialization.check_config(config, custom_objects)
        with registry.loading_scope(custom_objects):
            try:
                with _loading_budget(h5, filepath):
                    model = serialization.deserialize_layer(config, custom_objects)
            except (ValueError, TypeError) as e:
                raise type(e)(f"Cannot load '{filepath}': {e}") from None
            group = h5.get(h5.file, "model_weights", "the file")
            if group is None:
                raise ValueError(f"'{filepath}' has a model config but no model_weights group.")
            entries, top = hdf5_legacy.read_layer_entries(h5, group, "model_weights")
            entries = keras2_compat.absorb_discretization_summaries(h5, model, entries)
            plan = hdf5_legacy.plan_positional(h5, model, entries, top)
            _assign(hdf5_legacy.read_plan(h5, plan))
            training = h5.json_attr(h5.file, "training_config") if compile else None
            if training:
                if keras2:
                    for key in ("metrics", "weighted_metrics"):
                        training[key] = keras2_compat.translate_metrics(training.get(key))
                if _compile(model, training.get("optimizer_config"), training, keras2, filepath):
                    saved = hdf5_legacy.read_optimizer_weights(h5)
                    _load_optimizer(model, h5, saved, keras2)
    return model


@config_checks.file_errors
def load_weights(model, filepath, skip_mismatch=False, by_name=False, **kwargs):
    """Loads weights into `model` from `.weights.h5`, legacy `.h5` or `.keras` files.

    Args:
        model: a built model.
        filepath: the file (any Keras 2/3 layout; detected from the contents).
        skip_mismatch: skip layers whose weight counts or shapes differ (with a warning).
        by_name: legacy `.h5` only: match layers by name instead of by position.

    Nothing is assigned unless the whole file matches the model.
    """
    filepath = os.fspath(filepath)
    hdf5_legacy.check_readable_file(filepath, "weights file")
    if _is_zip(filepath):
        _, _, weights = keras_zip.read(filepath)  # raises if model.weights.h5 is missing
        with SafeH5(weights, label=f"{filepath} (model.weights.h5)") as h5:
            return _load_keras3_layout(model, h5, skip_mismatch)
    with SafeH5(filepath) as h5:
        if keras3_weights.is_keras3_layout(h5):
            if by_name:
                raise ValueError(
                    f"by_name=True works with legacy .h5 weights only; '{filepath}' uses the "
                    "Keras 3 layout, which is matched by structure."
                )
            return _load_keras3_layout(model, h5, skip_mismatch)
        group = h5.file
        if "model_weights" in h5.file and "layer_names" not in h5.file.attrs:
            group = h5.file["model_weights"]
        entries, top = hdf5_legacy.read_layer_entries(h5, group, "the weights file")
        entries = keras2_compat.absorb_discretization_summaries(h5, model, entries, by_name)
        if by_name:
            plan = hdf5_legacy.plan_by_name(h5, model, entries, skip_mismatch)
        else:
            plan = hdf5_legacy.plan_positional(h5, model, entries, top, skip_mismatch)
        _assign(hdf5_legacy.read_plan(h5, plan))


def _load_keras3_layout(model, h5, skip_mismatch):
    planned = keras3_weights.plan(h5, model, skip_mismatch)
    values = keras3_weights.read(h5, planned)
    saved = keras3_weights.optimizer_datasets(h5, planned)
    snapshot = [(v, v.data.copy()) for v in model.weights]
    try:
        for obj, store in values:
            obj.load_own_variables(store)
    except BaseException:
        for v, old in snapshot:
            v.data[...] = old
        raise
    if saved is not None and getattr(model, "optimizer", None) is not None:
        _load_optimizer(model, h5, saved, keras2=False)


def _assign(pairs):
    snapshot = [(v, v.data.copy()) for v, _ in pairs]
    try:
        for v, value in pairs:
            v.data[...] = value
    except BaseException:
        for v, old in snapshot:
            v.data[...] = old
        raise


# ---- compile and optimizer state ---------------------------------------------------------------


def _deserialize_all(value):
    if isinstance(value, list):
        return [_deserialize_all(v) for v in value]
    if isinstance(value, dict) and "class_name" not in value:
        return {k: _deserialize_all(v) for k, v in value.items()}
    if isinstance(value, dict):
        return serialization._deserialize(value, None, 0)
    return value


def _compile(model, optimizer_config, args, keras2, filepath):
    """Compiles a loaded model; on failure warns (as Keras does) and returns False."""
    from .. import optimizers

    try:
        optimizer = optimizers.deserialize(optimizer_config) if optimizer_config else "rmsprop"
        model.compile(
            optimizer=optimizer,
            loss=_deserialize_all(args.get("loss")),
            metrics=_deserialize_all(args.get("metrics")),
            weighted_metrics=_deserialize_all(args.get("weighted_metrics")),
            loss_weights=args.get("loss_weights"),
        )
    except Exception as e:  # noqa: BLE001 - reported, the weights are loaded anyway
        warnings.warn(
            f"'{filepath}': compile() was not called as part of loading because the saved "
            f"training configuration could not be applied ({type(e).__name__}: {e}). The model "
            "is loaded uncompiled; call compile() yourself.",
            stacklevel=4,
        )
        return False
    return True


def _load_optimizer(model, h5, saved, keras2):
    """Restores optimizer variables; mismatches are warned about and skipped (as Keras does)."""
    optimizer = model.optimizer
    if optimizer is None or not saved:
        return
    base = len(type(optimizer).from_config(optimizer.get_config()).variables)
    if not optimizer.built and len(saved) > base:
        optimizer.build(model.trainable_weights)
    targets = list(optimizer.variables)
    pairs = None
    if len(saved) == len(targets):
        pairs = list(zip(targets, saved))
    elif keras2 and len(saved) == len(targets) - 1 and base >= 2:
        pairs = [(targets[0], saved[0])] + list(zip(targets[2:], saved[1:]))  # no learning_rate
    elif len(saved) == base and len(targets) > base:
        pairs = list(zip(targets[:base], saved))  # saved before the first step: no slots yet
    problem = None
    if pairs is None:
        problem = f"the file has {len(saved)} optimizer variables, the optimizer has {len(targets)}"
    else:
        for v, (name, ds) in pairs:
            if tuple(ds.shape) != tuple(v.shape):
                problem = f"'{name}' has shape {tuple(ds.shape)}, expected {tuple(v.shape)}"
                break
    if problem:
        warnings.warn(
            f"Skipping optimizer state from '{h5.label}': {problem}. Training restarts the "
            "optimizer from scratch.",
            stacklevel=4,
        )
        return
    _assign(
        [
            (v, h5.read(ds, v.shape, v.dtype, f"optimizer weight '{name}'"))
            for v, (name, ds) in pairs
        ]
    )


# ---- JSON and cloning --------------------------------------------------------------------------


def model_to_json(model, **kwargs):
    """The model's architecture as JSON (`keras.models.model_from_json` reads it back)."""
    config = serialization.serialize_keras_object(model)
    if hasattr(model, "get_compile_config"):  # Keras 3 writes it, {} for an uncompiled model
        config["compile_config"] = _compile_config(model, False) if model.compiled else {}
    return json.dumps(config, **kwargs)


def model_from_json(json_string, custom_objects=None):
    """A model with fresh weights from `model.to_json()` output (Keras 2 or 3 JSON)."""
    try:
        config = json.loads(json_string)
    except (TypeError, ValueError, RecursionError) as e:
        raise ValueError(f"model_from_json: the string is not valid JSON ({e}).") from None
    if not isinstance(config, dict):
        raise ValueError("model_from_json: expected a JSON object with 'class_name' and 'config'.")
    if "keras_version" in config and hdf5_legacy.is_keras2_version(str(config["keras_version"])):
        keras2_compat.translate_config(config)
    serialization.check_config(config, custom_objects)
    with registry.loading_scope(custom_objects):
        model = serialization.deserialize_layer(config, custom_objects, build=True)
        if config.get("compile_config"):  # Keras 3 compiles what to_json wrote compiled
            cc = dict(config["compile_config"])
            _compile(model, cc.pop("optimizer", None), cc, False, "the JSON config")
    return model


def clone_model(model, input_tensors=None, clone_function=None):
    """A new model with the same architecture and freshly initialised weights.

    Args:
        model: a Functional or Sequential model (subclassed models are rebuilt from config).
        input_tensors: `keras.Input` tensors to build the clone on, instead of new ones.
        clone_function: `layer -> new layer` (default: `layer.__class__.from_config(
            layer.get_config())`); not applied to InputLayers.
    """
    from ..layers.node import KerasTensor
    from ..models import Functional, Sequential

    if clone_function is None:

        def clone_function(layer):
            return layer.__class__.from_config(layer.get_config())

    if isinstance(model, Sequential):
        layers = [clone_function(layer) for layer in model.layers]
        first = []
        if input_tensors is not None:
            tensors = input_tensors if isinstance(input_tensors, (list, tuple)) else [input_tensors]
            if len(tensors) != 1 or not isinstance(tensors[0], KerasTensor):
                raise ValueError("A Sequential model is cloned on exactly one keras.Input tensor.")
            first = [tensors[0]]
        elif model._input_layer is not None:
            from ..layers.core_layers.input_layer import Input

            spec = model._input_layer
            first = [Input(batch_shape=spec.batch_shape, dtype=spec.dtype)]
        return Sequential(first + layers, name=model.name, trainable=model.trainable)
    if isinstance(model, Functional):
        by_name = {layer.name: layer for layer in model.layers}
        config = functional_config.functional_config(model)

        def layer_fn(entry):
            return clone_function(by_name[entry["name"]])

        return functional_config.functional_from_config(
            config, input_tensors=input_tensors, layer_fn=layer_fn
        )
    return serialization.deserialize_layer(serialization.serialize_layer(model), build=True)
