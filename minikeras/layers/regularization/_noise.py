"""Shared helpers of the random regularization layers: rate checks and seed generators."""

import numbers

from ...random import SeedGenerator


def check_rate(layer_name, rate, name="rate"):
    if not isinstance(rate, numbers.Real):  # Keras 3 fails comparing it: a TypeError
        raise TypeError(
            f"Invalid type for argument `{name}` of {layer_name}: expected a float between 0 "
            f"and 1. Received: {name}={rate!r} of type {type(rate).__name__}"
        )
    if isinstance(rate, bool) or not 0 <= rate <= 1:
        raise ValueError(
            f"Invalid value received for argument `{name}` of {layer_name}. "
            f"Expected a float value between 0 and 1. Received: {name}={rate!r}"
        )
    return float(rate)


class SeededNoise:
    """Mixin: `self.seed_generator`, a `keras.random.SeedGenerator` made from `seed` when the
    layer draws at all (as Keras 3 makes one when the rate or stddev is above 0). With a seed
    the layer repeats its sequence of draws; without one the generator's seed comes from
    minikeras's global generator, which `keras.utils.set_random_seed` resets."""

    def _init_rng(self, seed, draws=True):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}': expected an int or None for `seed`. "
                f"Received: seed={seed!r}"
            )
        self.seed = None if seed is None else int(seed)
        if draws:
            self.seed_generator = SeedGenerator(self.seed)

    def _concrete_noise_shape(self, input_shape):
        """`noise_shape` with None entries filled from the input; it must broadcast to it."""
        if self.noise_shape is None:
            return tuple(input_shape)
        if len(self.noise_shape) != len(input_shape):
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}': noise_shape={self.noise_shape} "
                f"must have one entry per input axis; the input has shape {tuple(input_shape)}."
            )
        shape = tuple(d if n is None else n for n, d in zip(self.noise_shape, input_shape))
        for n, d in zip(shape, input_shape):
            if n not in (1, d):
                raise ValueError(
                    f"{type(self).__name__} layer '{self.name}': noise_shape={self.noise_shape} "
                    f"does not broadcast to the input shape {tuple(input_shape)} (each entry "
                    "must be None, 1 or the input's size)."
                )
        return shape


def validate_noise_shape(noise_shape):
    if noise_shape is None:
        return None
    if isinstance(noise_shape, str) or not hasattr(noise_shape, "__iter__"):
        raise ValueError(
            "Invalid value received for argument `noise_shape`. Expected a tuple or "
            f"list of integers or None. Received: noise_shape={noise_shape!r}"
        )
    noise_shape = tuple(noise_shape)
    for i, d in enumerate(noise_shape):
        if d is not None and (isinstance(d, bool) or not isinstance(d, int) or d <= 0):
            raise ValueError(
                "Invalid value received for argument `noise_shape`: entries must "
                f"be positive integers or None. Received {d!r} at index {i} "
                f"(noise_shape={noise_shape})."
            )
    return noise_shape
