"""`Concatenate` and `concatenate`: joins a list of tensors along one axis."""

from ...core import ops
from .base_merge import Merge


class Concatenate(Merge):
    """Concatenates a list of tensors along `axis`; all other axes must match.

    Args:
        axis: the concatenation axis (default -1).

    Masks: an input without a mask counts as all-true; a mask with fewer axes than its input
    is broadcast over the trailing axes; the output mask is the concatenated mask reduced with
    `any` over the last axis (as Keras).

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Concatenate()([np.ones((2, 3), "float32"), np.ones((2, 4), "float32")]).shape
    (2, 7)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def _validate(self, shapes):
        self._check_list(shapes)
        shapes = [tuple(s) for s in shapes]
        error = ValueError(
            f"{self._describe()} requires inputs with matching shapes except for the "
            f"concatenation axis {self.axis}. Received: input_shape={shapes}"
        )
        ranks = {len(s) for s in shapes}
        if len(ranks) != 1:
            raise error
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"{self._describe()}: axis={self.axis} is out of range for inputs "
                f"of rank {rank}. Received: input_shape={shapes}"
            )
        axis = self.axis % rank
        out = []
        for i in range(rank):
            dims = [s[i] for s in shapes]
            if i == axis:
                out.append(None if None in dims else sum(dims))
                continue
            known = {d for d in dims if d is not None}
            if len(known) > 1:
                raise error
            out.append(known.pop() if known else None)
        return tuple(out)

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)):
            self._check_list(inputs, "inputs")
        self._validate([tuple(x.shape) for x in inputs])
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        if len(mask) != len(inputs):
            raise ValueError(
                f"{self._describe()}: the lists `inputs` and `mask` should have the "
                f"same length. Received {len(inputs)} inputs and {len(mask)} masks."
            )
        full = []
        for x, m in zip(inputs, mask):
            if m is None:
                full.append(ops.ones(x.shape, "bool"))
                continue
            while m.ndim < x.ndim:
                m = ops.expand_dims(m, -1)
            full.append(ops.broadcast_to(m, x.shape))
        return ops.any(ops.concatenate(full, axis=self.axis), axis=-1)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    """Joins a list of tensors along `axis`; the functional form of `Concatenate`.

    Args:
        inputs: a list of tensors with equal shapes except along `axis`.
        axis: the axis to join along.
        **kwargs: arguments of the `Concatenate` layer (such as `name`).

    Returns:
        The joined tensor (a KerasTensor for symbolic inputs).

    >>> import minikeras as keras
    >>> a, b = keras.Input((3,)), keras.Input((2,))
    >>> keras.layers.concatenate([a, b]).shape
    (None, 5)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
