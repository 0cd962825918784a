"""Random initializers: the seeded base class, `RandomNormal`, `TruncatedNormal`,
`RandomUniform` and `Orthogonal`."""

import math

import numpy as np

from ..random.seed_generator import SeedGenerator as _SeedGenerator
from ..random.seed_generator import draw_rng as _draw_rng
from ..utils import random as _random
from .initializer import Initializer, _check_shape, _float_dtype


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
