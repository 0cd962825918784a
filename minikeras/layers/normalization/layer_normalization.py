"""`LayerNormalization`: normalise each sample over the feature axes."""

import numpy as np

from ... import constraints, initializers, regularizers
from ...core import ops
from ...core.tensor import Tensor
from ...kernels import load as load_kernels
from ..layer import Layer


def _axes(axis, ndim, layer):
    axes = [axis] if isinstance(axis, int) else list(axis)
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(
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
        if not self.rms_scaling and _fusable(inputs, axes, self.gamma, self.beta):
            return _fused_layer_norm(inputs, self.gamma, self.beta, self.epsilon, len(axes))
        bshape = [inputs.shape[a] if a in axes else 1 for a in range(inputs.ndim)]

        def along(v):
            return None if v is None else ops.reshape(v, bshape)

        mean, var = ops.moments(inputs, axes=axes, keepdims=True)
        inv = ops.rsqrt(var + self.epsilon)
        if self.rms_scaling:
            return inputs * inv * along(self.gamma)
        if self.gamma is not None:
            inv = inv * along(self.gamma)
        shift = -mean * inv
        if self.beta is not None:
            shift = shift + along(self.beta)
        return inputs * inv + shift

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


def _fusable(x, axes, gamma, beta):
    """Whether the kernel applies: float32/64 data normalised over its trailing axes, with
    weights of the same dtype."""
    n = x.ndim
    dtype = getattr(x, "dtype", None)
    return (
        isinstance(x, Tensor)
        and dtype in (np.float32, np.float64)
        and len(axes) < n
        and axes == list(range(n - len(axes), n))
        and all(w is None or w.dtype == dtype for w in (gamma, beta))
    )


def _fused_layer_norm(x, gamma, beta, epsilon, n_axes):
    """Keras's LayerNormalization formula (`x * inv + (beta - mean * inv)`, `inv = gamma /
    sqrt(var + epsilon)`) as one op over the last `n_axes` axes: `kernels/layer_norm.py` does
    each direction in one loop per row instead of about ten numpy ops and their gradients."""
    k = load_kernels("layer_norm")
    a = x.data
    shape, wshape = a.shape, a.shape[a.ndim - n_axes :]
    rows = np.ascontiguousarray(a).reshape(-1, int(np.prod(wshape)))
    one = np.ones(rows.shape[1], a.dtype)
    g = one if gamma is None else gamma.data.reshape(-1)
    b = np.zeros_like(one) if beta is None else beta.data.reshape(-1)
    out, mean, inv = k.layer_norm(rows, g, b, epsilon)
    weights = [w for w in (gamma, beta) if w is not None]

    def backward(dout):
        d = np.ascontiguousarray(dout, dtype=a.dtype).reshape(rows.shape)
        dx, dgamma, dbeta = k.layer_norm_grad(d, rows, g, mean, inv)
        grads = {id(gamma): dgamma.reshape(wshape), id(beta): dbeta.reshape(wshape)}
        return (dx.reshape(shape), *[grads[id(w)] for w in weights])

    def backward_ops(dout, out):  # the same gradients with ops, for higher-order gradients
        axes = list(range(a.ndim - n_axes, a.ndim))
        xc = x - ops.mean(x, axis=axes, keepdims=True)
        inv_t = ops.rsqrt(ops.mean(ops.square(xc), axis=axes, keepdims=True) + epsilon)
        xhat = xc * inv_t
        dxhat = dout if gamma is None else dout * gamma
        dx = inv_t * (
            dxhat
            - ops.mean(dxhat, axis=axes, keepdims=True)
            - xhat * ops.mean(dxhat * xhat, axis=axes, keepdims=True)
        )
        grads = {id(gamma): dout * xhat, id(beta): dout}  # the engine sums the leading axes
        return (dx, *[grads[id(w)] for w in weights])

    return Tensor.from_op(
        out.reshape(shape), (x, *weights), backward, "layer_normalization", backward_ops
    )
