"""`SpatialDropout1D/2D/3D`: dropout of whole feature maps (one draw per sample and channel)."""

from ... import random
from ..convolutional.conv_utils import channel_axis, check_rank, standardize_data_format
from ..layer import Layer


class BaseSpatialDropout(Layer):
    """Zeroes each channel of each sample with probability `rate` during training only, and
    scales the kept channels by 1 / (1 - rate); the identity at inference."""

    def __init__(self, rank, rate, data_format=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value received for argument `rate`. Expected a float value between "
                f"0 and 1. Received: rate={rate!r}"
            )
        self.rank = rank
        self.rate = rate
        self.seed = seed
        self.data_format = standardize_data_format(data_format)
        self.supports_masking = True
        if rate > 0:  # as Keras 3, which makes the generator only when the layer drops
            self.seed_generator = random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        check_rank(self, inputs.shape, self.rank, self.data_format)
        if not training or self.rate == 0:
            return inputs
        shape = [1] * inputs.ndim
        shape[0] = inputs.shape[0]
        shape[channel_axis(self.data_format)] = inputs.shape[channel_axis(self.data_format)]
        return random.dropout(inputs, self.rate, noise_shape=shape, seed=self.seed_generator)

    def get_config(self):
        # Keras 3.15.1's spatial dropouts save rate, seed, name and the dtype as a plain string
        # (no DTypePolicy dict, no `trainable`), plus data_format for 2D/3D
        return {
            "rate": self.rate,
            "seed": self.seed,
            "name": self.name,
            "dtype": self.dtype,
            "data_format": self.data_format,
        }


class SpatialDropout1D(BaseSpatialDropout):
    """Drops whole channels of `(batch, steps, channels)` inputs (one draw per sample and channel).

    During training the kept channels are scaled by `1 / (1 - rate)`; at inference the layer is
    the identity.

    Args:
        rate: float in [0, 1], the fraction of channels dropped.
        seed: an int for a repeatable sequence of masks.

    >>> import numpy as np, minikeras as keras
    >>> y = keras.layers.SpatialDropout1D(0.5, seed=1)(np.ones((2, 4, 3)), training=True)
    >>> bool(np.all(y.numpy() == y.numpy()[:, :1]))  # a channel is kept or dropped everywhere
    True
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(1, rate, "channels_last", seed, **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]
        return config


class SpatialDropout2D(BaseSpatialDropout):
    """Drops whole feature maps of `(batch, height, width, channels)` images.

    During training the kept channels are scaled by `1 / (1 - rate)`; at inference the layer is
    the identity.

    Args:
        rate: float in [0, 1], the fraction of channels dropped.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of masks.

    >>> import numpy as np, minikeras as keras
    >>> y = keras.layers.SpatialDropout2D(0.5, seed=1)(np.ones((2, 3, 3, 4)), training=True)
    >>> sorted(set(y.numpy().ravel().tolist()))  # dropped, or kept and scaled by 1 / (1 - 0.5)
    [0.0, 2.0]
    """

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(2, rate, data_format, seed, **kwargs)


class SpatialDropout3D(BaseSpatialDropout):
    """Drops whole feature maps of `(batch, depth, height, width, channels)` volumes.

    During training the kept channels are scaled by `1 / (1 - rate)`; at inference the layer is
    the identity.

    Args:
        rate: float in [0, 1], the fraction of channels dropped.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of masks.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.SpatialDropout3D(0.5)(np.ones((1, 2, 2, 2, 3))).shape  # inference
    (1, 2, 2, 2, 3)
    """

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(3, rate, data_format, seed, **kwargs)
