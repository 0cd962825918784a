"""`LayerNormalization`: normalise each sample over the feature axes."""

from ... import constraints, initializers, regularizers
from ...core.ops.fused_norm import layer_norm
from ..layer import Layer


def _axes(axis, ndim, layer):
    axes = [axis] if isinstance(axis, int) else list(axis)
    for a in axes:
        if not -ndim <= a < ndim:
            raise IndexError(  # as Keras 3, which fails indexing the shape
                f"Layer '{layer.name}' ({type(layer).__name__}): axis {a} is out of range for "
                f"inputs of rank {ndim}."
            )
    return sorted(a % ndim for a in axes)


class LayerNormalization(Layer):
    """`gamma * (x - mean) / sqrt(var + epsilon) + beta`, statistics over `axis` per sample.

    The variance is the biased one. With `rms_scaling=True`, `center` and `scale` are ignored
    and the output is `x / sqrt(var + epsilon) * gamma` (Keras 3 divides by the standard
    deviation about the mean here, not by the root mean square).

    Args:
        axis: an int or a list of ints (the normalised axes; default the last).
        epsilon: added to the variance (default 1e-3, as Keras).
        center, scale: whether to create and use `beta` and `gamma`.
        beta_/gamma_initializer, regularizer, constraint: as Keras.

    Weights: gamma, beta (shape of the normalised axes); `scale=False` drops gamma and
    `center=False` drops beta.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.LayerNormalization()(np.array([[1.0, 3.0]], "float32")).numpy().round(3)
    array([[-1.,  1.]], dtype=float32)
    """

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        rms_scaling=False,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            axis = [int(a) for a in axis]
        elif not isinstance(axis, int):
            raise TypeError(
                f"Expected an int or a list/tuple of ints for the argument 'axis', but received: "
                f"{axis!r}"
            )
        self.axis = axis
        self.epsilon = epsilon
        self.center, self.scale, self.rms_scaling = center, scale, rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        if isinstance(self.axis, int):
            self.axis = [self.axis]  # Keras 3 keeps a list once built: its config then says [-1]
        axes = _axes(self.axis, len(input_shape), self)
        shape = tuple(input_shape[a] for a in axes)
        if any(d is None for d in shape):
            raise ValueError(
                f"Layer '{self.name}' (LayerNormalization): the normalised axes {axes} must be "
                f"known. Received input shape {tuple(input_shape)}."
            )
        self.gamma = self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                shape,
                self.gamma_initializer,
                name="gamma",
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                shape,
                self.beta_initializer,
                name="beta",
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self.built = True  # also when build() is called directly

    def call(self, inputs):
        axes = _axes(self.axis, inputs.ndim, self)
        return layer_norm(inputs, self.gamma, self.beta, axes, self.epsilon, self.rms_scaling)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
