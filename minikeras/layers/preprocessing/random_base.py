"""`BaseRandomLayer`: the shared frame of the random image augmentation layers.

They act only when called with `training=True` (as inside `fit`); at inference they return the
inputs unchanged (integer images cast to the layer's float dtype: Keras outputs floats). Their
random draws come from `self.generator`, a `keras.random.SeedGenerator(seed)` made when the
layer is created (as in Keras 3): a given `seed` repeats the same sequence of transformations,
and `keras.utils.set_random_seed` fixes the unseeded ones. Each call takes one numpy Generator
from it (`transform(images, rng)`), so a call's draws are the same whatever it draws first.
"""

from ...core import ops
from ...random.seed_generator import SeedGenerator, draw_rng
from ..convolutional.conv_utils import standardize_data_format
from ..layer import Layer
from . import image_utils


def parse_factor(value, name, low=-1.0, high=1.0, symmetric=True):
    """(lower, upper) from a number f ((-f, f), or (f, f) when not symmetric) or a pair."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(
                f"The `{name}` argument should be a number or a list of two numbers "
                f"in the range [{low}, {high}]. Received: {name}={value!r}"
            )
        lower, upper = sorted(float(v) for v in value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        lower, upper = (-abs(value), abs(value)) if symmetric else (abs(value), abs(value))
    else:
        raise ValueError(
            f"The `{name}` argument should be a number or a list of two numbers in "
            f"the range [{low}, {high}]. Received: {name}={value!r}"
        )
    if lower < low or upper > high:
        raise ValueError(
            f"The `{name}` argument should be in the range [{low}, {high}]. "
            f"Received: {name}={value!r}"
        )
    return lower, upper


class BaseRandomLayer(Layer):
    """Image augmentation: `transform(images, rng)` on 4-D channels-last images when training."""

    _converts_python_values = (
        True  # Python numbers and lists of them as input, as Keras 3's DataLayer
    )

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.data_format = standardize_data_format(data_format)
        self.generator = SeedGenerator(seed)
        self.supports_masking = False

    def call(self, inputs, training=True):
        image_utils.check_image_rank(self, inputs.shape)
        x = (
            inputs if inputs.dtype.kind == "f" else ops.cast(inputs, self.compute_dtype)
        )  # float out
        if not training:
            return x
        x, undo = image_utils.to_channels_last(x, self.data_format)
        return undo(self.transform(x, draw_rng(self.generator)))

    def transform(self, images, rng):
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "data_format": self.data_format}
