"""ConvNeXt Tiny/Small/Base/Large/XLarge (Liu et al., 2022) with Keras 3's layer names and order.

The model normalises raw [0, 255] pixels itself (a Normalization with the ImageNet mean and
variance, `<name>_prestem_normalization`). A 4x4 stride-4 stem and three 2x2 stride-2
downsampling steps are nested Sequential models, as in Keras, so weight files find them by the
same names. Each block is a 7x7 depthwise conv (a grouped Conv2D), LayerNormalization, two Dense
layers around GELU (pointwise convs over the channel axis), a `LayerScale` and a residual add
(through `StochasticDepth` when a drop-path rate is set).
"""

import itertools

import numpy as np

from .. import backend, initializers, layers, ops, random
from ..models import Sequential
from . import imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"
WEIGHTS_HASHES = {
    "convnext_tiny": (
        "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
        "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1",
    ),
    "convnext_small": (
        "ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
        "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab",
    ),
    "convnext_base": (
        "52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
        "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45",
    ),
    "convnext_large": (
        "070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
        "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd",
    ),
    "convnext_xlarge": (
        "c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05",
    ),
}
# variant: (blocks per stage, channels per stage); every variant's default size is 224
MODEL_CONFIGS = {
    "tiny": ([3, 3, 9, 3], [96, 192, 384, 768]),
    "small": ([3, 3, 27, 3], [96, 192, 384, 768]),
    "base": ([3, 3, 27, 3], [128, 256, 512, 1024]),
    "large": ([3, 3, 27, 3], [192, 384, 768, 1536]),
    "xlarge": ([3, 3, 27, 3], [256, 512, 1024, 2048]),
}
_BLOCK_IDS = itertools.count(1)  # names of blocks built without one (Keras counts "prestem")
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)

__all__ = [
    "ConvNeXtTiny",
    "ConvNeXtSmall",
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtXLarge",
    "LayerScale",
    "StochasticDepth",
    "decode_predictions",
    "preprocess_input",
]


class StochasticDepth(layers.Layer):
    """Drops a sample's whole residual branch with probability `drop_path_rate` in training.

    Kept samples are scaled by 1 / (1 - drop_path_rate); in inference the layer is the
    identity.

    Args:
        drop_path_rate: probability of dropping a sample's branch, in [0, 1].

    >>> import numpy as np
    >>> layer = StochasticDepth(0.5)
    >>> layer(np.ones((2, 3), "float32")).numpy().tolist()  # inference: unchanged
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        if not training:
            return x
        keep = 1.0 - self.drop_path_rate
        shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        # floor(keep + U[0, 1)) is 1 with probability `keep`, else 0
        mask = ops.floor(keep + random.uniform(shape, 0.0, 1.0))
        return (x / keep) * mask

    def get_config(self):
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}


class LayerScale(layers.Layer):
    """Multiplies its input by a learned per-channel vector `gamma` (Touvron et al., 2021).

    `gamma` starts at `init_values` everywhere.

    Args:
        init_values: initial value of every entry of `gamma` (ConvNeXt uses 1e-6).
        projection_dim: number of channels (the length of `gamma`).

    >>> import numpy as np
    >>> LayerScale(0.5, 2)(np.ones((1, 2), "float32")).numpy().tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(
            shape=(self.projection_dim,),
            initializer=initializers.Constant(self.init_values),
            trainable=True,
        )

    def call(self, x):
        return x * self.gamma

    def get_config(self):
        return {
            **super().get_config(),
            "init_values": self.init_values,
            "projection_dim": self.projection_dim,
        }


def ConvNeXtBlock(projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6, name=None):
    """One ConvNeXt block as a function of its input tensor."""
    if name is None:
        name = f"prestem{next(_BLOCK_IDS)}"

    def apply(inputs):
        x = layers.Conv2D(
            filters=projection_dim,
            kernel_size=7,
            padding="same",
            groups=projection_dim,
            name=f"{name}_depthwise_conv",
        )(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=f"{name}_gelu")(x)
        x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
        if drop_path_rate:
            branch = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
        else:
            branch = layers.Activation("linear", name=f"{name}_identity")
        return inputs + branch(x)  # an `add` op node, as in Keras

    return apply


def ConvNeXt(
    depths,
    projection_dims,
    drop_path_rate=0.0,
    layer_scale_init_value=1e-6,
    default_size=224,
    name="convnext",
    include_preprocessing=True,
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    weights_name=None,
):
    """Builds a ConvNeXt with `depths[i]` blocks of `projection_dims[i]` channels in stage i."""
    if backend.image_data_format() == "channels_first":
        raise ValueError(
            "ConvNeXt does not support the `channels_first` image data format. Switch to "
            "`channels_last` (keras.config.set_image_data_format or ~/.keras/keras.json)."
        )
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    weights_path = None
    if weights == "imagenet":
        expected = MODEL_CONFIGS[weights_name.split("convnext_")[-1]]
        if list(depths) != expected[0] or list(projection_dims) != expected[1]:
            raise ValueError(
                f"Architecture configuration does not match {weights_name}: expected "
                f"depths={expected[0]} and projection_dims={expected[1]}, received "
                f"depths={depths} and projection_dims={projection_dims}."
            )
        if weights_name not in name:
            raise ValueError(
                f'Model name "{name}" does not match weights variant "{weights_name}": with '
                "imagenet weights the name must contain the variant."
            )
        file_name = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
        weights_path = imagenet_utils.weights_file(
            weights, file_name, BASE_WEIGHTS_PATH + file_name, file_hash
        )
    elif weights is not None:
        weights_path = weights

    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = img_input
    if include_preprocessing and input_shape[-1] == 3:
        x = layers.Normalization(
            mean=[m * 255 for m in _IMAGENET_MEAN],
            variance=[(s * 255) ** 2 for s in _IMAGENET_STD],
            name=f"{name}_prestem_normalization",
        )(x)

    # the stem and the three downsampling steps are nested Sequential models in Keras
    stages = [
        Sequential(
            [
                layers.Conv2D(
                    projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"
                ),
                layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
            ],
            name=f"{name}_stem",
        )
    ]
    for i in range(3):
        stages.append(
            Sequential(
                [
                    layers.LayerNormalization(
                        epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"
                    ),
                    layers.Conv2D(
                        projection_dims[i + 1],
                        kernel_size=2,
                        strides=2,
                        name=f"{name}_downsampling_conv_{i}",
                    ),
                ],
                name=f"{name}_downsampling_block_{i}",
            )
        )

    # drop-path rates grow linearly over all blocks, from 0 to drop_path_rate
    rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    done = 0
    for i, stage in enumerate(stages):
        x = stage(x)
        for j in range(depths[i]):
            x = ConvNeXtBlock(
                projection_dim=projection_dims[i],
                drop_path_rate=rates[done + j],
                layer_scale_init_value=layer_scale_init_value,
                name=f"{name}_stage_{i}_block_{j}",
            )(x)
        done += depths[i]

    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)

    return imagenet_utils.functional_model(img_input, input_tensor, x, name, weights_path)


def _variant(key, doc_name):
    def builder(
        include_top=True,
        include_preprocessing=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        name=f"convnext_{key}",
    ):
        depths, dims = MODEL_CONFIGS[key]
        return ConvNeXt(
            depths=depths,
            projection_dims=dims,
            drop_path_rate=0.0,
            layer_scale_init_value=1e-6,
            default_size=224,
            name=name,
            include_preprocessing=include_preprocessing,
            include_top=include_top,
            weights=weights,
            input_tensor=input_tensor,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
            weights_name=f"convnext_{key}",
        )

    builder.__name__ = builder.__qualname__ = doc_name
    builder.__doc__ = _DOC.format(name=doc_name, key=key)
    return builder


_DOC = """Instantiates the {name} architecture (224x224 by default).

    Args:
        include_top: whether to end with pooling, LayerNormalization and the head Dense.
        include_preprocessing: whether the model normalises raw [0, 255] pixels itself
            (must stay True with ImageNet weights).
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        input_shape: (rows, cols, 3), at least 32x32; only with `include_top=False` or no
            ImageNet weights.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of the head (None gives logits).
        name: model name ("convnext_{key}"; with ImageNet weights it must contain it).

    Returns:
        A functional `keras.Model` taking raw [0, 255] pixels.

    >>> import minikeras as keras
    >>> keras.applications.{name}(weights=None, input_shape=(16, 16, 3))
    Traceback (most recent call last):
    ...
    ValueError: Input size must be at least 32x32...
    """

ConvNeXtTiny = _variant("tiny", "ConvNeXtTiny")
ConvNeXtSmall = _variant("small", "ConvNeXtSmall")
ConvNeXtBase = _variant("base", "ConvNeXtBase")
ConvNeXtLarge = _variant("large", "ConvNeXtLarge")
ConvNeXtXLarge = _variant("xlarge", "ConvNeXtXLarge")


def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: the model preprocesses its inputs itself.

    Keras keeps this function for API compatibility.

    Args:
        x: a float numpy array or tensor of images.
        data_format: unused ("channels_last" or "channels_first"), kept for Keras's signature.

    Returns:
        `x` itself.

    >>> import numpy as np
    >>> x = np.zeros((1, 2, 2, 3))
    >>> preprocess_input(x) is x
    True
    """
    return x


decode_predictions = imagenet_utils.decode_predictions
