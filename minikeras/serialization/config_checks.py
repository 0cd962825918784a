"""Checks applied to what a file asks for before anything is built or allocated.

* `check_config(tree)`: walks a whole config first: refuses Python bytecode (Lambda functions,
  `__lambda__` entries), layer names with '/', NUL or '..', and nesting deeper than MAX_DEPTH.
* `check_layer_config(cls, config)`: each config value has the type the layer's constructor
  takes, judged from the type of the argument's default (a `bool` default wants a bool, an
  `int` default an int or a list of ints, a `float` default a number, a `str` default a string
  or a serialized object) plus rules for arguments without defaults (`units`, `filters` must
  be positive ints; `activation` a string or serialized function; ...). A wrong type raises a
  ValueError naming the layer, the key, what was expected and what was received, where the
  layer itself might otherwise fail deep inside (a numba kernel, `AttributeError`, ...).
* `weight_budget(n)`: while loading a file, the weights that building the model creates may
  hold at most `n` elements in total (what the file's datasets hold, plus slack for state that
  is not saved). `charge_weight` is called by `Layer.add_weight` before it allocates, so a
  30 KB config asking for `units: 10**8` is refused before gigabytes are allocated.
* `file_errors(path)`: the last line of the loading contract: whatever a file causes leaves
  the loader as a ValueError (or OSError for I/O) that names the file.
"""

import contextlib
import functools
import inspect
import math
import threading
import zlib

from .registry import get_registered_object, is_subclass

_state = threading.local()


MAX_DEPTH = 200


# ---- names and safety checks ---------------------------------------------------------------------


def check_name(name, where="a layer"):
    """Layer names from files must be non-empty strings without '/', NUL or '..' tricks."""
    if not isinstance(name, str) or not name or len(name) > 1024:
        raise ValueError(f"Invalid name for {where}: {name!r} (expected a non-empty string).")
    if "/" in name or "\\" in name or "\x00" in name or name in (".", ".."):
        raise ValueError(
            f"Invalid name for {where}: {name!r}. Names must not contain '/', '\\' or NUL and "
            "must not be '.' or '..'; refusing the file."
        )
    return name


def _is_bytecode_lambda(cfg):
    fn = cfg.get("function")
    return (
        cfg.get("function_type") == "lambda"
        or isinstance(fn, (list, tuple))
        or (isinstance(fn, dict) and fn.get("class_name") == "__lambda__")
    )


def _bytecode_error(name):
    return ValueError(
        f"Refusing to load Lambda layer '{name}': its function is stored as Python bytecode, and "
        "loading it would run code taken from the file. minikeras never unmarshals or evaluates "
        "code (there is no switch to allow it, safe_mode=False included). Define the function "
        "in your own code and pass it by the layer's name: load_model(path, custom_objects="
        f"{{'{name}': my_function}}); or save the model again with a named function registered "
        "via keras.saving.register_keras_serializable()."
    )


def check_config(tree, custom_objects=None, depth=0):
    """Walks a whole config before anything is built: refuses bytecode and bad layer names."""
    if depth > MAX_DEPTH:
        raise ValueError(f"The config is nested more than {MAX_DEPTH} levels deep; refused.")
    if isinstance(tree, list):
        for item in tree:
            check_config(item, custom_objects, depth + 1)
        return
    if not isinstance(tree, dict):
        return
    if tree.get("class_name") == "__lambda__":
        raise ValueError(
            "Refusing to load a function stored as Python bytecode ('__lambda__'): minikeras "
            "never unmarshals or evaluates code. Pass the function in `custom_objects`."
        )
    cfg = tree.get("config")
    skip = ()
    if isinstance(tree.get("class_name"), str) and isinstance(cfg, dict):
        if "name" in cfg and isinstance(cfg.get("name"), str) and "inbound_nodes" in tree:
            check_name(cfg["name"])
        if "name" in tree and isinstance(tree["name"], str):
            check_name(tree["name"])
        if tree["class_name"] == "Lambda":
            name = cfg.get("name", "<unnamed>")
            provided = get_registered_object(str(name), custom_objects) is not None
            if _is_bytecode_lambda(cfg) and not provided:
                raise _bytecode_error(name)
            if provided:  # the caller's function replaces whatever the file holds
                cfg = {
                    k: v for k, v in cfg.items() if k not in ("function", "output_shape", "mask")
                }
            skip = ("config",)
            check_config(cfg, custom_objects, depth + 1)
    for key, value in tree.items():
        if key not in skip and isinstance(value, (dict, list)):
            check_config(value, custom_objects, depth + 1)


# ---- config types --------------------------------------------------------------------------

_POSITIVE_INT = (
    "units",
    "filters",
    "num_heads",
    "key_dim",
    "value_dim",
    "output_dim",
    "input_dim",
    "depth_multiplier",
    "num_tokens",
    "max_tokens",
    "groups",
    "num_bins",
    "lora_rank",
    "n_fft",
    "sequence_length",
    "hidden_dim",
    "intermediate_dim",
)
_NON_NEGATIVE_INT = ("num_oov_indices",)
_RATE = ("rate", "dropout", "recurrent_dropout")
_BOOL = (
    "return_sequences",
    "return_state",
    "go_backwards",
    "stateful",
    "unroll",
    "use_bias",
    "trainable",
    "time_major",
    "unit_forget_bias",
    "reset_after",
    "sparse",
    "ragged",
    "mask_zero",
    "use_scale",
    "causal",
)
_FUNCTION = ("activation", "recurrent_activation")
_SHAPE = ("batch_shape", "batch_input_shape", "input_shape", "shape", "target_shape")
# arguments whose default's type is narrower than what the layer accepts
_ANY = {
    "use_cudnn",
    "seed",
    "dtype",
    "name",
    "axis",
    "padding",
    "interpolation",
    "output_mode",
    "fill_mode",
    "data_format",
    "merge_mode",
    "implementation",
}
MAX_INT = 2**31 - 1


def _kind(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "dict"
    return type(value).__name__


def _fail(layer, cls_name, key, expected, value):
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    raise ValueError(
        f"Layer '{layer}' ({cls_name}): config key '{key}' must be {expected}; received "
        f"{shown} ({_kind(value)})."
    )


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _rule_applies(default, kinds):
    """Name rules hold where the layer's default agrees with them (Rescaling's `scale` is a
    float, BatchNormalization's a bool)."""
    return default is inspect.Parameter.empty or default is None or _kind(default) in kinds


def _check_one(layer, cls_name, key, value, default):
    if key in _POSITIVE_INT and _rule_applies(default, ("int",)):
        if value is None and default is None:
            return
        if not _is_int(value) or not 0 < value <= MAX_INT:
            _fail(layer, cls_name, key, f"a positive int (at most {MAX_INT})", value)
        return
    if key in _NON_NEGATIVE_INT and _rule_applies(default, ("int",)):
        if not _is_int(value) or not 0 <= value <= MAX_INT:
            _fail(layer, cls_name, key, f"a non-negative int (at most {MAX_INT})", value)
        return
    if key in _RATE and _rule_applies(default, ("int", "float")):
        if not (isinstance(value, (int, float)) and not isinstance(value, bool)) or not (
            0 <= value <= 1
        ):
            _fail(layer, cls_name, key, "a number between 0 and 1", value)
        return
    if key in _BOOL and _rule_applies(default, ("bool",)):
        if not isinstance(value, bool) and not (value is None and default is None):
            _fail(layer, cls_name, key, "a bool", value)
        return
    if key in _FUNCTION:
        if (
            value is not None
            and not isinstance(value, str)
            and not callable(value)
            and not (isinstance(value, dict) and isinstance(value.get("class_name"), str))
        ):
            _fail(layer, cls_name, key, "a function name or a serialized function", value)
        return
    if key in _SHAPE and _rule_applies(default, ("list",)):
        if value is None:
            return
        # Reshape's target_shape may hold one -1 (the inferred size), as in Keras 3
        lowest = -1 if key == "target_shape" else 0
        if (
            not isinstance(value, (list, tuple))
            or not all(d is None or (_is_int(d) and lowest <= d <= MAX_INT) for d in value)
            or (lowest == -1 and sum(1 for d in value if d == -1) > 1)
        ):
            what = (
                "a list of non-negative ints or nulls and at most one -1"
                if lowest == -1
                else "a list of non-negative ints or nulls"
            )
            _fail(layer, cls_name, key, what, value)
        return
    if key in _ANY or default is inspect.Parameter.empty or default is None or value is None:
        return
    if isinstance(default, bool):
        if not isinstance(value, bool):
            _fail(layer, cls_name, key, "a bool", value)
    elif isinstance(default, int):
        ok = _is_int(value) or (isinstance(value, (list, tuple)) and all(_is_int(v) for v in value))
        if not ok:
            _fail(layer, cls_name, key, "an int (or a list of ints)", value)
    elif isinstance(default, float):
        values = value if isinstance(value, (list, tuple)) else [value]
        ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        if not ok or any(isinstance(v, float) and not math.isfinite(v) for v in values):
            _fail(layer, cls_name, key, "a finite number (or a list of numbers)", value)
    elif isinstance(default, str):
        if not isinstance(value, (str, dict)):
            _fail(layer, cls_name, key, "a string (or a serialized object)", value)
    elif isinstance(default, (tuple, list)):
        if not isinstance(value, (list, tuple, int)) or isinstance(value, bool):
            _fail(layer, cls_name, key, "a list (or an int)", value)


@functools.lru_cache(maxsize=None)
def _defaults(cls):
    """`{argument: default}` of `cls.__init__` along its MRO (`**kwargs` followed upwards)."""
    out = {}
    for klass in reversed(cls.__mro__):
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        try:
            params = inspect.signature(init).parameters
        except (TypeError, ValueError):
            continue
        for name, p in params.items():
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                out[name] = p.default
    return out


def check_layer_config(cls, config, class_name=None):
    """Raises ValueError if a value of `config` has a type `cls`'s constructor cannot take."""
    if is_subclass(cls, "model") or not isinstance(config, dict):
        return
    cls_name = class_name or cls.__name__
    layer = config.get("name", "<unnamed>")
    defaults = _defaults(cls)
    for key, value in config.items():
        if (
            key in defaults
            or key in _POSITIVE_INT + _NON_NEGATIVE_INT + _RATE + _BOOL + _FUNCTION + _SHAPE
        ):
            _check_one(layer, cls_name, key, value, defaults.get(key, inspect.Parameter.empty))


# ---- bounding what building allocates ----------------------------------------------------------

SLACK = 2**20  # elements a model may create beyond what the file holds (seeds, counters, ...)


@contextlib.contextmanager
def weight_budget(elements, label):
    """Within the block, weights created may hold at most `elements` + slack elements."""
    outer = getattr(_state, "budget", None)
    _state.budget = [int(elements) + SLACK, label]
    try:
        yield
    finally:
        _state.budget = outer


def charge_weight(layer, name, shape):
    """Called before a weight is allocated; refuses it if the loading budget is exceeded."""
    budget = getattr(_state, "budget", None)
    if budget is None:
        return
    size = 1
    for d in shape:
        size *= int(d)
    budget[0] -= size
    if budget[0] < 0:
        raise ValueError(
            f"'{budget[1]}': building layer '{getattr(layer, 'name', layer)}' would create "
            f"weight '{name}' of shape {tuple(shape)}, more than all the weights the file holds "
            "together; the config does not match the file's weights (refused before "
            "allocating)."
        )


MAX_INPUT_ELEMENTS = 2**26  # per sample: a 4096 x 4096 RGB image is 2**25.6


def check_input_shape(name, shape):
    """While loading a file, refuses an input whose one sample exceeds MAX_INPUT_ELEMENTS:
    building the model traces its layers on such a sample (e.g. `batch_shape: [null, 10**8]`
    made a 30 KB file take minutes of FFTs)."""
    if getattr(_state, "budget", None) is None or not isinstance(shape, (list, tuple)):
        return
    size = 1
    for d in list(shape)[1:]:
        if isinstance(d, int) and not isinstance(d, bool):
            size *= max(d, 1)
    if size > MAX_INPUT_ELEMENTS:
        raise ValueError(
            f"'{_state.budget[1]}': input '{name}' has shape {list(shape)}, {size} elements per "
            f"sample; loading refuses more than {MAX_INPUT_ELEMENTS}."
        )


DEFAULT_BUDGET = 2**26  # elements, when a .keras archive holds no weights file to compare


# ---- the contract: errors name the file ---------------------------------------------------------


def _translate(path, e):
    label = str(path)
    if isinstance(e, MemoryError):
        return ValueError(
            f"Cannot load '{label}': loading it needs more memory than is available (the file "
            "asks for very large weights or values)."
        )
    if isinstance(e, (ValueError, OSError)) and not isinstance(e, zlib.error):
        if label in str(e) or (isinstance(e, OSError) and e.filename == label):
            return None
        if isinstance(e, (UnicodeError,)):
            return ValueError(f"Cannot load '{label}': the file holds invalid text ({e}).")
        if isinstance(e, OSError) and e.errno is None:  # libhdf5's read errors: corruption
            return ValueError(f"Cannot load '{label}': the file is truncated or corrupted ({e}).")
        if isinstance(e, OSError):
            return OSError(e.errno, f"Cannot load '{label}': {e.strerror or e}", label)
        return ValueError(f"Cannot load '{label}': {e}")
    if isinstance(e, RecursionError):
        return ValueError(f"Cannot load '{label}': its config is nested too deeply.")
    if type(e) is TypeError and str(e).startswith(f"Cannot load '{label}': Cannot build layer"):
        return None  # a custom layer's from_config refused its config: Keras 3 raises TypeError
    return ValueError(
        f"Cannot load '{label}': the file's config or weights are invalid "
        f"({type(e).__name__}: {e})."
    )


def file_errors(fn):
    """Decorator for loaders taking the path as the first or second argument: whatever a file
    causes surfaces as ValueError/OSError naming the file (the original chained as the cause).
    Programming errors of the caller (TypeError for a bad argument) are not concerned: only
    exceptions raised after the file has been opened are translated."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import os

        path = kwargs.get("filepath")
        if path is None:
            path = next((a for a in args[:2] if isinstance(a, (str, os.PathLike))), None)
        try:
            return fn(*args, **kwargs)
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except FileNotFoundError:
            raise
        except BaseException as e:  # noqa: BLE001 - translated, original chained
            if path is None:
                raise
            new = _translate(os.fspath(path), e)
            if new is None:
                raise
            raise new from e

    return wrapper
