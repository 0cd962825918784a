"""`Subtract` and `subtract`: `inputs[0] - inputs[1]`."""

from ...core import ops
from .base_merge import Merge


class Subtract(Merge):
    """Elementwise difference `inputs[0] - inputs[1]` of exactly two tensors.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Subtract()([np.ones((1, 2), "float32"), np.ones((1, 2), "float32")]).shape
    (1, 2)
    """

    def _validate(self, shapes):
        out = super()._validate(shapes)
        if len(shapes) != 2:
            raise ValueError(
                f"{self._describe()} should be called on exactly 2 inputs. "
                f"Received: input_shape={[tuple(s) for s in shapes]}"
            )
        return out

    def _merge_function(self, inputs, masks):
        return ops.subtract(inputs[0], inputs[1])


def subtract(inputs, **kwargs):
    """Subtracts the second of two tensors from the first; functional form of `Subtract`.

    Args:
        inputs: two tensors of the same shape.
        **kwargs: arguments of the `Subtract` layer (such as `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    >>> import numpy as np, minikeras as keras
    >>> a, b = np.array([[5.0, 7.0]], "float32"), np.array([[1.0, 2.0]], "float32")
    >>> keras.layers.subtract([a, b]).numpy().tolist()
    [[4.0, 5.0]]
    """
    return Subtract(**kwargs)(inputs)
