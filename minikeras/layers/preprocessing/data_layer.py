"""`DataLayer`: the base of the preprocessing layers for structured data and text (lookups,
`TextVectorization`, `Hashing`, `CategoryEncoding`, `Discretization`, `HashedCrossing`).

These layers map strings or numbers to ids and encodings: no weights to train and no gradient.
They take numpy arrays of `str` / `bytes` / `object` dtype, Python lists of strings, or Tensors
(also holding strings), compute in numpy, and return Tensors of numbers (a numpy array when the
output is text, as `StringLookup(invert=True)`). On a symbolic `keras.Input(dtype="string")`
they declare their output from `compute_output_shape` and `output_dtype_for` without a
placeholder run, so they can be the first layer of a Sequential or Functional model.

`encode_categorical` is Keras's `encode_categorical_inputs`: ids to one-hot / multi-hot / count
rows, ids outside `[0, depth)` (a lookup's mask) dropped.
"""

import numpy as np

from ...core.tensor import Tensor
from ..layer import Layer
from ..node import (
    KerasTensor,
    dummy_value,
    flatten,
    is_symbolic,
    is_text_placeholder,
    map_structure,
)


def to_numpy(x):
    """Tensors, lists and scalars as numpy arrays (text stays text)."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, np.ndarray):
        return x
    return np.asarray(x)


def as_text(x, encoding="utf-8"):
    """An array of Python-`str` elements (numpy `<U` dtype) from str / bytes / object arrays."""
    x = to_numpy(x)
    if x.dtype.kind == "U":
        return x
    if x.dtype.kind == "S":
        return np.char.decode(x, encoding)
    if x.dtype.kind == "O":
        flat = [v.decode(encoding) if isinstance(v, bytes) else str(v) for v in x.reshape(-1)]
        return np.array(flat, dtype=str).reshape(x.shape) if flat else x.astype(str)
    raise TypeError(f"Expected string inputs. Received an array of dtype {x.dtype}.")


def is_text(x):
    return to_numpy(x).dtype.kind in "USO"


def encode_categorical(ids, output_mode, depth, dtype, count_weights=None):
    """Integer ids -> `"int"` (cast), `"one_hot"` (a new last axis; a trailing axis of size 1
    is replaced), `"multi_hot"` / `"count"` (the last axis is the sample: rank 0 and 1 give one
    row). Ids outside `[0, depth)` count nowhere (a lookup layer's dropped mask tokens)."""
    ids = np.asarray(ids)
    if output_mode == "int":
        return ids.astype(dtype)
    if ids.ndim == 0:
        ids = ids.reshape(1)
    if output_mode == "one_hot":
        if ids.ndim > 1 and ids.shape[-1] == 1:
            ids = ids[..., 0]
        valid = (ids >= 0) & (ids < depth)
        out = np.zeros(ids.shape + (depth,), dtype=dtype)
        idx = np.nonzero(valid)
        out[idx + (ids[idx].astype(np.int64),)] = 1
        return out
    rows = ids.reshape(-1, ids.shape[-1]) if ids.ndim > 1 else ids.reshape(1, -1)
    if count_weights is not None:
        weights = np.broadcast_to(np.asarray(count_weights), ids.shape).reshape(rows.shape)
        dtype = weights.dtype
    else:
        weights = np.ones(rows.shape, dtype=np.int64)
    out = np.zeros((rows.shape[0], depth), dtype=dtype)
    valid = (rows >= 0) & (rows < depth)
    r, c = np.nonzero(valid)
    np.add.at(out, (r, rows[r, c].astype(np.int64)), weights[r, c].astype(dtype))
    if output_mode == "multi_hot":
        out = (out != 0).astype(dtype)
    return out.reshape(ids.shape[:-1] + (depth,)) if ids.ndim > 1 else out[0]


def _wrap(v):
    if isinstance(v, np.ndarray) and v.dtype.kind in "USO":
        return v  # text has no Tensor form
    if isinstance(v, (np.ndarray, np.generic)):
        return Tensor(np.asarray(v))
    return v


def _text_placeholder_output(layer, inputs):
    """Placeholder output for placeholder text (a Sequential or Functional model traced on a
    `dtype="string"` input runs its layers on `dummy_value`s): the declared shape and dtype,
    as `_trace` declares them for a symbolic input. None for real inputs."""
    flat = flatten(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    arrays = [t.data if isinstance(t, Tensor) else t for t in flat]
    if not arrays or not all(is_text_placeholder(a) for a in arrays):
        return None
    if isinstance(inputs, (list, tuple)):
        shape = layer.compute_output_shape([tuple(a.shape) for a in arrays])
    else:
        shape = layer.compute_output_shape(tuple(arrays[0].shape))
    out = KerasTensor(tuple(shape), layer.output_dtype_for("string"))
    return _wrap(dummy_value(out, 1))


class DataLayer(Layer):
    """Base class: numpy in `call`, Tensors out, shapes declared for symbolic inputs.

    Subclasses implement `call(inputs)` on numpy arrays, `compute_output_shape`, and
    `output_dtype_for(input_dtype)` (the output dtype name, `"string"` for text).
    """

    _takes_strings = True  # `Layer.__call__` lets text arrays through to this layer

    def __call__(self, *args, **kwargs):
        if is_symbolic((args, kwargs)):
            return super().__call__(*args, **kwargs)
        if not args:
            args = (kwargs.pop(self._call_first_arg, kwargs.pop("inputs", None)),)
        kwargs.pop("training", None)
        placeholder = _text_placeholder_output(self, args[0])
        if placeholder is not None:
            return placeholder
        args = (self._convert_inputs(args[0]),) + tuple(
            to_numpy(a) if isinstance(a, (Tensor, list)) else a for a in args[1:]
        )
        kwargs = {k: to_numpy(v) if isinstance(v, Tensor) else v for k, v in kwargs.items()}
        self.built = True
        return map_structure(_wrap, self.call(*args, **kwargs))

    def _convert_inputs(self, inputs):
        return to_numpy(inputs)

    def build(self, input_shape=None):
        pass

    def output_dtype_for(self, input_dtype):
        return self.dtype

    def _trace(self, args, kwargs):
        """The symbolic output, from the declared shape and dtype (no placeholder run: text and
        vocabularies have no placeholder value)."""
        first = args[0]
        if isinstance(first, (list, tuple)):
            shape = self.compute_output_shape([t.shape for t in first])
            in_dtype = flatten(first)[0].dtype
        else:
            shape = self.compute_output_shape(first.shape)
            in_dtype = first.dtype
        out = KerasTensor(shape, self.output_dtype_for(in_dtype))
        return out, [out]

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True

    def _adapt_batches(self, data, steps, one_batch):
        """`adapt`'s loop: resets the state, then feeds `update_state` either the single batch
        `one_batch()` returns (when it is not None) or each of the first `steps` batches of the
        iterable `data`, then finalizes the state."""
        self.reset_state()
        batch = one_batch()
        if batch is not None:
            self.update_state(batch)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()
