"""`keras.random`: random draws that return Tensors, and `SeedGenerator`, a layer's random state.

`seed` is an int (the same values on every call), a `SeedGenerator` (new values on each call,
repeatable from its seed) or None (the global generator seeded by
`keras.utils.set_random_seed`), as in Keras 3.

>>> import minikeras as keras
>>> keras.random.uniform((2, 2), seed=0).shape
(2, 2)
"""

from .random import (
    beta,
    binomial,
    categorical,
    dropout,
    gamma,
    normal,
    randint,
    shuffle,
    truncated_normal,
    uniform,
)
from .seed_generator import SeedGenerator

__all__ = [
    "SeedGenerator",
    "beta",
    "binomial",
    "categorical",
    "dropout",
    "gamma",
    "normal",
    "randint",
    "shuffle",
    "truncated_normal",
    "uniform",
]
