"""`SeedGenerator`: the random state a layer owns, and how a `seed` argument becomes a generator.

Every `keras.random` function takes `seed`, which is one of:

- an int: stateless, the same draw on every call (Keras 3 semantics);
- a `SeedGenerator`: its state `(seed, counter)` picks the draw and the counter advances, so
  successive calls differ but a generator built with the same seed repeats the sequence;
- `None`: a draw from minikeras's global generator, which `keras.utils.set_random_seed` seeds
  (Keras 3's numpy backend also accepts `None`, drawing from its global state).

A state `(s, c)` is hashed (splitmix64) into the 128-bit state and increment of a PCG64
generator: each state has its own stream, set up in a few microseconds (a SeedGenerator reuses
one numpy Generator and only resets its state, which keeps Dropout cheap), and an int seed `s`
draws what a fresh `SeedGenerator(s)` draws first (as in Keras, where both are the state
`[s, 0]`). The numbers differ from Keras's own bit streams.
"""

import numbers

import numpy as np

from ..core.tensor import Tensor
from ..core.variable import Variable
from ..utils import naming
from ..utils import random as _global

_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF


def _check_int_seed(seed, where):
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(f"{where}: argument `seed` must be an integer. Received: seed={seed!r}")
    return int(seed) & _MASK32  # seeds are uint32 values, as in Keras's numpy backend


class SeedGenerator:
    """Random state that advances on each draw: pass it as `seed` to get new values each call.

    The state is a non-trainable `Variable` named `seed_generator_state`, dtype uint32, shape
    (2,): `[seed, counter]`. A layer holding a `SeedGenerator` in an attribute lists that state
    in `layer.variables` and `layer.non_trainable_variables`, but not in `layer.weights`, and
    it is not saved with the layer's weights (both as in Keras 3).

    Args:
        seed: an int, or `None` to draw one from the global generator (so
            `keras.utils.set_random_seed` fixes it).
        name: optional name (default `seed_generator`, `seed_generator_1`, ...).

    >>> import minikeras as keras
    >>> gen = keras.random.SeedGenerator(seed=42)
    >>> a = keras.random.normal((2,), seed=gen)
    >>> b = keras.random.normal((2,), seed=gen)
    >>> bool((a.numpy() != b.numpy()).all()), gen.state.numpy().tolist()
    (True, [42, 2])
    """

    def __init__(self, seed=None, name=None, **kwargs):
        kwargs.pop("backend", None)  # Keras's choice of backend: minikeras has one
        if kwargs:
            raise ValueError(f"SeedGenerator: unrecognized keyword arguments: {kwargs}")
        self.name = name or naming.uniquify("seed_generator")
        self._initial_seed = seed
        if seed is None:
            # Keras draws a default seed in [1, 1e9] from the global (Python) random state
            seed = int(_global.global_rng().integers(1, 10**9))
        seed = _check_int_seed(seed, "SeedGenerator")
        self.state = Variable(
            np.array([seed, 0], np.uint32), trainable=False, name="seed_generator_state"
        )
        self.state.path = f"{self.name}/seed_generator_state"
        self._bit_generator = np.random.PCG64(0)  # re-stated before every draw
        self._numpy_generator = np.random.Generator(self._bit_generator)

    def next(self, ordered=True):
        """The current state `[seed, counter]` as a uint32 Tensor; then the state advances.

        Args:
            ordered: True adds 1 to the counter; False scrambles both words as Keras does for
                its global generator (a sequence of near-unique values below 933199).

        Returns:
            The state before the advance, a Tensor of shape (2,).
        """
        value = self.state.data.copy()
        if ordered:
            self.state.data[1] += np.uint32(1)
        else:
            self.state.data[...] = (value.astype(np.uint64) + 1) * 5387 % 933199
        return Tensor(value)

    def get_config(self):
        """The seed as given (`None` for an unseeded generator) and the name.

        Returns:
            `{"seed": ..., "name": ...}`.
        """
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        """A new generator from `get_config()`'s output.

        Args:
            config: the dict `get_config` returned.

        Returns:
            A `SeedGenerator`.
        """
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name}, state={self.state.data.tolist()}>"


def _splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def _set_state(bit_generator, key, counter):
    """Puts `bit_generator` (a PCG64) at the start of the stream of state `(key, counter)`."""
    a = _splitmix64((key << 32) | counter)
    b = _splitmix64(a ^ 0xD1B54A32D192ED03)
    c = _splitmix64(b)
    d = _splitmix64(c)
    bit_generator.state = {
        "bit_generator": "PCG64",
        "state": {"state": (a << 64) | b, "inc": ((c << 64) | d) | 1},
        "has_uint32": 0,
        "uinteger": 0,
    }


def draw_rng(seed, where="keras.random"):
    """A numpy Generator for one draw: from an int seed (always the same stream), a
    `SeedGenerator` (its current state, then advanced) or None (the global generator)."""
    if seed is None:
        return _global.global_rng()
    if isinstance(seed, SeedGenerator):
        state = seed.state.data
        key, counter = int(state[0]), int(state[1])
        state[1] += np.uint32(1)
        _set_state(seed._bit_generator, key, counter)
        return seed._numpy_generator
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        bit_generator = np.random.PCG64(0)
        _set_state(bit_generator, int(seed) & _MASK32, 0)
        return np.random.Generator(bit_generator)
    raise ValueError(
        f"{where}: argument `seed` must be an integer, a `keras.random.SeedGenerator` or None. "
        f"Received: seed={seed!r} (of type {type(seed).__name__})"
    )


def seed_generators_of(obj):
    """The `SeedGenerator`s held directly in `obj`'s attributes (a layer's random state)."""
    return [v for v in vars(obj).values() if isinstance(v, SeedGenerator)]
