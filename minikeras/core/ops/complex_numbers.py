"""Complex-number ops: real, imag, conjugate/conj, angle, polar, view_as_complex, view_as_real.

Gradients follow torch's convention for complex tensors: for a real loss L, the gradient of a
complex z is dL/dRe(z) + i dL/dIm(z); the engine keeps the real part where the input is real
(`autodiff.COMPLEX_GRAD_OPS` lists the ops whose backward is written for complex tensors, and
`autodiff.HOLOMORPHIC_OPS` those whose real backward it conjugates). Which ops take complex
tensors at all: `_base.COMPLEX_OPS`.
"""

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import unwrap
from .arithmetic import multiply

__all__ = [
    "real",
    "imag",
    "conjugate",
    "conj",
    "angle",
    "polar",
    "view_as_complex",
    "view_as_real",
]


def _input(x, op):
    """`(array, tensor)`: lists and Python scalars converted as `convert_to_tensor` does."""
    a, ta = unwrap(x, op, weak=False)
    return np.asarray(a), ta


def real(x):
    """Returns the real part of a tensor (a real tensor is returned as it is).

    Args:
        x: input tensor, complex or real.

    Returns:
        A tensor of the same shape: float32 for complex64, float64 for complex128, else `x`'s
        dtype.

    >>> import minikeras as keras
    >>> keras.ops.real([1 + 2j, 3 - 4j]).numpy().tolist()
    [1.0, 3.0]
    """
    a, ta = _input(x, "real")
    return Tensor.from_op(np.real(a), (ta,), lambda d: (d,), "real", lambda d, out: (d,))


def imag(x):
    """Returns the imaginary part of a tensor.

    A real tensor gives zeros of its dtype, as Keras on JAX (Keras on torch raises there).

    Args:
        x: input tensor, complex or real.

    Returns:
        A tensor of the same shape: float32 for complex64, float64 for complex128, else `x`'s
        dtype.

    >>> import minikeras as keras
    >>> keras.ops.imag([1 + 2j, 3 - 4j]).numpy().tolist()
    [2.0, -4.0]
    """
    a, ta = _input(x, "imag")
    if a.dtype.kind != "c":
        out = np.zeros_like(a)
        return Tensor.from_op(out, (ta,), lambda d: (np.zeros_like(d),), "imag", _zero_ops)
    # d(Im z): the gradient of z is i * dout (dL/dIm z = dout)
    return Tensor.from_op(np.imag(a), (ta,), lambda d: (1j * d,), "imag", _imag_ops)


def _imag_ops(d, out):
    return (multiply(d, 1j),)


def _zero_ops(d, out):
    return (multiply(d, 0),)


def conjugate(x):
    """Returns the complex conjugate, elementwise (`keras.ops.conj` is the same op).

    Args:
        x: input tensor, complex or real (returned with the same values).

    Returns:
        A tensor of `x`'s shape and dtype.

    >>> import minikeras as keras
    >>> keras.ops.conjugate([1 + 2j]).numpy().tolist()
    [(1-2j)]
    """
    a, ta = _input(x, "conjugate")
    out = np.conjugate(a) if a.dtype.kind == "c" else a  # numpy's conjugate of bools is int8
    return Tensor.from_op(out, (ta,), lambda d: (np.conjugate(d),), "conjugate", _conj_ops)


def _conj_ops(d, out):
    return (conjugate(d),)


def conj(x):
    """Shorthand for `keras.ops.conjugate`.

    Args:
        x: input tensor.

    Returns:
        The complex conjugate of each element of `x`.

    >>> import minikeras as keras
    >>> keras.ops.conj([3 - 4j]).numpy().tolist()
    [(3+4j)]
    """
    return conjugate(x)


def _angle_dtype(dtype):
    """Keras's dtype of `angle`: a complex tensor's parts, a float dtype kept, else floatx."""
    if dtype.kind == "c":
        return np.dtype(dtypes.COMPLEX_PARTS[dtype.name])
    if dtypes.is_float(dtype):
        return dtype
    return np.dtype(dtypes.floatx())


def angle(x):
    """Returns the angle (argument) of each element, in radians in `[-pi, pi]`.

    A real element has angle 0 (zero and positive values) or pi (negative values), as in Keras
    on torch; its gradient is zero.

    Args:
        x: input tensor, complex or real.

    Returns:
        A float tensor of `x`'s shape: float32 for complex64 and integer inputs (floatx), float64
        for complex128, else `x`'s float dtype.

    >>> import minikeras as keras
    >>> round(float(keras.ops.angle(1j)), 4)
    1.5708
    """
    a, ta = _input(x, "angle")
    dt = _angle_dtype(a.dtype)
    if a.dtype.kind == "c":
        out = np.angle(a).astype(dt, copy=False)

        def backward(d):  # d(arg z) = Im(dz / z): the gradient of z is dout * i z / |z|^2
            mag2 = np.abs(a) ** 2
            safe = np.where(mag2 == 0, 1, mag2)
            return (np.where(mag2 == 0, 0, d * 1j * a / safe).astype(a.dtype),)

        return Tensor.from_op(out, (ta,), backward, "angle")
    wide = a.astype(np.float32) if dt.itemsize < 4 else a.astype(dt, copy=False)
    out = np.where(wide < 0, np.pi, np.where(np.isnan(wide), np.nan, 0)).astype(dt)
    return Tensor.from_op(out, (ta,), lambda d: (np.zeros_like(d),), "angle", _zero_ops)


def polar(abs_, angle):
    """Builds complex numbers from magnitudes and angles: `abs_ * (cos(angle) + i sin(angle))`.

    As `torch.polar` (and Keras's `keras.ops.polar`).

    Args:
        abs_: the magnitudes (a real tensor).
        angle: the angles in radians (a real tensor broadcastable with `abs_`).

    Returns:
        A complex tensor of the broadcast shape: complex64 when the parts compute in float32
        (float32, integer or bool inputs), complex128 when in float64.

    Raises:
        ValueError: for complex inputs.
        TypeError: for parts in float16/bfloat16 (there is no complex32).

    >>> import minikeras as keras
    >>> keras.ops.polar(2.0, 0.0).numpy().item()
    (2+0j)
    """
    r, tr = _input(abs_, "polar")
    th, tt = _input(angle, "polar")
    if r.dtype.kind == "c" or th.dtype.kind == "c":
        raise ValueError(
            f"polar expects real abs_ and angle. Received: abs_.dtype={r.dtype}, "
            f"angle.dtype={th.dtype}"
        )
    # as Keras computes abs_ * cos(angle): an integer angle's cosine is floatx
    th_dt = th.dtype if dtypes.is_float(th.dtype) else np.dtype(dtypes.floatx())
    part = np.dtype(dtypes.promote(r.dtype, th_dt))
    if part.name not in ("float32", "float64"):  # a TypeError, as Keras on torch and jax
        raise TypeError(
            "polar computes its real and imaginary parts in float32 or float64 (there is no "
            f"complex32). Received: abs_.dtype={r.dtype}, angle.dtype={th.dtype}; cast them to "
            "float32 first."
        )
    r, th = r.astype(part, copy=False), th.astype(part, copy=False)
    c, s = np.cos(th), np.sin(th)
    out = np.empty(np.broadcast_shapes(r.shape, th.shape), np.result_type(part, np.complex64))
    out.real, out.imag = r * c, r * s

    def backward(d):  # re = r cos, im = r sin; d = dL/dre + i dL/dim
        gr, gi = d.real, d.imag
        return gr * c + gi * s, r * (gi * c - gr * s)

    return Tensor.from_op(out, (tr, tt), backward, "polar")


def view_as_complex(x):
    """Reads a real tensor of shape `(..., 2)` as complex numbers `x[..., 0] + i x[..., 1]`.

    Args:
        x: a tensor whose last axis has size 2 (real and imaginary parts).

    Returns:
        A complex64 tensor of shape `x.shape[:-1]` (complex64 whatever `x`'s dtype, as Keras).

    Raises:
        ValueError: if the last axis is not of size 2.

    >>> import minikeras as keras
    >>> keras.ops.view_as_complex([[1.0, 2.0], [3.0, 4.0]]).numpy().tolist()
    [(1+2j), (3+4j)]
    """
    a, ta = _input(x, "view_as_complex")
    if a.ndim < 1 or a.shape[-1] != 2:
        raise ValueError(
            "Last dimension of input must be size 2 (real and imaginary). "
            f"Received shape: {a.shape}"
        )
    re, im = a[..., 0].astype(np.complex64), a[..., 1].astype(np.complex64)
    out = np.asarray(re + np.complex64(1j) * im)

    def backward(d):  # out = re + i im: re gets d, im gets conj(i) d (the engine keeps Re if real)
        return (np.stack([d, -1j * d], axis=-1),)

    return Tensor.from_op(out, (ta,), backward, "view_as_complex")


def view_as_real(x):
    """Returns a complex tensor's real and imaginary parts stacked on a new last axis.

    A real tensor gets a zero imaginary part (as Keras on JAX; Keras on torch raises there).

    Args:
        x: input tensor, complex or real.

    Returns:
        A tensor of shape `x.shape + (2,)`: float32 for complex64, float64 for complex128, else
        `x`'s dtype.

    >>> import minikeras as keras
    >>> keras.ops.view_as_real([1 + 2j, 3 - 4j]).numpy().tolist()
    [[1.0, 2.0], [3.0, -4.0]]
    """
    a, ta = _input(x, "view_as_real")
    if a.dtype.kind == "c":
        out = np.stack([a.real, a.imag], axis=-1)
        return Tensor.from_op(out, (ta,), lambda d: (d[..., 0] + 1j * d[..., 1],), "view_as_real")
    out = np.stack([a, np.zeros_like(a)], axis=-1)
    return Tensor.from_op(out, (ta,), lambda d: (d[..., 0],), "view_as_real")
