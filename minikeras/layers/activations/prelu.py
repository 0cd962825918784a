"""`PReLU`: leaky rectifier with a learned slope per input position."""

from ... import constraints, initializers, regularizers
from ...core import ops
from ..layer import InputSpec, Layer


class PReLU(Layer):
    """`x` for x >= 0, `alpha * x` otherwise, with `alpha` learned.

    Args:
        alpha_initializer: default zeros (the layer starts as a ReLU).
        alpha_regularizer, alpha_constraint: optional.
        shared_axes: axes (the batch axis is 0) along which one alpha is shared, e.g. `[1, 2]`
            for one slope per channel of `(batch, h, w, channels)` feature maps.

    Weights: `alpha` with the input's shape without the batch axis, size 1 on `shared_axes`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.PReLU()(np.array([[-1.0, 2.0]], "float32")).numpy().tolist()
    [[0.0, 2.0]]
    """

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [int(a) for a in shared_axes]
        else:
            self.shared_axes = [int(shared_axes)]
        self.supports_masking = True

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if not 1 <= axis < len(input_shape):
                raise ValueError(
                    f"PReLU layer '{self.name}': shared_axes must be between 1 and "
                    f"{len(input_shape) - 1} for inputs of shape {tuple(input_shape)}. "
                    f"Received: shared_axes={self.shared_axes}"
                )
            param_shape[axis - 1] = 1
        if any(d is None for d in param_shape):
            raise ValueError(
                f"PReLU layer '{self.name}' needs known sizes on every non-shared axis to create "
                f"`alpha`. Received input_shape={tuple(input_shape)}, "
                f"shared_axes={self.shared_axes}"
            )
        self.alpha = self.add_weight(
            shape=param_shape,
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
            name="alpha",
        )
        axes = {
            i: input_shape[i]
            for i in range(1, len(input_shape))
            if i not in (self.shared_axes or [])
        }
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)

    def call(self, inputs):
        # relu(x) - alpha * relu(-x)
        return ops.relu(inputs) - self.alpha * ops.relu(-inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
