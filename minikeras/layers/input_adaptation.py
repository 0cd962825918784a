"""How `Layer.__call__` adapts what it is called on: numpy arrays and Python values become
Tensors, float tensors take the layer's compute dtype (autocast), and output masks are attached."""

import numpy as np

from ..core import dtypes
from ..core.ops._base import EAGER_TYPES
from ..core.tensor import Tensor
from ..core.variable import Variable
from .call_context import describe
from .node import KerasTensor, flatten, map_structure

_PLAIN_TYPES = EAGER_TYPES - {np.ndarray}


def is_float_dtype(dt):
    """Whether numpy dtype `dt` is a float, bfloat16 included (numpy gives ml_dtypes' types the
    kind "V")."""
    return dt.kind == "f" or (dt.kind == "V" and dtypes.is_float(dt))


def plain_values(kwargs):
    """Whether every keyword argument is already a tensor or a plain Python value (so the call
    needs neither the symbolic check nor array conversion)."""
    for v in kwargs.values():
        if type(v) not in _PLAIN_TYPES:
            return False
    return True


def arrays_to_tensors(structure, layer):
    """numpy arrays anywhere in `structure` become Tensors and float tensors take the layer's
    dtype (Keras 3 converts every array argument); Python values stay as they are."""

    def convert(v):
        if isinstance(v, np.ndarray) and not isinstance(v, Tensor):
            if v.dtype.kind not in "biuf" and not is_float_dtype(v.dtype):
                return v
            return to_tensors(v, layer)
        if (
            isinstance(v, Tensor)
            and layer.autocast
            and is_float_dtype(v.dtype)
            and v.dtype != layer._compute_dtype
            and not isinstance(v, Variable)
        ):
            return to_tensors(v, layer)
        return v

    return map_structure(convert, structure)


def _python_number(v):
    """A Python int, float, complex or bool (not a numpy scalar, which is an array-like)."""
    return isinstance(v, (int, float, complex)) and not isinstance(v, np.generic)


def check_positional_inputs(layer, inputs):
    """`inputs` (already through `to_tensors`) with Keras 3's rules for non-array values.

    Python strings (except for the layers that take text) and numbers are refused with Keras's
    ValueError: to Keras a nested list of numbers is a structure of non-tensors, not an array;
    `None` too, unless an optional input spec or a model takes it. The preprocessing layers
    that Keras 3 builds on its `DataLayer` (`_converts_python_values`: `Rescaling`, the random
    augmentations, ...) take Python numbers and nested lists of them as arrays instead."""
    if getattr(layer, "_takes_python_values", False):
        return inputs
    specs = layer.input_spec if isinstance(layer.input_spec, (list, tuple)) else [layer.input_spec]
    optional = any(getattr(spec, "optional", False) for spec in specs)
    if inputs is None and not optional and not getattr(layer, "_takes_none", False):
        raise ValueError(  # Keras 3's message
            f"Inputs to a layer should be tensors. Got 'None' (of type {type(None)}) as input "
            f"for layer '{layer.name}'."
        )
    leaves = flatten(inputs)
    numbers = [v for v in leaves if _python_number(v)]
    if numbers and getattr(layer, "_converts_python_values", False) and len(numbers) == len(leaves):
        values = np.asarray(inputs)
        if values.dtype.kind == "i":
            values = values.astype(np.int32)  # Keras's dtype for Python ints
        return to_tensors(values, layer)
    for leaf in leaves:
        text = isinstance(leaf, (str, bytes)) and not _takes_strings(layer)
        if text or _python_number(leaf):
            raise ValueError(
                f"{describe(layer)}: only input tensors may be passed as positional arguments. "
                f"The following argument value should be passed as a keyword argument: {leaf!r} "
                f"(of type {type(leaf)})"
            )
    return inputs


def _takes_strings(layer):
    """Text preprocessing layers (`StringLookup`, `TextVectorization`, ...), models with a
    `dtype="string"` input, and Sequential models starting with a text layer take text arrays."""
    if getattr(layer, "_takes_strings", False):
        return True
    inputs = layer.__dict__.get("inputs") or layer.__dict__.get("_inputs") or ()  # Sequential's
    if any(getattr(t, "dtype", None) == "string" for t in inputs):
        return True
    first = (layer.__dict__.get("_seq_layers") or [None])[0]
    return bool(getattr(first, "_takes_strings", False))


def to_tensors(x, layer):
    """numpy arrays and Python values become Tensors; floats take the layer's dtype."""

    def convert(v):
        if isinstance(v, Tensor):
            t = v
        elif v is None or isinstance(v, (str, bool)) or v is Ellipsis or _python_number(v):
            # Python numbers stay weakly typed, as Keras converts only array-likes: `2 - x`
            # keeps x's float32 instead of promoting through an int64 array
            return v
        else:
            arr = np.asarray(v)
            if arr.dtype.kind in "USO" and _takes_strings(layer):
                return Tensor(arr)  # text passes through to the preprocessing layers that take it
            if arr.dtype.kind not in "biufc" and not is_float_dtype(arr.dtype):  # c: complex
                raise TypeError(
                    f"{describe(layer)} expects numeric input. Received an array of dtype "
                    f"{arr.dtype} with shape {arr.shape}."
                )
            t = Tensor(arr)
        if layer.autocast and is_float_dtype(t.dtype) and t.dtype != layer._compute_dtype:
            from ..core import ops

            mask = t._keras_mask
            t = ops.cast(t, layer._compute_dtype)
            t._keras_mask = mask
        return t

    return map_structure(convert, x)


def attach_masks(outputs, masks):
    """Sets `_keras_mask` on the output tensors, paired in order with the masks (as Keras 3: a
    single mask goes to the first output only)."""
    flat_out = flatten(outputs)
    flat_mask = flatten(masks) if isinstance(masks, (list, tuple, dict)) else [masks]
    for o, m in zip(flat_out, flat_mask):
        if isinstance(o, Tensor):
            o._keras_mask = m if (m is None or isinstance(m, Tensor)) else Tensor(np.asarray(m))


def _is_tensor_argument(v):
    """Keras 3's test for a tensor argument of `call`: a tensor, or a non-empty nest of
    tensors (None allowed among them)."""
    if isinstance(v, (Tensor, np.ndarray, KerasTensor)):
        return True
    if isinstance(v, (list, tuple, dict)) and len(v) > 0:
        leaves = flatten(v)
        return all(x is None or _is_tensor_argument(x) for x in leaves) and any(
            x is not None for x in leaves
        )
    return False


def tensor_arguments(layer, args, kwargs):
    """`{name: value}` of the call's tensor arguments when there is more than one (else an
    empty dict): Keras 3 then leaves `mask` alone and fills `<name>_mask` parameters."""
    names = getattr(layer, "_call_arg_names", ())
    found = {}
    for i, v in enumerate(args):
        name = names[i] if i < len(names) else f"arg_{i}"
        if name not in ("mask", "training") and _is_tensor_argument(v):
            found[name] = v
    for k, v in kwargs.items():
        if k not in ("mask", "training") and _is_tensor_argument(v):
            found[k] = v
    return found if len(found) > 1 else {}


def fill_argument_masks(layer, tensor_args, kwargs):
    """Sets each `<name>_mask` keyword that call takes (and was not given) to the mask of its
    tensor argument `<name>`, as Keras 3 does for a call with several tensor arguments."""
    for name in getattr(layer, "_call_mask_params", set()) & set(tensor_args):
        if kwargs.get(f"{name}_mask") is None:
            kwargs[f"{name}_mask"] = map_structure(
                lambda t: getattr(t, "_keras_mask", None), tensor_args[name]
            )
