"""Global random state: `set_random_seed` makes initialisation, dropout, shuffling and every
other random draw in minikeras repeatable."""

import random as _py_random

import numpy as np

_rng = np.random.default_rng()


def set_random_seed(seed):
    """Seeds Python's `random`, numpy's global RNG and minikeras's own generator.

    Args:
        seed: an int.

    >>> import minikeras as keras
    >>> keras.utils.set_random_seed(1337)
    """
    global _rng
    if not isinstance(seed, (int, np.integer)):
        raise ValueError(f"Expected an int seed. Received: seed={seed!r}")
    _py_random.seed(int(seed))
    np.random.seed(int(seed) % (2**32))
    _rng = np.random.default_rng(int(seed))


def global_rng():
    """The generator every unseeded random draw uses."""
    return _rng


def make_rng(seed=None):
    """A generator: a fresh one from `seed` if given, else one drawn from the global generator."""
    if seed is None:
        return np.random.default_rng(_rng.integers(0, 2**63 - 1))
    return np.random.default_rng(seed)
