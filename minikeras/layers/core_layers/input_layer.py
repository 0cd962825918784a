"""`InputLayer` and `keras.Input`: the entry points of a functional model."""

import numbers

from ...core import dtypes
from ..layer import Layer
from ..node import KerasTensor, Node


class InputLayer(Layer):
    """The layer behind `keras.Input`; it owns the input's KerasTensor (its `output`).

    Args:
        shape: the shape without the batch axis (None for unknown sizes).
        batch_size: an optional fixed batch size.
        dtype: the input's dtype (e.g. `"int32"` for token ids).
        sparse, ragged: False or None only: inputs are dense numpy arrays (Keras's numpy and
            torch backends raise the same ValueError for True).
        batch_shape: the full shape including the batch axis (instead of shape/batch_size).
        input_tensor: not supported (NotImplementedError); Keras wraps an existing KerasTensor.
        optional: whether the input may be `None` when the model is called.
        name: the input's name.

    >>> import minikeras as keras
    >>> keras.layers.InputLayer(shape=(3,), dtype="int32").output.shape
    (None, 3)
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        name=None,
        **kwargs,
    ):
        # Keras 2 spellings
        batch_shape = batch_shape or kwargs.pop("batch_input_shape", None)
        if shape is None and "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        for arg, value in (("sparse", sparse), ("ragged", kwargs.pop("ragged", None))):
            if value:
                raise ValueError(
                    f"`{arg}=True` is not supported with the minikeras backend: inputs are dense "
                    f"numpy arrays. Received: {arg}={value!r}"
                )
        if input_tensor is not None:
            raise NotImplementedError(
                f"InputLayer '{name}': wrapping an existing tensor (`input_tensor` / "
                "`keras.Input(tensor=...)`) is not supported; pass `shape` and `dtype` instead."
            )
        super().__init__(name=name, dtype=dtype, **kwargs)
        if isinstance(shape, (numbers.Integral, str)):
            shape = (shape,)
        given = tuple(batch_shape if batch_shape is not None else shape or ())  # for errors
        if batch_shape is None:
            if shape is None:
                raise ValueError("InputLayer needs `shape` or `batch_shape`. Received neither.")
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        for d in batch_shape:
            if d is not None and (isinstance(d, bool) or not isinstance(d, numbers.Integral)):
                raise ValueError(  # Keras 3's message
                    f"Cannot convert '{given}' "
                    f"to a shape. Found invalid dimension '{d}' of type '{type(d)}'."
                )
        self.batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        for d in self.batch_shape:
            if d is not None and d < 0:
                raise ValueError(
                    f"Input shape dims must be >= 0 or None. Received: {self.batch_shape}"
                )
        self._dtype = dtypes.standardize_dtype(dtype)
        self.optional = optional
        self.built = True
        t = KerasTensor(self.batch_shape, self._dtype, name=self.name)
        Node(self, (), {}, [t], t).is_input = True

    @property
    def input(self):
        """An input layer's input is its own symbolic tensor."""
        return self._inbound_nodes[0].outputs[0]

    @property
    def input_shape(self):
        return self.batch_shape

    def get_config(self):
        return {
            "batch_shape": tuple(self.batch_shape),  # a tuple, with ragged, as Keras 3.15.1
            "dtype": self._dtype,
            "sparse": False,
            "ragged": False,
            "name": self.name,
            "optional": self.optional,
        }


def Input(
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    batch_shape=None,
    name=None,
    tensor=None,
    optional=False,
    ragged=None,
):
    """A symbolic input for a functional model.

    Args:
        shape: the shape without the batch axis, e.g. `(None, 32, 32, 3)` for clips of any length.
        batch_size: an optional fixed batch size.
        dtype: the dtype (default floatx); `"int32"` for token ids.
        name: the input's name (used for dict inputs and in saved files).

    Returns:
        A `KerasTensor`.

    >>> import minikeras as keras
    >>> keras.Input(shape=(None,), dtype="int32").shape
    (None, None)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        batch_shape=batch_shape,
        name=name,
        optional=optional,
        sparse=sparse,
        ragged=ragged,
        input_tensor=tensor,
    )
    return layer.output
