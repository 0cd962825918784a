"""Fourier transforms as in Keras 3's `keras.ops`: `fft`, `fft2`, `ifft2`, `rfft`, `irfft`,
`stft` and `istft`.

Keras passes complex values as a `(real, imag)` pair of float tensors, and so do these: each
transform returns the pair (or one real tensor for `irfft` and `istft`) in the input's float
dtype. Every transform is linear, so the gradient is the adjoint transform: for `y = F z` and the
cotangent `g = dreal + i dimag`, `dz = F^H g`, which is `n * ifft(g)` for the DFT. `stft` is
framing, a window and `rfft`; `istft` is `irfft`, a window and overlap-add, divided by the
summed squared windows, as Keras's backends (scipy's and jax's `istft`) compute it.
"""

import numpy as np

from ..tensor import Tensor
from ._base import to_tensor
from .joining import pad

__all__ = ["fft", "fft2", "ifft2", "irfft", "istft", "rfft", "stft"]


def _pair(x, op):
    """The `(real, imag)` input of a complex transform, as two float Tensors of one shape."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"{op}: input `x` should be a tuple of two tensors - real and imaginary. "
            f"Received: x={x!r}"
        )
    re, im = to_tensor(x[0], op=op), to_tensor(x[1], op=op)
    if re.shape != im.shape:
        raise ValueError(
            f"{op}: the real and imaginary parts should have the same shape. "
            f"Received: x[0].shape = {re.shape}, x[1].shape = {im.shape}"
        )
    if re.dtype.kind != "f" or im.dtype.kind != "f":
        raise ValueError(
            f"{op}: at least one tensor in input `x` is not of type float. "
            f"Received dtypes {re.dtype} and {im.dtype}."
        )
    return re, im


def _parts(z, parents, adjoint, dtype, op):
    """`(Re z, Im z)` as Tensors; `adjoint(g)` maps a complex cotangent to the parents'.

    The real part's cotangent `d` is the complex `d`; the imaginary part's is `i d`.
    """

    def split(g):
        g = adjoint(g)
        if len(parents) == 1:  # a real input: its gradient is the real part
            return (g.real.astype(dtype),)
        return g.real.astype(dtype), g.imag.astype(dtype)

    real = Tensor.from_op(np.ascontiguousarray(z.real, dtype), parents, lambda d: split(d + 0j), op)
    imag = Tensor.from_op(np.ascontiguousarray(z.imag, dtype), parents, lambda d: split(1j * d), op)
    return real, imag


def fft(x):
    """1-D discrete Fourier transform along the last axis.

    Args:
        x: `(real, imag)` float tensors of one shape (rank >= 1).

    Returns:
        `(real, imag)` of the transform, in the input's dtype.

    >>> import numpy as np, minikeras as keras
    >>> re, im = keras.ops.fft((np.array([1.0, 2.0]), np.array([0.0, 1.0])))
    >>> re.numpy().tolist(), im.numpy().tolist()
    ([3.0, -1.0], [1.0, -1.0])
    """
    re, im = _pair(x, "fft")
    if re.ndim < 1:
        raise ValueError(f"fft: input should have rank >= 1. Received: input.shape = {re.shape}")
    n = re.shape[-1]
    z = np.fft.fft(re.data + 1j * im.data, axis=-1)
    # the DFT's adjoint is n times the inverse DFT
    return _parts(z, (re, im), lambda g: n * np.fft.ifft(g, axis=-1), re.dtype, "fft")


def _check_2d(re, op):
    if re.ndim < 2:
        raise ValueError(f"{op}: input should have rank >= 2. Received: input.shape = {re.shape}")
    return re.shape[-2] * re.shape[-1]


def fft2(x):
    """2-D discrete Fourier transform over the last two axes.

    Args:
        x: `(real, imag)` float tensors of one shape (rank >= 2).

    Returns:
        `(real, imag)` of the transform, in the input's dtype.

    >>> import numpy as np, minikeras as keras
    >>> re, im = keras.ops.fft2((np.array([[1., 2.], [2., 1.]]), np.array([[0., 1.], [1., 0.]])))
    >>> re.numpy().tolist(), im.numpy().tolist()
    ([[6.0, 0.0], [0.0, -2.0]], [[2.0, 0.0], [0.0, -2.0]])
    """
    re, im = _pair(x, "fft2")
    size = _check_2d(re, "fft2")
    z = np.fft.fft2(re.data + 1j * im.data)
    return _parts(z, (re, im), lambda g: size * np.fft.ifft2(g), re.dtype, "fft2")


def ifft2(x):
    """Inverse 2-D discrete Fourier transform over the last two axes (divided by `h * w`).

    Args:
        x: `(real, imag)` float tensors of one shape (rank >= 2).

    Returns:
        `(real, imag)` of the inverse transform, in the input's dtype.

    >>> import numpy as np, minikeras as keras
    >>> re, im = keras.ops.ifft2((np.array([[6., 0.], [0., -2.]]), np.array([[2., 0.], [0., -2.]])))
    >>> re.numpy().tolist(), im.numpy().tolist()
    ([[1.0, 2.0], [2.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]])
    """
    re, im = _pair(x, "ifft2")
    size = _check_2d(re, "ifft2")
    z = np.fft.ifft2(re.data + 1j * im.data)
    return _parts(z, (re, im), lambda g: np.fft.fft2(g) / size, re.dtype, "ifft2")


def _fit_last(a, n):
    """`a` cropped or zero-padded to length `n` on its last axis."""
    if a.shape[-1] >= n:
        return a[..., :n]
    return np.pad(a, [(0, 0)] * (a.ndim - 1) + [(0, n - a.shape[-1])])


def _real_input(x, op):
    t = to_tensor(x, op=op)
    if t.dtype.kind != "f":  # jax computes integer signals in floatx
        from ..dtypes import floatx
        from .conversion import cast

        t = cast(t, floatx())
    return t


def rfft(x, fft_length=None):
    """Discrete Fourier transform of a real signal along the last axis, non-negative half.

    It keeps the `n // 2 + 1` non-negative frequencies, `n = fft_length` (the signal is cropped
    or zero-padded to `n`).

    Args:
        x: real input tensor (rank >= 1).
        fft_length: the transform length; None means the length of the last axis.

    Returns:
        `(real, imag)` of shape `(..., n // 2 + 1)`, in the input's float dtype.

    >>> import numpy as np, minikeras as keras
    >>> re, im = keras.ops.rfft(np.array([0.0, 1.0, 2.0, 3.0, 4.0]), 3)
    >>> re.numpy().round(4).tolist(), im.numpy().round(4).tolist()
    ([3.0, -1.5], [0.0, 0.866])
    """
    t = _real_input(x, "rfft")
    if t.ndim < 1:
        raise ValueError(f"rfft: input should have rank >= 1. Received: input.shape = {t.shape}")
    length = t.shape[-1]
    n = length if fft_length is None else int(fft_length)
    z = np.fft.rfft(t.data, n=n, axis=-1)

    def adjoint(g):
        # sum_k g_k e^{+2 pi i k t / n} over the kept bins, on the input's samples
        full = np.zeros(g.shape[:-1] + (n,), complex)
        full[..., : g.shape[-1]] = g
        return _fit_last(n * np.fft.ifft(full, axis=-1), length)

    return _parts(z, (t,), adjoint, t.dtype, "rfft")


def irfft(x, fft_length=None):
    """Inverse of `rfft`: the real signal of length `n` whose non-negative frequencies are `x`.

    The imaginary parts of the zero (and, for even `n`, the `n / 2`) frequency are ignored, as
    in numpy and Keras. The input is cropped or zero-padded to `n // 2 + 1` frequencies.

    Args:
        x: `(real, imag)` float tensors of one shape (rank >= 1).
        fft_length: the output length `n`; None means `2 * (x[0].shape[-1] - 1)`.

    Returns:
        The real signal `(..., n)`, in the input's dtype.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.irfft(keras.ops.rfft(np.array([0.0, 1.0, 2.0, 3.0, 4.0]), 5), 5).numpy().round(6)
    array([0., 1., 2., 3., 4.])
    """
    re, im = _pair(x, "irfft")
    if re.ndim < 1:
        raise ValueError(f"irfft: input should have rank >= 1. Received: input.shape = {re.shape}")
    m = re.shape[-1]
    n = 2 * (m - 1) if fft_length is None else int(fft_length)
    out = np.fft.irfft(re.data + 1j * im.data, n=n, axis=-1).astype(re.dtype)
    bins = n // 2 + 1
    # y_t = (1/n) sum_k w_k Re(c_k e^{2 pi i k t / n}): w_k = 2 except the unpaired 0 (and n/2)
    w = np.full(bins, 2.0)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0

    def backward(dout):
        # dRe c_k + i dIm c_k = (w_k / n) sum_t dout_t e^{-2 pi i k t / n}
        g = _fit_last(np.fft.rfft(dout, n=n, axis=-1) * (w / n), m)
        return g.real.astype(re.dtype), g.imag.astype(re.dtype)

    return Tensor.from_op(out, (re, im), backward, "irfft")


def _window(window, sequence_length, fft_length, dtype, op):
    """The analysis window, centred in `fft_length` samples with zeros."""
    if window is None:
        return np.ones(fft_length, dtype)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f'{op}: a string `window` must be one of "hann", "hamming". '
                f"Received: window={window!r}"
            )
        # the periodic windows of scipy.signal.get_window (fftbins=True); one sample is [1.0]
        a = 0.5 if window == "hann" else 0.54
        win = a - (1 - a) * np.cos(2 * np.pi * np.arange(sequence_length) / sequence_length)
        if sequence_length == 1:
            win = np.ones(1)
    else:
        win = np.asarray(window.data if isinstance(window, Tensor) else window)
    if win.ndim != 1 or win.shape[0] != sequence_length:
        raise ValueError(
            f"{op}: the shape of `window` must be equal to [sequence_length]. "
            f"Received: window shape={win.shape}"
        )
    left = (fft_length - sequence_length) // 2
    return np.pad(win, (left, fft_length - sequence_length - left)).astype(dtype)


def _check_stft(sequence_length, sequence_stride, fft_length, op):
    if not isinstance(sequence_stride, (int, np.integer)) or sequence_stride <= 0:
        raise ValueError(
            f"{op}: `sequence_stride` must be a positive integer. "
            f"Received: sequence_stride={sequence_stride}"
        )
    if fft_length < sequence_length:
        raise ValueError(
            f"{op}: `fft_length` must equal or larger than `sequence_length`. "
            f"Received: sequence_length={sequence_length}, fft_length={fft_length}"
        )


def _frames(x, length, stride):
    """`(..., n)` -> `(..., count, length)`: windows starting every `stride` samples."""
    count = (x.shape[-1] - length) // stride + 1
    idx = np.arange(count)[:, None] * stride + np.arange(length)
    out = x.data[..., idx]

    def backward(dout):
        return (_overlap_add_data(dout, stride, x.shape[-1]),)

    return Tensor.from_op(out, (x,), backward, "frames")


def _overlap_add_data(frames, stride, n):
    out = np.zeros(frames.shape[:-2] + (n,), frames.dtype)
    length = frames.shape[-1]
    for i in range(frames.shape[-2]):
        out[..., i * stride : i * stride + length] += frames[..., i, :]
    return out


def _overlap_add(frames, stride):
    """`(..., count, length)` -> `(..., (count - 1) * stride + length)`, the frames summed."""
    count, length = frames.shape[-2:]
    out = _overlap_add_data(frames.data, stride, (count - 1) * stride + length)
    idx = np.arange(count)[:, None] * stride + np.arange(length)
    return Tensor.from_op(out, (frames,), lambda dout: (dout[..., idx],), "overlap_add")


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform along the last axis.

    Args:
        x: float32 or float64 signal `(..., n)`.
        sequence_length: the window length.
        sequence_stride: the hop between windows.
        fft_length: the FFT size (>= `sequence_length`); the window is centred in it.
        window: "hann" (default), "hamming" (periodic, as scipy), a tensor of
            `sequence_length` values, or None (no window).
        center: pad `fft_length // 2` reflected samples on both sides, so frame `t` is
            centred on sample `t * sequence_stride`.

    Returns:
        `(real, imag)` of shape `(..., frames, fft_length // 2 + 1)`.

    >>> import numpy as np, minikeras as keras
    >>> re, im = keras.ops.stft(np.arange(5.0), 3, 2, 3)
    >>> re.numpy().round(6).tolist()
    [[0.75, -0.375], [3.75, -1.875], [5.25, -2.625]]
    """
    t = to_tensor(x, op="stft")
    if t.dtype not in (np.float32, np.float64):
        raise TypeError(
            "stft: invalid input type. Expected `float32` or `float64`. "
            f"Received: input type={t.dtype}"
        )
    _check_stft(sequence_length, sequence_stride, fft_length, "stft")
    win = _window(window, sequence_length, fft_length, t.dtype, "stft")
    if center:
        half = fft_length // 2
        t = pad(t, [(0, 0)] * (t.ndim - 1) + [(half, half)], mode="reflect")
    # scipy's "spectrum" scaling divides by sum(win) and Keras multiplies by |sum(win)|
    sign = -1.0 if win.sum() < 0 else 1.0
    frames = _frames(t, fft_length, sequence_stride) * (sign * win)
    return rfft(frames, fft_length)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """Inverse short-time Fourier transform along the last two axes.

    Each frame's `irfft` is windowed and overlap-added, then divided by the overlap-added squared
    window (where it exceeds 1e-10), as Keras.

    Args:
        x: `(real, imag)` of shape `(..., frames, fft_length // 2 + 1)`.
        sequence_length, sequence_stride, fft_length, window, center: as given to `stft`.
        length: the output length (after removing the centring pad); None keeps every sample.

    Returns:
        The real signal `(..., samples)`.

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(5.0)
    >>> keras.ops.istft(keras.ops.stft(x, 1, 1, 1), 1, 1, 1).numpy().tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0]
    """
    re, im = _pair(x, "istft")
    if re.ndim < 2:
        raise ValueError(f"istft: input should have rank >= 2. Received: input.shape = {re.shape}")
    _check_stft(sequence_length, sequence_stride, fft_length, "istft")
    win = _window(window, sequence_length, fft_length, re.dtype, "istft")
    frames = irfft((re, im), fft_length) * win  # (..., count, fft_length)
    count = re.shape[-2]
    total = (count - 1) * sequence_stride + fft_length
    norm = _overlap_add_data(np.broadcast_to(win**2, (count, fft_length)), sequence_stride, total)
    # scipy multiplies by sum(win) and Keras divides by it, or by the stride when window is None
    scale = 1.0 if window is not None else fft_length / sequence_stride
    factor = (scale / np.where(norm > 1e-10, norm, 1.0)).astype(re.dtype)
    y = _overlap_add(frames, sequence_stride) * factor
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + int(length)
    else:
        end = total - (fft_length // 2 if center else 0)
    return y[..., start:end]
