"""Batch and layer normalisation as single ops over numba kernels, each with its backward.

`batch_norm` is the one batch-normalisation op: `BatchNormalization` calls it with the batch
statistics (training) or its moving ones (inference), and `keras.ops.batch_normalization` routes
to it whenever the statistics are per-channel vectors. Its data are viewed as (rows, channels)
with the normalised axis last (`kernels/batchnorm.py`), and its backward is the closed-form
gradient, not a chain of elementwise ops. `layer_norm` is `LayerNormalization`'s computation,
one op over the trailing axes (`kernels/layer_norm.py`) where it applies. Internal ops, not
`keras.ops` names.
"""

import numpy as np

from ...kernels import load as load_kernels
from ..tensor import Tensor
from ._base import _CONST, unwrap


def _ops():
    from .. import ops  # the package imports nn, which imports this module: resolved on use

    return ops


def _as_rows(a, axis):
    """(rows, channels) C-contiguous view/copy of `a` with `axis` last."""
    if axis != a.ndim - 1:
        a = np.moveaxis(a, axis, -1)
    return np.ascontiguousarray(a).reshape(-1, a.shape[-1])


def _from_rows(r, shape, axis):
    moved = shape[:axis] + shape[axis + 1 :] + (shape[axis],)
    out = r.reshape(moved)
    return out if axis == len(shape) - 1 else np.moveaxis(out, -1, axis)


def _needs(t):
    return t is not None and getattr(t, "requires_grad", False)


def batch_norm(x, scale, offset, axis, epsilon, mean=None, variance=None, sync=None):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset` per channel of `axis`.

    With `mean` None the statistics are the batch's (mean and biased variance over every axis
    but `axis`, which the gradient then flows through); otherwise `mean` and `variance` are the
    given (channels,) vectors, and tensors among them receive gradients too.

    Args:
        x: a float32/64 Tensor.
        scale, offset: (channels,) tensors (gamma, beta) or None.
        axis: the channel axis, in [0, x.ndim).
        epsilon: added to the variance.
        mean, variance: None, or (channels,) tensors or arrays.
        sync: None, or an object whose `batch_moments(rows)` and `batch_grad_sums(s, t)` take
            the statistics over a global batch (`keras.distribution`'s data-parallel runtime).

    Returns:
        (y, batch_mean, batch_variance): the batch statistics as float64 arrays in training,
        None when the statistics were given.
    """
    kbn = load_kernels("batchnorm")
    xa = x.data
    rows = _as_rows(xa, axis)
    kbn.check(rows, "inputs")
    dt = xa.dtype
    training = mean is None
    m = rows.shape[0]
    mean_t, var_t = (None, None) if training else (mean, variance)
    if training and sync is not None:
        mean, variance, m = sync.batch_moments(rows)
    elif training:
        mean, variance = kbn.moments(rows)
    mean = np.asarray(_array(mean), np.float64)
    inv = 1.0 / np.sqrt(np.asarray(_array(variance), np.float64) + epsilon)
    g = np.ones_like(mean) if scale is None else scale.data.astype(np.float64)
    b = np.zeros_like(mean) if offset is None else offset.data.astype(np.float64)
    a = g * inv  # y = x * a + (b - mean * a)
    y = kbn.normalize(rows, a.astype(dt), (b - mean * a).astype(dt))

    def backward(dout):
        # s = sum(dy), t = sum(dy * xhat) per channel, xhat = (x - mean) * inv
        d = _as_rows(np.asarray(dout, dt), axis)
        s = t = None
        if training or any(_needs(p) for p in (scale, offset, mean_t, var_t)):
            s, t = kbn.grad_sums(d, rows, mean, inv)
        dx = None
        if x.requires_grad:
            if training:  # the batch statistics depend on x too
                gs, gt = sync.batch_grad_sums(s, t) if sync is not None else (s, t)
                bcoef = -a * inv * gt / m
                cst = -a * gs / m - bcoef * mean
            else:
                bcoef = cst = np.zeros_like(a)
            dx_rows = kbn.grad_input(d, rows, a.astype(dt), bcoef.astype(dt), cst.astype(dt))
            dx = _from_rows(dx_rows, xa.shape, axis)
        grads = [dx, _cast(t, scale), _cast(s, offset)]
        if not training and s is None:
            grads += [None, None]
        elif not training:
            # d/dmean = -a * sum(dy); d/dvariance = -0.5 * a * inv * sum(dy * xhat)
            grads += [_cast(-a * s, mean_t), _cast(-0.5 * a * inv * t, var_t)]
        return tuple(grads)

    parents = [x, scale, offset] + ([] if training else [mean_t, var_t])
    parents = tuple(p if isinstance(p, Tensor) else _CONST for p in parents)
    backward_ops = None
    if not training:
        backward_ops = _given_stats_backward_ops(x, scale, mean_t, var_t, axis, epsilon)
    out = Tensor.from_op(
        _from_rows(y, xa.shape, axis), parents, backward, "batch_normalization", backward_ops
    )
    return out, (mean if training else None), (variance if training else None)


def _array(v):
    return v.data if isinstance(v, Tensor) else v


def _cast(grad, parent):
    if grad is None or parent is None or parent is _CONST or not isinstance(parent, Tensor):
        return None
    return grad.astype(parent.dtype)


def _given_stats_backward_ops(x, scale, mean, var, axis, epsilon):
    """The given-statistics gradients with ops, so that they can be differentiated again."""

    def backward_ops(dout, out):
        ops = _ops()
        shape = [1] * x.ndim
        shape[axis] = -1
        others = [a for a in range(x.ndim) if a != axis]
        inv = ops.rsqrt(ops.reshape(var, shape) + epsilon)
        g = inv if scale is None else inv * ops.reshape(scale, shape)
        xc = x - ops.reshape(mean, shape)
        dx = dout * g
        dscale = ops.sum(dout * xc * inv, axis=others)
        doffset = ops.sum(dout, axis=others)
        dmean = -ops.sum(dx, axis=others)
        dvar = ops.sum(dout * xc * g * ops.square(inv), axis=others) * -0.5
        return dx, dscale, doffset, dmean, dvar

    return backward_ops


def _vector(v, channels):
    """Whether `v` is None or a (channels,) float tensor/array: what the kernels take."""
    if v is None:
        return True
    a = v.data if isinstance(v, Tensor) else v
    return isinstance(a, np.ndarray) and a.shape == (channels,) and a.dtype.kind == "f"


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`keras.ops.batch_normalization`: the fused `batch_norm` when `x` is a float32/64 tensor
    and the statistics and weights are (channels,) vectors, else the same formula with ops."""
    ops = _ops()
    xa = unwrap(x, "batch_normalization")[0]
    n = np.ndim(xa)
    if n and isinstance(axis, (int, np.integer)) and -n <= axis < n:
        ax = int(axis) % n
        channels = np.shape(xa)[ax]
        vectors = all(_vector(v, channels) for v in (mean, variance, offset, scale))
        if vectors and getattr(xa, "dtype", None) in (np.float32, np.float64) and xa.size:
            xt = x if isinstance(x, Tensor) else Tensor(xa)
            scale, offset = [
                v if v is None or isinstance(v, Tensor) else Tensor(v) for v in (scale, offset)
            ]
            return batch_norm(xt, scale, offset, ax, epsilon, mean, variance)[0]
    shape = [1] * n
    shape[axis] = -1

    def along(v):
        return ops.reshape(v, shape) if np.ndim(unwrap(v, "batch_normalization")[0]) == 1 else v

    inv = ops.rsqrt(ops.add(along(variance), epsilon))
    if scale is not None:
        inv = ops.multiply(inv, along(scale))
    out = ops.multiply(ops.subtract(x, along(mean)), inv)
    return out if offset is None else ops.add(out, along(offset))


def layer_norm(x, gamma, beta, axes, epsilon, rms_scaling=False):
    """`LayerNormalization`'s output: `x * inv + (beta - mean * inv)`, `inv = gamma /
    sqrt(var + epsilon)`, statistics over `axes` (sorted, non-negative) per sample; with
    `rms_scaling`, `x * gamma / sqrt(var + epsilon)`.

    Float32/64 data normalised over trailing axes, with weights of its dtype, run as one op
    (`kernels/layer_norm.py` does each direction in one loop per row instead of about ten numpy
    ops and their gradients); anything else is the same formula with ops.
    """
    if not rms_scaling and _layer_norm_fusable(x, axes, gamma, beta):
        return _fused_layer_norm(x, gamma, beta, epsilon, len(axes))
    ops = _ops()
    bshape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]

    def along(v):
        return None if v is None else ops.reshape(v, bshape)

    mean, var = ops.moments(x, axes=axes, keepdims=True)
    inv = ops.rsqrt(var + epsilon)
    if rms_scaling:
        return x * inv * along(gamma)
    if gamma is not None:
        inv = inv * along(gamma)
    shift = -mean * inv
    if beta is not None:
        shift = shift + along(beta)
    return x * inv + shift


def _layer_norm_fusable(x, axes, gamma, beta):
    """Whether the kernel applies: float32/64 data normalised over its trailing axes, with
    weights of the same dtype."""
    n = x.ndim
    dtype = getattr(x, "dtype", None)
    return (
        isinstance(x, Tensor)
        and dtype in (np.float32, np.float64)
        and len(axes) < n
        and list(axes) == list(range(n - len(axes), n))
        and all(w is None or w.dtype == dtype for w in (gamma, beta))
    )


def _fused_layer_norm(x, gamma, beta, epsilon, n_axes):
    """The layer-norm op over the last `n_axes` axes, forward and backward in the kernels."""
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
        ops = _ops()
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
