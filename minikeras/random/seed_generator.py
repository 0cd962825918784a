"""`SeedGenerator`: the random state a layer owns, and how a `seed` argument becomes a generator.

Every `keras.random` function takes `seed`, which is one of:

- an int: stateless, the same draw on every call (Keras 3 semantics);
- a `SeedGenerator`: its state `(seed, counter)` picks the draw and the counter advances, so
  successive calls differ but a generator built with the same seed repeats the sequence;
- `None`: a draw from minikeras's global generator, which `keras.utils.set_random_seed` seeds
  (Keras 3's numpy backend also accepts `None`, drawing from its global state).

A state `(s, c)` is turned into numbers by a Philox counter-based generator keyed by `s`, with
`c` in the high words of its counter: each state has its own stream, built in a few
microseconds, and an int seed `s` draws what a fresh `SeedGenerator(s)` draws first (as in
Keras, where both are the state `[s, 0]`). The numbers differ from Keras's own bit streams.
"""

import numbers

import numpy as np

from ..core.tensor import Tensor
from ..core.variable import Variable
from ..utils import naming
from ..utils import random as _global

_MASK32 = 0xFFFFFFFF


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


def _philox(key, counter):
    return np.random.Generator(np.random.Philox(key=int(key), counter=[0, 0, int(counter), 0]))


def draw_rng(seed, where="keras.random"):
    """A numpy Generator for one draw: from an int seed (always the same stream), a
    `SeedGenerator` (its current state, then advanced) or None (the global generator)."""
    if seed is None:
        return _global.global_rng()
    if isinstance(seed, SeedGenerator):
        state = seed.state.data
        key, counter = int(state[0]), int(state[1])
        state[1] += np.uint32(1)
        return _philox(key, counter)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return _philox(int(seed) & _MASK32, 0)
    raise ValueError(
        f"{where}: argument `seed` must be an integer, a `keras.random.SeedGenerator` or None. "
        f"Received: seed={seed!r} (of type {type(seed).__name__})"
    )


def seed_generators_of(obj):
    """The `SeedGenerator`s held directly in `obj`'s attributes (a layer's random state)."""
    return [v for v in vars(obj).values() if isinstance(v, SeedGenerator)]
