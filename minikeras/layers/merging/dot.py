"""`Dot` and `dot`: per-sample dot product of two tensors along chosen axes."""

from ...core import ops
from .base_merge import Merge

_LETTERS = "bcdefghijklmnopqrstuvwxyz"


def batch_dot(x, y, axes):
    """Per-sample contraction of `x` axis `axes[0]` with `y` axis `axes[1]` (axis 0 is the
    batch). The result has x's remaining axes, then y's remaining non-batch axes; a result of
    rank 1 becomes `(batch, 1)`."""
    a0, a1 = axes
    xs = ["a"] + [_LETTERS[i] for i in range(x.ndim - 1)]
    ys = ["a"] + [_LETTERS[x.ndim - 1 + i] for i in range(y.ndim - 1)]
    ys[a1] = xs[a0]  # the contracted letter
    out = [c for i, c in enumerate(xs) if i != a0] + [
        c for i, c in enumerate(ys) if i not in (0, a1)
    ]
    result = ops.einsum(f"{''.join(xs)},{''.join(ys)}->{''.join(out)}", x, y)
    return ops.expand_dims(result, -1) if result.ndim == 1 else result


class Dot(Merge):
    """Dot product of the samples of two tensors along `axes`.

    Args:
        axes: int (the same axis of both inputs) or a pair `(axis_of_x, axis_of_y)`; axis 0
            (the batch) cannot be contracted; negative values count from the end.
        normalize: if True, L2-normalize both inputs along the dot axes first, so the output
            is the cosine similarity.

    For `x` of shape `(batch, n)` and `y` of shape `(batch, n)`, `Dot(axes=1)` gives
    `(batch, 1)`; for `(batch, 5, 2)` and `(batch, 2, 5)` with `axes=(1, 2)`, `(batch, 2, 2)`.
    Dot returns no mask.

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(10, dtype="float32").reshape(1, 5, 2)
    >>> y = np.arange(10, 20, dtype="float32").reshape(1, 2, 5)
    >>> keras.layers.Dot(axes=(1, 2))([x, y]).shape
    (1, 2, 2)
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(
                    "Invalid type for argument `axes`: it should be a list or an "
                    f"int. Received: axes={axes!r}"
                )
            if len(axes) != 2 or not all(isinstance(a, int) for a in axes):
                raise ValueError(
                    "Invalid format for argument `axes`: it should contain two "
                    f"integers. Received: axes={axes!r}"
                )
            axes = tuple(axes) if isinstance(axes, tuple) else list(axes)  # config keeps the type
        self.axes = axes
        self.normalize = normalize

    def _axes(self, shapes):
        pair = [self.axes, self.axes] if isinstance(self.axes, int) else self.axes
        return [a % len(s) if a < 0 else a for a, s in zip(pair, shapes)]

    def _validate(self, shapes):
        self._check_list(shapes)
        shapes = [tuple(s) for s in shapes]
        if len(shapes) != 2:
            raise ValueError(
                f"{self._describe()} should be called on a list of 2 inputs. "
                f"Received: input_shape={shapes}"
            )
        s1, s2 = shapes
        if len(s1) < 2 or len(s2) < 2:
            raise ValueError(
                f"{self._describe()} needs inputs of rank >= 2 (batch first). "
                f"Received: input_shape={shapes}"
            )
        if None not in (s1[0], s2[0]) and s1[0] != s2[0]:
            raise ValueError(
                f"{self._describe()} cannot take the dot product of inputs with "
                f"different batch sizes. Received: input_shape={shapes}"
            )
        a0, a1 = self._axes(shapes)
        if not (0 < a0 < len(s1) and 0 < a1 < len(s2)):
            raise ValueError(
                f"{self._describe()}: axes={self.axes} must name non-batch axes of "
                f"both inputs (axis 0 is the batch). Received: input_shape={shapes}"
            )
        if None not in (s1[a0], s2[a1]) and s1[a0] != s2[a1]:
            raise ValueError(
                f"{self._describe()}: incompatible input shapes: axis values {s1[a0]} (at axis "
                f"{a0}) != {s2[a1]} (at axis {a1}). Full input shapes: {s1}, {s2}"
            )
        out = [d for i, d in enumerate(s1) if i != a0] + [
            d for i, d in enumerate(s2) if i not in (0, a1)
        ]
        return tuple(out) + ((1,) if len(out) == 1 else ())

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)):
            self._check_list(inputs, "inputs")
        self._validate([tuple(x.shape) for x in inputs])
        x, y = inputs
        a0, a1 = self._axes([x.shape, y.shape])
        if self.normalize:
            x = ops.normalize(x, axis=a0)
            y = ops.normalize(y, axis=a1)
        return batch_dot(x, y, (a0, a1))

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs, axes=-1, **kwargs):
    """Dot product of two tensors along `axes`; the functional form of `Dot`.

    Args:
        inputs: a list of two tensors of shape `(batch, ...)`.
        axes: an int or a pair of ints, the axes (not counting the batch) to contract.
        **kwargs: arguments of the `Dot` layer, such as `normalize=True` (cosine similarity).

    Returns:
        The product tensor (a KerasTensor for symbolic inputs).

    >>> import numpy as np, minikeras as keras
    >>> a, b = np.array([[1.0, 2.0]], "float32"), np.array([[3.0, 4.0]], "float32")
    >>> keras.layers.dot([a, b], axes=1).numpy().tolist()
    [[11.0]]
    """
    return Dot(axes=axes, **kwargs)(inputs)
