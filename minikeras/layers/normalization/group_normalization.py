"""`GroupNormalization`: normalise each sample over groups of channels (and all other axes)."""

from ... import constraints, initializers, regularizers
from ...core import ops
from ..layer import InputSpec, Layer


class GroupNormalization(Layer):
    """Group normalization: normalises each sample over groups of channels.

    The channels (`axis`) are split into `groups`; each sample's group is normalised with the
    mean and biased variance over its channels and every non-batch axis, then scaled by the
    per-channel `gamma` and shifted by `beta`.

    Args:
        groups: number of groups (-1 means one per channel: instance normalization); must
            divide the number of channels.
        axis: the channel axis.
        epsilon: added to the variance (1e-3).
        center, scale, beta_/gamma_*: as `LayerNormalization`.

    >>> import numpy as np, minikeras as keras
    >>> y = keras.layers.GroupNormalization(groups=2)(np.arange(16.0).reshape(1, 2, 2, 4))
    >>> np.round(y.numpy()[0, :, :, 0].ravel().astype(float), 3).tolist()  # mean 6.5, std 4.5
    [-1.444, -0.556, 0.333, 1.222]
    """

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        if (
            isinstance(groups, bool)
            or not isinstance(groups, int)
            or (groups <= 0 and groups != -1)
        ):
            raise ValueError(
                "GroupNormalization: expected a positive integer for `groups` (or -1 for instance "
                f"normalization). Received: groups={groups!r}"
            )
        super().__init__(**kwargs)
        self.groups, self.axis, self.epsilon = groups, axis, epsilon
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim:
            raise ValueError(
                f"Layer '{self.name}' (GroupNormalization): axis {self.axis} is out "
                f"of range for input shape {tuple(input_shape)}."
            )
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the layer "
                f"'{self.name}' received an input with shape {tuple(input_shape)}."
            )
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups or dim % self.groups:
            raise ValueError(
                f"Layer '{self.name}' (GroupNormalization): the number of groups ({self.groups}) "
                f"must divide the number of channels ({dim}). Received input shape "
                f"{tuple(input_shape)}."
            )
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: dim})
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                (dim,),
                self.gamma_initializer,
                name="gamma",
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                (dim,),
                self.beta_initializer,
                name="beta",
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self.built = True  # also when build() is called directly

    def call(self, inputs):
        ndim = inputs.ndim
        axis = self.axis % ndim
        dim = inputs.shape[axis]
        # (..., C, ...) -> (..., groups, C // groups, ...)
        grouped = list(inputs.shape[:axis]) + [self.groups, dim // self.groups]
        grouped += list(inputs.shape[axis + 1 :])
        x = ops.reshape(inputs, grouped)
        reduce_axes = [a for a in range(1, ndim + 1) if a != axis]
        mean, var = ops.moments(x, axes=reduce_axes, keepdims=True)
        inv = ops.rsqrt(var + self.epsilon)
        bshape = [1] * (ndim + 1)
        bshape[axis], bshape[axis + 1] = self.groups, dim // self.groups
        if self.gamma is not None:
            inv = inv * ops.reshape(self.gamma, bshape)
        shift = -mean * inv
        if self.beta is not None:
            shift = shift + ops.reshape(self.beta, bshape)
        return ops.reshape(x * inv + shift, inputs.shape)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
