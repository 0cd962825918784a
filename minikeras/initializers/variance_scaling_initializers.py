"""`VarianceScaling` and its presets (Glorot, He, LeCun), with `compute_fans`."""

import math

from .initializer import _check_shape, _float_dtype
from .random_initializers import RandomInitializer, _seed_config, _truncated

_TRUNC_STD = 0.87962566103423978  # std of a unit normal truncated to [-2, 2]


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
