"""Special functions and integer math of Keras 3's `keras.ops`: `erfc`, `erfinv`, `i0`, `isreal`,
`ldexp`, `nextafter`, `gcd`, `lcm`.

`erfc`, `erfinv` and `i0` are differentiable primitives (their derivatives are closed forms,
written beside them); `ldexp` is differentiable in its mantissa as in Keras; `isreal`,
`nextafter`, `gcd` and `lcm` give no gradient (Keras's JAX backend has none for them).
"""

import math

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import keras_typed, result_float, unwrap
from ._elementwise_base import _unary

__all__ = ["erfc", "erfinv", "i0", "isreal", "ldexp", "nextafter", "gcd", "lcm"]

# Numerical Recipes' erfc: erfc(z) = t exp(-z^2 + P(t)), t = 1 / (1 + z / 2), z >= 0; its
# relative error is below 1.2e-7 everywhere, which float32 needs in the far tail
_ERFC_COEFFS = (
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
)


def _erfc(a):
    z = np.abs(a.astype(np.float64))
    t = 1.0 / (1.0 + 0.5 * z)
    poly = np.zeros_like(t)
    for c in reversed(_ERFC_COEFFS):
        poly = poly * t + c
    out = t * np.exp(-z * z + poly)
    return np.where(a < 0, 2.0 - out, out).astype(a.dtype)


def erfc(x):
    """Elementwise complementary error function `1 - erf(x)`, accurate in the tails.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in (0, 2).

    >>> import minikeras as keras
    >>> round(float(keras.ops.erfc(1.0)), 6)
    0.157299
    """
    c = 2.0 / math.sqrt(math.pi)
    # d erfc/dx = -2 / sqrt(pi) exp(-x^2)
    return _unary("erfc", x, _erfc, lambda a, o, d: -d * c * np.exp(-a * a))


def _erf64(z):
    return 1.0 - _erfc(z)


def _erfinv(a):
    y = a.astype(np.float64)
    # Giles' approximation (a few float32 ulps), then two Newton steps on erf(x) = y in float64
    w = -np.log(np.maximum((1.0 - y) * (1.0 + y), 1e-300))
    small = w < 5.0
    ws = np.where(small, w - 2.5, np.sqrt(w) - 3.0)
    cs = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087)
    cs += (-0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
    cl = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773)
    cl += (-0.0076224613, 0.00943887047, 1.00167406, 2.83297682)
    p_small, p_large = np.zeros_like(y), np.zeros_like(y)
    for a_s, a_l in zip(cs, cl):
        p_small, p_large = p_small * ws + a_s, p_large * ws + a_l
    x = np.where(small, p_small, p_large) * y
    inner = np.abs(y) < 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # |y| >= 1 is masked
        for _ in range(2):
            step = (_erf64(x) - y) / (2.0 / math.sqrt(math.pi) * np.exp(-x * x))
            x = np.where(inner, x - step, x)
    x = np.where(y >= 1.0, np.inf, np.where(y <= -1.0, -np.inf, x))
    return np.where(np.abs(y) > 1.0, np.nan, x).astype(a.dtype)


def erfinv(x):
    """Elementwise inverse error function: `erf(erfinv(x)) == x` on (-1, 1).

    Args:
        x: input tensor with values in [-1, 1] (+-inf at the ends, nan outside).

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> round(float(keras.ops.erfinv(0.5)), 6)
    0.476936
    """
    # d erfinv/dy = sqrt(pi) / 2 exp(erfinv(y)^2)
    half_root_pi = math.sqrt(math.pi) / 2.0
    return _unary("erfinv", x, _erfinv, lambda a, o, d: d * half_root_pi * np.exp(o * o))


def _i1(a):
    """Modified Bessel function of the first kind, order 1 (numpy has only i0): the power series
    where it converges fast, the asymptotic expansion beyond."""
    x = a.astype(np.float64)
    z = np.abs(x)
    term = z / 2.0
    series = term.copy()
    quarter = z * z / 4.0
    for k in range(1, 40):
        term = term * quarter / (k * (k + 1))
        series = series + term
    big = np.maximum(z, 1.0)
    inv = 1.0 / (8.0 * big)
    asym = np.exp(big) / np.sqrt(2.0 * np.pi * big)
    asym = asym * (1.0 - 3.0 * inv - 15.0 / 2.0 * inv**2 - 105.0 / 2.0 * inv**3)
    out = np.where(z < 30.0, series, asym)
    return np.sign(x) * out


def i0(x):
    """Elementwise modified Bessel function of the first kind, order 0.

    Args:
        x: input tensor; integers become floats (int64 gives float64, as Keras).

    Returns:
        A float tensor of the same shape (>= 1).

    >>> import minikeras as keras
    >>> round(float(keras.ops.i0(1.0)), 6)
    1.266066
    """
    a = np.asarray(unwrap(x, "i0", weak=False)[0])
    if a.dtype == np.int64:
        x = a.astype(np.float64)
    # d i0/dx = i1(x)
    return _unary(
        "i0", x, lambda v: np.i0(v).astype(v.dtype), lambda a, o, d: d * _i1(a).astype(d.dtype)
    )


def isreal(x):
    """Elementwise test for a zero imaginary part: all True for real tensors.

    Args:
        x: the input tensor (minikeras tensors are real, so every element passes).

    Returns:
        A bool tensor of `x`'s shape.

    >>> import minikeras as keras
    >>> keras.ops.isreal([1.0, 2.0]).numpy().tolist()
    [True, True]
    """
    return Tensor(np.isreal(np.asarray(unwrap(x, "isreal", weak=False)[0])))


def ldexp(x1, x2):
    """Elementwise `x1 * 2 ** x2` for integer exponents `x2`.

    Args:
        x1: mantissas (floats; integers become floatx).
        x2: integer exponents, broadcast against `x1`.

    Returns:
        A float tensor; its gradient with respect to `x1` is `2 ** x2`.

    >>> import minikeras as keras
    >>> keras.ops.ldexp([1.5, 3.0], [2, -1]).numpy().tolist()
    [6.0, 1.5]
    """
    e = np.asarray(unwrap(x2, "ldexp", weak=False)[0])
    if e.dtype.kind in "biu":  # the mantissas in Keras 3's result_type(x1, x2, float)
        (x1, _), _ = keras_typed("ldexp", (x1, e), float, weak=False)
    a, ta = unwrap(x1, "ldexp", weak=False)
    if e.dtype.kind not in "biu":
        raise TypeError(f"ldexp: x2 must be an integer tensor. Received: x2 dtype {e.dtype}")
    a = result_float(np.asarray(a))
    scale = np.ldexp(np.ones((), a.dtype), e.astype(np.int32))
    out = np.asarray(a * scale, dtype=a.dtype)
    return Tensor.from_op(out, (ta,), lambda d: (d * scale,), "ldexp")


def nextafter(x1, x2):
    """The next float after `x1` toward `x2`, elementwise (no gradient).

    Args:
        x1: the starting values.
        x2: the direction to step in, broadcast against `x1`; where `x2 == x1` the result is
            `x2`.

    Returns:
        A float tensor in the inputs' promoted dtype (floatx when both are integers): the
        neighbouring representable value of each `x1` in that dtype.

    >>> import numpy as np, minikeras as keras
    >>> float(keras.ops.nextafter(np.float32(1.0), np.float32(2.0))) > 1.0
    True
    >>> float(keras.ops.nextafter(np.float32(1.0), np.float32(0.0))) == 1 - 2.0**-24
    True
    """
    (x1, x2), dtype = keras_typed("nextafter", (x1, x2), float, weak=False)
    a, b = np.asarray(unwrap(x1, "nextafter")[0]), np.asarray(unwrap(x2, "nextafter")[0])
    return Tensor(np.asarray(np.nextafter(a, b), dtype=dtypes.numpy_dtype(dtype)))


def _integer_pair(op, x1, x2):
    (a, b), _ = keras_typed(op, (x1, x2))
    a, b = (unwrap(v, op)[0] for v in (a, b))
    da, db = np.asarray(a).dtype, np.asarray(b).dtype
    if da.kind not in "biu" or db.kind not in "biu" or da.kind == db.kind == "b":
        # two bools: Keras 3 raises too (jax: ValueError, torch: NotImplementedError)
        raise TypeError(f"{op} expects integer tensors. Received: x1 dtype {da}, x2 dtype {db}")
    return a, b


def gcd(x1, x2):
    """Elementwise greatest common divisor of integers (non-negative; gcd(0, 0) = 0).

    Args:
        x1: an integer tensor.
        x2: an integer tensor, broadcast against `x1`.

    Returns:
        An integer tensor in the inputs' promoted dtype; signs are ignored.

    >>> import minikeras as keras
    >>> keras.ops.gcd([12, -18], [8, 24]).numpy().tolist()
    [4, 6]
    """
    return Tensor(np.asarray(np.gcd(*_integer_pair("gcd", x1, x2))))


def lcm(x1, x2):
    """Elementwise least common multiple of integers (non-negative; lcm with 0 is 0).

    Args:
        x1: an integer tensor.
        x2: an integer tensor, broadcast against `x1`.

    Returns:
        An integer tensor in the inputs' promoted dtype; signs are ignored.

    >>> import minikeras as keras
    >>> keras.ops.lcm([4, -6], [6, 4]).numpy().tolist()
    [12, 12]
    """
    return Tensor(np.asarray(np.lcm(*_integer_pair("lcm", x1, x2))))
