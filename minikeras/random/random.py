"""The `keras.random` draws: each takes Keras 3's arguments and returns a minikeras Tensor.

`seed` is an int (the same values on every call), a `keras.random.SeedGenerator` (new values
on each call, repeatable from its seed) or None (the global generator that
`keras.utils.set_random_seed` seeds); see `seed_generator.py`. Float draws default to
`keras.config.floatx()`. `normal`, `uniform` and `truncated_normal` are differentiable with
respect to tensor-valued location and scale arguments, and `dropout` and `shuffle` with
respect to their input.
"""

import numbers

import numpy as np

from ..core import dtypes
from ..core import ops
from ..core.ops._base import to_tensor
from ..core.tensor import Tensor
from .seed_generator import draw_rng


def _shape(shape, where):
    """A tuple of Python ints from an int, a sequence of ints (numpy ints, 0-d tensors) or a
    1-D integer tensor; unknown (None) sizes are an error."""
    if isinstance(shape, Tensor):
        shape = shape.data.tolist()
    elif isinstance(shape, np.ndarray):
        shape = shape.tolist()
    if isinstance(shape, numbers.Integral):
        shape = (shape,)
    try:
        out = tuple(int(d.data) if isinstance(d, Tensor) else int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(
            f"{where}: `shape` must be a tuple of known integer sizes. Received: shape={shape!r}"
            " (inside a layer's `call`, take sizes from `keras.ops.shape(x)`, which are ints)"
        ) from None
    if any(d < 0 for d in out):
        raise ValueError(f"{where}: sizes in `shape` must be >= 0. Received: shape={shape!r}")
    return out


def _float_dtype(dtype, where):
    name = dtypes.standardize_dtype(dtype)  # None -> floatx()
    if not dtypes.is_float(name):
        raise ValueError(f"{where} requires a floating point `dtype`. Received: dtype={dtype}")
    return name


def _int_dtype(dtype, where):
    name = dtypes.standardize_dtype(dtype)
    if np.dtype(name).kind not in "iu":
        raise ValueError(f"{where} requires an integer `dtype`. Received: dtype={dtype}")
    return name


def _location_scale(z, loc, scale, dtype):
    """`loc + scale * z` for a standard draw `z`: plain numpy for numbers, through ops (so
    differentiable) when `loc` or `scale` is a tensor."""
    if not isinstance(loc, Tensor) and not isinstance(scale, Tensor):
        loc, scale = np.asarray(loc, dtype), np.asarray(scale, dtype)
        return Tensor((loc + scale * z).astype(dtype, copy=False))
    return ops.add(ops.multiply(Tensor(z.astype(dtype)), scale), loc)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal distribution with mean `mean` and standard deviation `stddev`.

    Args:
        shape: the output shape, a tuple of ints.
        mean, stddev: floats, or tensors broadcastable to `shape` (then differentiable).
        dtype: a float dtype; default `keras.config.floatx()`.
        seed: an int (same values each call), a `keras.random.SeedGenerator` (new values each
            call) or None (the global generator, see `keras.utils.set_random_seed`).

    Returns:
        A Tensor of shape `shape`.

    >>> import minikeras as keras
    >>> x = keras.random.normal((2, 3), seed=1)
    >>> x.shape, x.dtype.name, bool((x.numpy() == keras.random.normal((2, 3), seed=1)).all())
    ((2, 3), 'float32', True)
    """
    dtype = dtypes.standardize_dtype(dtype)
    shape = _shape(shape, "keras.random.normal")
    z = draw_rng(seed, "keras.random.normal").standard_normal(shape)
    return _location_scale(z, mean, stddev, dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Draws from the uniform distribution on `[minval, maxval)`.

    Args:
        shape: the output shape, a tuple of ints.
        minval, maxval: floats, or tensors broadcastable to `shape` (then differentiable).
        dtype: a float dtype; default `keras.config.floatx()` (Keras raises for integer
            dtypes: use `randint`).
        seed: an int, a `keras.random.SeedGenerator` or None, as for `normal`.

    Returns:
        A Tensor of shape `shape`.

    >>> import minikeras as keras
    >>> x = keras.random.uniform((1000,), minval=2.0, maxval=3.0, seed=0).numpy()
    >>> bool(x.min() >= 2.0 and x.max() < 3.0)
    True
    """
    dtype = _float_dtype(dtype, "`keras.random.uniform`")
    shape = _shape(shape, "keras.random.uniform")
    u = draw_rng(seed, "keras.random.uniform").random(shape)
    if isinstance(minval, Tensor) or isinstance(maxval, Tensor):
        return _location_scale(u, minval, ops.subtract(maxval, minval), dtype)
    return _location_scale(u, minval, np.subtract(maxval, minval), dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal distribution cut at two standard deviations from the mean.

    Values farther than `2 * stddev` from `mean` are drawn again, as in Keras.

    Args:
        shape: the output shape, a tuple of ints.
        mean, stddev: floats, or tensors broadcastable to `shape` (then differentiable).
        dtype: a float dtype; default `keras.config.floatx()`.
        seed: an int, a `keras.random.SeedGenerator` or None, as for `normal`.

    Returns:
        A Tensor of shape `shape`, every value within `mean +- 2 * stddev`.

    >>> import minikeras as keras
    >>> x = keras.random.truncated_normal((10000,), stddev=0.5, seed=3).numpy()
    >>> bool(abs(x).max() <= 1.0)
    True
    """
    dtype = dtypes.standardize_dtype(dtype)
    shape = _shape(shape, "keras.random.truncated_normal")
    rng = draw_rng(seed, "keras.random.truncated_normal")
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2.0
    while bad.any():  # redraw the tails; about 4.6% of draws each round
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2.0
    return _location_scale(z, mean, stddev, dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws class indices from the categorical distributions given by `logits`.

    Args:
        logits: a 2-D tensor `(batch, num_classes)` of unnormalized log-probabilities.
        num_samples: how many indices to draw per row.
        dtype: an integer dtype (default `"int32"`, as Keras 3's `keras.random.categorical`).
        seed: an int, a `keras.random.SeedGenerator` or None, as for `normal`.

    Returns:
        A Tensor of shape `(batch, num_samples)`.

    >>> import minikeras as keras
    >>> keras.random.categorical([[-1e9, 0.0, -1e9]], 4, seed=0).numpy().tolist()
    [[1, 1, 1, 1]]
    """
    dtype = dtypes.standardize_dtype(dtype)
    x = np.asarray(to_tensor(logits, op="keras.random.categorical").data, np.float64)
    if x.ndim != 2:
        raise ValueError(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
            f"Received: logits.shape={x.shape}"
        )
    num_samples = int(num_samples)
    x = x - x.max(axis=-1, keepdims=True)
    cdf = np.cumsum(np.exp(x), axis=-1)
    cdf /= cdf[:, -1:]  # (batch, classes), the last column 1
    u = draw_rng(seed, "keras.random.categorical").random((x.shape[0], num_samples))
    # inverse CDF: the first class whose cumulative probability exceeds u
    idx = (u[:, :, None] >= cdf[:, None, :]).sum(-1)
    return Tensor(np.minimum(idx, x.shape[1] - 1).astype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Draws integers uniformly from `[minval, maxval)`.

    Args:
        shape: the output shape, a tuple of ints.
        minval, maxval: the bounds (`maxval` excluded).
        dtype: an integer dtype (default `"int32"`).
        seed: an int, a `keras.random.SeedGenerator` or None, as for `normal`.

    Returns:
        A Tensor of shape `shape`.

    >>> import minikeras as keras
    >>> sorted(set(keras.random.randint((200,), 3, 6, seed=0).numpy().tolist()))
    [3, 4, 5]
    """
    dtype = _int_dtype(dtype, "`keras.random.randint`")
    shape = _shape(shape, "keras.random.randint")
    rng = draw_rng(seed, "keras.random.randint")
    lo, hi = (v.data if isinstance(v, Tensor) else v for v in (minval, maxval))
    return Tensor(rng.integers(lo, hi, size=shape).astype(dtype))


def shuffle(x, axis=0, seed=None):
    """Shuffles the slices of `x` along `axis` (whole slices move together).

    Keras's TensorFlow, JAX and PyTorch backends permute whole slices; its numpy backend
    permutes each column on its own. minikeras follows the former. Differentiable in `x`.

    Args:
        x: the tensor to shuffle.
        axis: the axis along which slices are permuted.
        seed: an int, a `keras.random.SeedGenerator` or None, as for `normal`.

    Returns:
        A Tensor like `x` with its slices along `axis` in random order.

    >>> import minikeras as keras
    >>> sorted(keras.random.shuffle([1, 2, 3, 4], seed=0).numpy().tolist())
    [1, 2, 3, 4]
    """
    x = to_tensor(x, op="keras.random.shuffle")
    if x.ndim == 0:
        raise ValueError("keras.random.shuffle: `x` must have at least one axis (a 0-d input).")
    axis = int(axis)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"keras.random.shuffle: axis={axis} is out of range for x of rank {x.ndim}"
        )
    perm = draw_rng(seed, "keras.random.shuffle").permutation(x.shape[axis])
    return ops.take(x, perm, axis=axis)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries of `inputs` with probability `rate`, scaling the rest by `1 / (1 - rate)`.

    Differentiable in `inputs`: the gradient is the same scaled mask.

    Args:
        inputs: the tensor to drop from.
        rate: float in [0, 1], the drop probability.
        noise_shape: optional shape of the keep/drop pattern, broadcast over `inputs`; None
            entries take the input's size.
        seed: an int, a `keras.random.SeedGenerator` or None, as for `normal`.

    Returns:
        A Tensor of the shape and dtype of `inputs`.

    >>> import numpy as np, minikeras as keras
    >>> y = keras.random.dropout(np.ones((2, 4), "float32"), 0.5, seed=1).numpy()
    >>> sorted(set(y.ravel().tolist()))
    [0.0, 2.0]
    """
    inputs = to_tensor(inputs, op="keras.random.dropout")
    rate = float(rate)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"keras.random.dropout: `rate` must be in [0, 1]. Received: rate={rate}")
    if rate == 0.0:
        return inputs
    shape = inputs.shape
    if noise_shape is not None:
        shape = tuple(d if n is None else int(n) for n, d in zip(noise_shape, inputs.shape))
    dtype = inputs.dtype if dtypes.is_float(inputs.dtype) else np.dtype(dtypes.floatx())
    if rate == 1.0:
        return inputs * np.zeros(shape, dtype)
    keep = draw_rng(seed, "keras.random.dropout").random(shape, np.float32) >= rate
    # kept entries are scaled by 1 / (1 - rate) so the expected value is unchanged
    return inputs * (keep / (1.0 - rate)).astype(dtype)


def _float_params(*params):
    return [p.data if isinstance(p, Tensor) else p for p in params]


def gamma(shape, alpha, dtype=None, seed=None):
    """Draws from the gamma distribution with shape `alpha` and scale 1.

    Args:
        shape: the output shape, a tuple of ints.
        alpha: float (or array broadcastable to `shape`) > 0, the concentration.
        dtype: a float dtype; default `keras.config.floatx()`.
        seed: an int, a `keras.random.SeedGenerator` or None, as for `normal`.

    Returns:
        A Tensor of shape `shape` (mean `alpha`, variance `alpha`).

    >>> import minikeras as keras
    >>> bool(abs(keras.random.gamma((20000,), alpha=3.0, seed=0).numpy().mean() - 3.0) < 0.1)
    True
    """
    dtype = dtypes.standardize_dtype(dtype)
    shape = _shape(shape, "keras.random.gamma")
    (alpha,) = _float_params(alpha)
    return Tensor(draw_rng(seed, "keras.random.gamma").gamma(alpha, 1.0, shape).astype(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Draws from the beta distribution with parameters `alpha` and `beta`.

    Args:
        shape: the output shape, a tuple of ints.
        alpha, beta: floats (or arrays broadcastable to `shape`) > 0.
        dtype: a float dtype; default `keras.config.floatx()`.
        seed: an int, a `keras.random.SeedGenerator` or None, as for `normal`.

    Returns:
        A Tensor of shape `shape` with values in [0, 1] (mean `alpha / (alpha + beta)`).

    >>> import minikeras as keras
    >>> x = keras.random.beta((20000,), alpha=2.0, beta=6.0, seed=0).numpy()
    >>> bool(abs(x.mean() - 0.25) < 0.01)
    True
    """
    dtype = dtypes.standardize_dtype(dtype)
    shape = _shape(shape, "keras.random.beta")
    a, b = _float_params(alpha, beta)
    return Tensor(draw_rng(seed, "keras.random.beta").beta(a, b, shape).astype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Draws from binomial distributions: successes in `counts` trials of `probabilities`.

    Args:
        shape: the output shape, a tuple of ints.
        counts: number of trials, an int or array broadcastable to `shape`.
        probabilities: success probability in [0, 1], a float or broadcastable array.
        dtype: a float dtype; default `keras.config.floatx()` (as in Keras).
        seed: an int, a `keras.random.SeedGenerator` or None, as for `normal`.

    Returns:
        A Tensor of shape `shape` (mean `counts * probabilities`).

    >>> import minikeras as keras
    >>> x = keras.random.binomial((20000,), counts=10, probabilities=0.3, seed=0).numpy()
    >>> x.dtype.name, bool(abs(x.mean() - 3.0) < 0.05)
    ('float32', True)
    """
    dtype = dtypes.standardize_dtype(dtype)
    shape = _shape(shape, "keras.random.binomial")
    n, p = _float_params(counts, probabilities)
    rng = draw_rng(seed, "keras.random.binomial")
    return Tensor(rng.binomial(np.asarray(n).astype(np.int64), p, shape).astype(dtype))
