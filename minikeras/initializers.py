"""`keras.initializers`: callables `init(shape, dtype=None)` giving a weight's first value.

As in Keras 3, a random initializer fixes its seed when it is created: an unseeded one draws
that seed from minikeras's global generator (so `keras.utils.set_random_seed` makes it
repeatable), and every call of one initializer object returns the same values. Its config still
says `seed: None`, so a copy rebuilt from the config draws a new seed.

>>> import minikeras as keras
>>> keras.initializers.get("ones")((2,)).numpy().tolist()
[1.0, 1.0]
"""

import math
import types

import numpy as np

from .core import dtypes
from .core.tensor import Tensor as _Tensor
from .random.seed_generator import SeedGenerator as _SeedGenerator
from .random.seed_generator import draw_rng as _draw_rng
from .utils import random as _random

_TRUNC_STD = 0.87962566103423978  # std of a unit normal truncated to [-2, 2]


class Initializer:
    """Base class of initializers: callables `init(shape, dtype=None)` returning a tensor.

    The built-in ones return a minikeras Tensor; a subclass may return a numpy array.

    Subclasses implement `__call__(shape, dtype=None)` and, when they take arguments,
    `get_config()`; `from_config` and `clone` then work as in Keras.

    >>> import numpy as np, minikeras as keras
    >>> class Twos(keras.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return np.full(shape, 2.0, dtype or "float32")
    >>> layer = keras.layers.Dense(2, kernel_initializer=Twos())
    >>> layer(np.ones((1, 3), "float32")).numpy().tolist()
    [[6.0, 6.0]]
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # the built-in initializers return a Tensor, as Keras 3's return a backend tensor
        # (`init(shape).numpy()`, `float(init((1, 1)))`); a user's subclass returns what it returns
        if cls.__module__ == __name__ and "__call__" in cls.__dict__:
            draw = cls.__dict__["__call__"]

            def __call__(self, shape, dtype=None):
                out = draw(self, shape, dtype)
                return _Tensor(out) if isinstance(out, np.ndarray) else out

            __call__.__doc__, __call__.__wrapped__ = draw.__doc__, draw
            cls.__call__ = __call__

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__(shape, dtype).")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("dtype", None)  # tf.keras 1.x wrote the dtype into initializer configs
        return cls(**config)

    def clone(self):
        return type(self).from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _check_shape(shape, who):
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        dims = None
    if dims is None or not all(isinstance(d, (int, np.integer)) and d >= 0 for d in dims):
        raise ValueError(f"{who} expects a shape of non-negative ints. Received: shape={shape!r}")
    return tuple(int(d) for d in dims)


def _float_dtype(dtype, who):
    name = dtypes.standardize_dtype(dtype)
    if not dtypes.is_float(name):
        raise ValueError(f"{who} produces floating-point values only. Received: dtype={dtype!r}")
    return name


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


def _seed_value(seed):
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)):
        return seed
    if isinstance(seed, _SeedGenerator):
        return int(seed.state.data[0])
    raise ValueError(
        "Expected `seed` to be an int, a keras.random.SeedGenerator or None. "
        f"Received: seed={seed!r}"
    )


def _seed_config(seed):
    """`seed` as `get_config` reports it: a SeedGenerator serialized as Keras 3 does."""
    if isinstance(seed, _SeedGenerator):
        return {
            "module": "keras.random",
            "class_name": "SeedGenerator",
            "config": seed.get_config(),
            "registered_name": None,
        }
    return seed


def _default_seed():
    """A seed for an unseeded initializer, from the generator `set_random_seed` seeds."""
    return int(_random.global_rng().integers(1, 10**9))


class RandomInitializer(Initializer):
    """Base class of the random initializers.

    The seed is fixed at creation, as in Keras 3: an int `seed` is used as is, and `None` draws
    one from minikeras's global generator (which `keras.utils.set_random_seed` seeds). Either way
    one initializer object returns the same values on every call, and two layers given the same
    object start with the same weights. `get_config()` reports the seed as passed (`None` for an
    unseeded one), so a copy rebuilt from the config draws its own seed. A serialized
    `keras.random.SeedGenerator` as `seed` gives a generator that advances on each call instead.

    Args:
        seed: an int, a `keras.random.SeedGenerator` (or its serialized dict), or `None`.

    >>> import numpy as np, minikeras as keras
    >>> init = keras.initializers.RandomNormal()
    >>> bool(np.array_equal(init((2,)), init((2,))))
    True
    """

    def __init__(self, seed=None):
        if isinstance(seed, dict):  # a serialized keras.random.SeedGenerator
            seed = _SeedGenerator.from_config(seed.get("config", seed))
        self._init_seed = seed
        seed = _seed_value(seed)
        self.seed = _default_seed() if seed is None else seed

    def _rng(self):
        if isinstance(self._init_seed, _SeedGenerator):
            # Keras 3 draws from a SeedGenerator on each call, so its values change
            return _draw_rng(self._init_seed)
        return _random.make_rng(self.seed)

    def get_config(self):
        return {"seed": _seed_config(self._init_seed)}


def _truncated(rng, shape, mean, stddev):
    """Normal draws, redrawing any farther than two standard deviations from the mean."""
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2.0
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2.0
    return mean + stddev * z


class RandomNormal(RandomInitializer):
    """Initializer drawing from a normal distribution.

    Args:
        mean: the mean of the draws.
        stddev: their standard deviation.
        seed: an int for repeatable values, or `None`.

    >>> import minikeras as keras
    >>> init = keras.initializers.RandomNormal(stddev=0.1, seed=0)
    >>> w = init((3, 4)).numpy()
    >>> w.shape, w.dtype.name, bool((w == init((3, 4)).numpy()).all())
    ((3, 4), 'float32', True)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        shape, dtype = _check_shape(shape, "RandomNormal"), _float_dtype(dtype, "RandomNormal")
        return (self.mean + self.stddev * self._rng().standard_normal(shape)).astype(dtype)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Initializer drawing from a normal distribution truncated at two standard deviations.

    Draws farther than `2 * stddev` from `mean` are redrawn.

    Args:
        mean: the mean of the draws.
        stddev: the standard deviation before truncation.
        seed: an int for repeatable values, or `None`.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.initializers.TruncatedNormal(stddev=1.0, seed=0)((100,)).numpy()
    >>> bool(np.abs(w).max() <= 2.0)
    True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        shape = _check_shape(shape, "TruncatedNormal")
        dtype = _float_dtype(dtype, "TruncatedNormal")
        return _truncated(self._rng(), shape, self.mean, self.stddev).astype(dtype)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Initializer drawing uniformly from `[minval, maxval)`.

    Args:
        minval: the lower bound (included).
        maxval: the upper bound (excluded).
        seed: an int for repeatable values, or `None`.

    >>> import minikeras as keras
    >>> w = keras.initializers.RandomUniform(0.0, 1.0, seed=0)((100,)).numpy()
    >>> bool(w.min() >= 0.0 and w.max() < 1.0)
    True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval = minval, maxval
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        shape, dtype = _check_shape(shape, "RandomUniform"), _float_dtype(dtype, "RandomUniform")
        return self._rng().uniform(self.minval, self.maxval, shape).astype(dtype)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def compute_fans(shape, input_axes=None, output_axes=None):
    """Returns the `(fan_in, fan_out)` of a weight shape.

    A 2-D `(in, out)` matrix gives `(in, out)`; for kernels of 3 or more dims both fans include
    the receptive field `prod(shape[:-2])`. A 1-D shape gives its size twice, a scalar `(1, 1)`.

    Args:
        shape: the weight shape.
        input_axes: optional axes whose sizes multiply into `fan_in` (Keras 3.15, for einsum
            kernels); the default is `-2`.
        output_axes: optional axes whose sizes multiply into `fan_out`; the default is `-1`.

    Returns:
        A tuple of two ints.

    >>> import minikeras as keras
    >>> keras.initializers.compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    shape = tuple(shape)
    if input_axes is not None or output_axes is not None:
        in_axes = [input_axes] if isinstance(input_axes, int) else list(input_axes or [-2])
        out_axes = [output_axes] if isinstance(output_axes, int) else list(output_axes or [-1])
        return math.prod(shape[a] for a in in_axes), math.prod(shape[a] for a in out_axes)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])  # 1 for a 2-D matrix
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class VarianceScaling(RandomInitializer):
    """Initializer whose draws have variance `scale / n`, `n` chosen from the weight's fans.

    Args:
        scale: positive factor.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"` (picks `n`).
        distribution: `"truncated_normal"` (`"normal"` means the same), `"untruncated_normal"`
            or `"uniform"` (limit `sqrt(3 * scale / n)`).
        seed: an int for repeatable values, or `None`.
        input_axes, output_axes: optional axes for `compute_fans` (einsum kernels).

    >>> import numpy as np, minikeras as keras
    >>> init = keras.initializers.VarianceScaling(3.0, "fan_in", "uniform", seed=0)
    >>> bool(np.abs(init((9, 4)).numpy()).max() <= 1.0)  # limit sqrt(3 * 3 / 9)
    True
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        if not scale > 0:
            raise ValueError(f"Argument `scale` must be a positive float. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(
                "Argument `mode` must be one of 'fan_in', 'fan_out', 'fan_avg'. "
                f"Received: mode={mode!r}"
            )
        distribution = str(distribution).lower()
        distribution = "truncated_normal" if distribution == "normal" else distribution
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(
                "Argument `distribution` must be one of 'truncated_normal', 'untruncated_normal', "
                f"'uniform'. Received: distribution={distribution!r}"
            )
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        name = type(self).__name__
        shape, dtype = _check_shape(shape, name), _float_dtype(dtype, name)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        rng = self._rng()
        if self.distribution == "truncated_normal":
            out = _truncated(rng, shape, 0.0, math.sqrt(variance) / _TRUNC_STD)
        elif self.distribution == "untruncated_normal":
            out = math.sqrt(variance) * rng.standard_normal(shape)
        else:
            limit = math.sqrt(3.0 * variance)
            out = rng.uniform(-limit, limit, shape)
        return out.astype(dtype)

    def _axes_config(self):
        return {"input_axes": self.input_axes, "output_axes": self.output_axes}

    def get_config(self):
        own = {"scale": self.scale, "mode": self.mode, "distribution": self.distribution}
        return {**super().get_config(), **own, **self._axes_config()}


class _Preset(VarianceScaling):
    """VarianceScaling with a fixed `(scale, mode, distribution)`; its config holds the seed."""

    _preset = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(*self._preset, seed=seed, input_axes=input_axes, output_axes=output_axes)

    def get_config(self):
        return {"seed": _seed_config(self._init_seed), **self._axes_config()}


class GlorotUniform(_Preset):
    """Glorot (Xavier) uniform initializer: uniform in `[-L, L]`, `L = sqrt(6 / (fan_in+fan_out))`.

    Args:
        seed: an int for repeatable values, or `None`.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.initializers.GlorotUniform(seed=0)((4, 2)).numpy()
    >>> bool(np.abs(w).max() <= 1.0)  # sqrt(6 / 6)
    True
    """

    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_Preset):
    """Glorot (Xavier) normal initializer: truncated normal, stddev `sqrt(2 / (fan_in+fan_out))`.

    Args:
        seed: an int for repeatable values, or `None`.

    >>> import minikeras as keras
    >>> keras.initializers.GlorotNormal(seed=0)((4, 2)).shape
    (4, 2)
    """

    _preset = (1.0, "fan_avg", "truncated_normal")


class HeUniform(_Preset):
    """He uniform initializer: uniform in `[-L, L]`, `L = sqrt(6 / fan_in)`.

    Args:
        seed: an int for repeatable values, or `None`.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.initializers.HeUniform(seed=0)((6, 3)).numpy()
    >>> bool(np.abs(w).max() <= 1.0)  # sqrt(6 / 6)
    True
    """

    _preset = (2.0, "fan_in", "uniform")


class HeNormal(_Preset):
    """He normal initializer: truncated normal with stddev `sqrt(2 / fan_in)`.

    Args:
        seed: an int for repeatable values, or `None`.

    >>> import minikeras as keras
    >>> keras.initializers.HeNormal(seed=0)((4, 2)).shape
    (4, 2)
    """

    _preset = (2.0, "fan_in", "truncated_normal")


class LecunUniform(_Preset):
    """LeCun uniform initializer: uniform in `[-L, L]`, `L = sqrt(3 / fan_in)`.

    Args:
        seed: an int for repeatable values, or `None`.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.initializers.LecunUniform(seed=0)((3, 3)).numpy()
    >>> bool(np.abs(w).max() <= 1.0)  # sqrt(3 / 3)
    True
    """

    _preset = (1.0, "fan_in", "uniform")


class LecunNormal(_Preset):
    """LeCun normal initializer: truncated normal with stddev `sqrt(1 / fan_in)`.

    Args:
        seed: an int for repeatable values, or `None`.

    >>> import minikeras as keras
    >>> keras.initializers.LecunNormal(seed=0)((4, 2)).shape
    (4, 2)
    """

    _preset = (1.0, "fan_in", "truncated_normal")


class Orthogonal(RandomInitializer):
    """Initializer giving `gain` times a random orthogonal matrix.

    The matrix is the QR factor `Q` of a Gaussian matrix, its signs fixed by `diag(R)`.

    Shapes with more than 2 dims are treated as `(prod(shape[:-1]), shape[-1])` and reshaped. With
    fewer rows than columns the rows are orthonormal, otherwise the columns.

    Args:
        gain: the factor applied to the orthogonal matrix.
        seed: an int for repeatable values, or `None`.

    >>> import numpy as np, minikeras as keras
    >>> q = keras.initializers.Orthogonal(seed=0)((3, 3)).numpy()
    >>> bool(np.allclose(q.T @ q, np.eye(3), atol=1e-5))
    True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        shape, dtype = _check_shape(shape, "Orthogonal"), _float_dtype(dtype, "Orthogonal")
        if len(shape) < 2:
            raise ValueError(
                "Orthogonal initializer needs a shape of at least 2 dims. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        if rows * cols == 0:
            return np.zeros(shape, dtype)
        a = self._rng().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)  # q: (max, min) with orthonormal columns
        q = q * np.sign(np.diag(r))  # makes the result uniformly distributed
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(dtype)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


# ---- lookup and (de)serialization, shared with regularizers.py and constraints.py -------------


def _registered_object(name):
    """The object registered as `name` with `keras.saving.register_keras_serializable`, if any."""
    try:
        from .saving import get_registered_object
    except ImportError:
        return None
    return get_registered_object(name)


def _registered_name(obj):
    try:
        from .saving import get_registered_name
    except ImportError:
        return None
    try:
        name = get_registered_name(obj)
    except (AttributeError, TypeError):  # an instance without __name__, never registered
        return None
    return name if _registered_object(name) is obj else None


def _sharing():
    """`saving.serialization` (for Keras 3's `shared_object_id` while a `.keras` file is saved or
    loaded), or None when saving is unavailable."""
    try:
        from .serialization import keras_objects as serialization
    except ImportError:
        return None
    return serialization


def _lookup(names, table, kind, custom_objects=None):
    """Finds the first of `names` in custom_objects, the built-ins, then the saving registry."""
    for name in names:
        if not isinstance(name, str):
            continue
        found = (custom_objects or {}).get(name) or table.get(name) or _registered_object(name)
        if found is not None:
            return found
    shown = names[-1] if names else names
    raise ValueError(
        f"Unknown {kind}: {shown!r}. Valid names: {', '.join(sorted(table))}. Custom objects "
        "must be registered with `keras.saving.register_keras_serializable()` or passed in "
        "`custom_objects`."
    )


def _object_from_config(config, table, kind, custom_objects=None):
    """Builds an object from a Keras 2 or 3 `{"class_name", "config"}` dict (`module` ignored)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Expected a {kind} name or a config dict with a 'class_name' key. Received: {config!r}"
        )
    if config["class_name"] == "function":  # a plain (registered) function, as Keras 3 writes it
        names = [config.get("registered_name"), config.get("config")]
        return _lookup([n for n in names if n], table, kind, custom_objects)
    sharing = _sharing()
    shared = sharing.shared_object(config) if sharing else None
    if shared is not None:  # one object referenced from several places of a .keras file
        return shared
    names = [config.get("registered_name"), config["class_name"]]
    cls = _lookup([n for n in names if n], table, kind, custom_objects)
    inner = dict(config.get("config") or {})
    try:
        obj = cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
        return sharing.record_loaded(config, obj) if sharing else obj
    except TypeError as e:  # an argument this version does not know
        name = config["class_name"]
        raise ValueError(f"Cannot build {kind} {name!r} from {inner}: {e}") from None


def _object_to_config(obj, module, table, kind):
    """The Keras 3 dict form of `obj`: `{"module", "class_name", "config", "registered_name"}`.

    None gives None; a plain function gives Keras's `{"class_name": "function", ...}` form, which
    loads back only if the function is registered or passed in `custom_objects`.
    """
    if obj is None:
        return None
    if isinstance(obj, types.FunctionType):
        name = _registered_name(obj) or obj.__name__
        return {
            "module": obj.__module__,
            "class_name": "function",
            "config": name,
            "registered_name": name,
        }
    if not hasattr(obj, "get_config"):
        raise ValueError(
            f"Cannot serialize {kind} {obj!r}: it has no get_config(). Use a keras.{kind}s class, "
            "or a registered subclass of its base class."
        )
    cls = type(obj)
    builtin = table.get(cls.__name__) is cls
    out = {
        "module": module if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": obj.get_config(),
        "registered_name": None if builtin else (_registered_name(cls) or cls.__name__),
    }
    sharing = _sharing()
    return sharing.mark_shared(obj, out) if sharing else out


def _snake(name):
    out = "".join("_" + c.lower() if c.isupper() else c for c in name)
    return out.lstrip("_")


_CLASSES = [
    Initializer,
    Zeros,
    Ones,
    Constant,
    Identity,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    GlorotUniform,
    GlorotNormal,
    HeUniform,
    HeNormal,
    LecunUniform,
    LecunNormal,
    Orthogonal,
    STFT,
]
ALL_OBJECTS_DICT = {c.__name__: c for c in _CLASSES}
ALL_OBJECTS_DICT.update({_snake(c.__name__): c for c in _CLASSES if c is not STFT})
ALL_OBJECTS_DICT.update(
    {
        "normal": RandomNormal,
        "uniform": RandomUniform,
        "one": Ones,
        "zero": Zeros,
        "IdentityInitializer": Identity,
        "OrthogonalInitializer": Orthogonal,
        "STFTInitializer": STFT,
        "stft": STFT,
    }
)
# Keras 3's compatibility aliases, also public names of keras.initializers
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
STFTInitializer = STFT
stft = STFT


def serialize(initializer):
    """Returns the Keras 3 config dict of an initializer.

    Args:
        initializer: an initializer object (or a plain function, or `None`).

    Returns:
        A dict `{"module", "class_name", "config", "registered_name"}`, or `None`.

    >>> import minikeras as keras
    >>> keras.initializers.serialize(keras.initializers.Constant(2.0))["config"]
    {'value': 2.0}
    """
    return _object_to_config(initializer, "keras.initializers", ALL_OBJECTS_DICT, "initializer")


def deserialize(config, custom_objects=None):
    """Builds an initializer from a name or a Keras 2/3 config dict.

    Args:
        config: a name such as `"glorot_uniform"`, or a dict with `class_name` and `config`.
        custom_objects: optional dict of extra names to look up first.

    Returns:
        An initializer object.

    >>> import minikeras as keras
    >>> keras.initializers.deserialize({"class_name": "Constant", "config": {"value": 2.0}})
    Constant(value=2.0)
    """
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    return _object_from_config(config, ALL_OBJECTS_DICT, "initializer", custom_objects)


def get(identifier):
    """Returns an initializer from a name, config dict, class, instance or callable.

    Args:
        identifier: a name, a config dict, a class (instantiated with defaults), an instance or
            callable (returned as is), or `None` (gives `None`).

    Returns:
        An initializer, or `None`.

    >>> import minikeras as keras
    >>> keras.initializers.get("he_normal")
    HeNormal(seed=None, input_axes=None, output_axes=None)
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")


def _export_snake_case_aliases():
    # Keras 3 also exports the classes under snake-case names (`keras.regularizers.l2(1e-4)`,
    # `keras.initializers.he_normal()`, `keras.constraints.max_norm(3)`)
    module = globals()
    for key in "constant glorot_normal glorot_uniform he_normal he_uniform identity lecun_normal lecun_uniform ones orthogonal random_normal random_uniform truncated_normal variance_scaling zeros".split():
        if key not in module:
            module[key] = ALL_OBJECTS_DICT[key]


_export_snake_case_aliases()
