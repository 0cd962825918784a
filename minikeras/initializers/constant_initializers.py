"""Deterministic initializers: `Zeros`, `Ones`, `Constant`, `Identity` and `STFT`."""

import numpy as np

from ..core import dtypes
from .initializer import Initializer, _check_shape


class Zeros(Initializer):
    """Initializer that fills the weight with zeros.

    >>> import minikeras as keras
    >>> keras.initializers.Zeros()((2,)).numpy().tolist()
    [0.0, 0.0]
    """

    def __call__(self, shape, dtype=None):
        return np.zeros(_check_shape(shape, "Zeros"), dtypes.standardize_dtype(dtype))


class Ones(Initializer):
    """Initializer that fills the weight with ones.

    >>> import minikeras as keras
    >>> keras.initializers.Ones()((2,)).numpy().tolist()
    [1.0, 1.0]
    """

    def __call__(self, shape, dtype=None):
        return np.ones(_check_shape(shape, "Ones"), dtypes.standardize_dtype(dtype))


class Constant(Initializer):
    """Initializer that sets every entry to `value`.

    Args:
        value: a scalar, or an array that broadcasts to the requested shape.

    >>> import minikeras as keras
    >>> keras.initializers.Constant(3.0)((2,)).numpy().tolist()
    [3.0, 3.0]
    """

    def __init__(self, value=0.0):
        if isinstance(value, dict) and value.get("class_name") == "__numpy__":
            value = value["config"]["value"]  # Keras 3's serialized numpy array
        self.value = value

    def __call__(self, shape, dtype=None):
        shape = _check_shape(shape, "Constant")
        value = np.asarray(self.value, dtypes.standardize_dtype(dtype))
        try:
            return np.array(np.broadcast_to(value, shape))
        except ValueError:
            raise ValueError(
                f"Constant value of shape {value.shape} cannot fill shape {shape}."
            ) from None

    def get_config(self):
        value = self.value
        if isinstance(value, (np.ndarray, np.generic)):
            value = value.tolist()  # JSON-friendly
        return {"value": value}


class Identity(Initializer):
    """Initializer giving `gain` times the identity matrix (2-D shapes only).

    A non-square shape `(n, m)` gives `gain * numpy.eye(n, m)`.

    Args:
        gain: the factor on the diagonal.

    >>> import minikeras as keras
    >>> keras.initializers.Identity(gain=2.0)((2, 2)).numpy().tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _check_shape(shape, "Identity")
        if len(shape) != 2:
            raise ValueError(
                "Identity initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        return (self.gain * np.eye(*shape)).astype(dtypes.standardize_dtype(dtype))

    def get_config(self):
        # as Keras 3 (3.15.1 observed), whose Identity has no get_config: `gain` is not saved
        return {}


def _named_window(name, n, periodic):
    """The windows of `scipy.signal.get_window(name, n, fftbins=periodic)` that STFT accepts."""
    if n == 1:
        return np.ones(1)
    m = n if periodic else n - 1  # a periodic window is the symmetric one of n + 1, cut
    t = 2 * np.pi * np.arange(n) / m
    if name in ("hann", "hanning"):
        return 0.5 - 0.5 * np.cos(t)
    if name in ("hamming", "hamm"):
        return 0.54 - 0.46 * np.cos(t)
    if name in ("blackman", "black", "blk"):
        return 0.42 - 0.5 * np.cos(t) + 0.08 * np.cos(2 * t)
    if name in ("boxcar", "box", "ones", "rect", "rectangular"):
        return np.ones(n)
    if name in ("bartlett", "bart", "brt"):
        return 1 - np.abs(2 * np.arange(n) / m - 1)
    raise ValueError(
        "STFT: a string `window` must be one of 'hann', 'hamming', 'blackman', 'boxcar' or "
        f"'bartlett' (or pass the window's values). Received: window={name!r}"
    )


class STFT(Initializer):
    """Initializer of a Conv1D kernel computing one side of a short-time Fourier transform.

    Keras 3's `STFTInitializer`, used by its `STFTSpectrogram` layer.

    For a shape `(T, 1, F)` (frame length `T`, `F = n_fft // 2 + 1` frequencies) the entry
    `[t, 0, k]` is `cos(-2 pi t k / n_fft)` (`side="real"`) or its sine (`side="imag"`), times
    the window's value at `t` divided by the window's L2 norm (`scaling="density"`) or its sum
    (`"spectrum"`).

    Args:
        side: "real" or "imag".
        window: "hann" (default), "hamming", "blackman", "boxcar", "bartlett" (scipy's
            windows of those names), an array of `T` values, or None (no window).
        scaling: "density", "spectrum" or None.
        periodic: use the periodic form of a named window (scipy's `fftbins=True`).

    >>> import minikeras as keras
    >>> k = keras.initializers.STFT("real", window=None)((4, 1, 3))
    >>> k.numpy()[:, 0, :].round(3).tolist()
    [[1.0, 1.0, 1.0], [1.0, 0.0, -1.0], [1.0, -1.0, 1.0], [1.0, -0.0, -1.0]]
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"STFT: side should be 'real' or 'imag', not {side!r}")
        if isinstance(window, str):
            _named_window(window, 2, periodic)  # an unknown name fails here, as in Keras
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                "STFT: scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                f"Received scaling={scaling!r}"
            )
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, periodic

    def __call__(self, shape, dtype=None):
        shape = _check_shape(shape, "STFT")
        if len(shape) != 3:
            raise ValueError(
                "STFT initializer expects a shape (frame_length, input_channels, fft_bins). "
                f"Received: shape={shape}"
            )
        dtype = dtypes.standardize_dtype(dtype)
        frame_length, _, bins = shape
        n_fft = (bins - 1) * 2
        t = np.arange(frame_length).reshape(frame_length, 1, 1)
        k = np.arange(bins).reshape(1, 1, bins)
        angle = -2.0 * t * (k / n_fft) * np.pi
        kernel = np.cos(angle) if self.side == "real" else np.sin(angle)
        if self.window is not None:
            if isinstance(self.window, str):
                win = _named_window(self.window, frame_length, self.periodic)
            else:
                win = np.asarray(self.window, dtype="float64")
            if win.shape != (frame_length,):
                raise ValueError(
                    "STFT: the shape of `window` must be equal to [frame_length]. "
                    f"Received: window shape={win.shape}, frame_length={frame_length}"
                )
            scale = 1.0
            if self.scaling == "density":
                scale = np.sqrt(np.sum(win**2))
            elif self.scaling == "spectrum":
                scale = np.sum(np.abs(win))
            kernel = kernel * win.reshape(frame_length, 1, 1) / scale
        return np.broadcast_to(kernel, shape).astype(dtype)

    def get_config(self):
        window = self.window
        if isinstance(window, np.ndarray):
            window = window.tolist()
        return {
            "side": self.side,
            "window": window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }
