"""Xception (Chollet, 2017) with Keras 3's layer names and creation order.

An entry flow of two plain convs and three downsampling blocks, eight residual middle-flow
blocks of three 728-wide separable convs, and an exit flow. Every conv is bias-free and
followed by a BatchNormalization (Keras's defaults: epsilon=1e-3, momentum=0.99). The 1x1
stride-2 shortcut convs, their BatchNormalizations and the residual `add`s keep Keras's
auto-numbered names (`conv2d`, `batch_normalization_1`, `add_2`, ...), so build in a fresh
session (`keras.backend.clear_session()`) for the names of a Keras-written file.
"""

from .. import backend, layers
from . import imagenet_utils

WEIGHTS_PATH = imagenet_utils.BASE_URL + "xception/xception_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_PATH_NO_TOP = (
    imagenet_utils.BASE_URL + "xception/xception_weights_tf_dim_ordering_tf_kernels_notop.h5"
)
_HASHES = ("0a58e3b7378bc2990ea3b43d5981f1f6", "b0042744bf5b25fce3cb969f33bebb97")

__all__ = ["Xception", "decode_predictions", "preprocess_input"]


def Xception(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="xception",
):
    """Instantiates the Xception architecture.

    Args:
        include_top: whether to end with `avg_pool` and the `predictions` Dense (needs 299x299
            with ImageNet weights).
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        input_shape: (rows, cols, 3), rows and cols at least 71.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `xception.preprocess_input` ("tf").

    >>> import minikeras as keras
    >>> model = keras.applications.Xception(
    ...     include_top=False, weights=None, input_shape=(71, 71, 3), pooling="avg")
    >>> model.output_shape
    (None, 2048)
    """
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=71,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    origin = WEIGHTS_PATH if include_top else WEIGHTS_PATH_NO_TOP
    weights_path = imagenet_utils.weights_file(
        weights, origin.rsplit("/", 1)[1], origin, _HASHES[0 if include_top else 1]
    )

    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    axis = 1 if backend.image_data_format() == "channels_first" else -1

    def bn(name=None):
        return layers.BatchNormalization(axis=axis, name=name)

    def sepconv(x, filters, name):
        x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
        return bn(name + "_bn")(x)

    def shortcut(x, filters):
        # 1x1 stride-2 projection of the block input; Keras leaves these layers unnamed
        x = layers.Conv2D(filters, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
        return bn()(x)

    # entry flow
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = bn("block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = bn("block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)

    for block, (first, second) in enumerate(((128, 128), (256, 256), (728, 728), (728, 1024)), 2):
        block = 13 if block == 5 else block  # the exit flow's first block is block13
        residual = shortcut(x, second)
        if block != 2:  # block2 follows block1's ReLU directly
            x = layers.Activation("relu", name=f"block{block}_sepconv1_act")(x)
        x = sepconv(x, first, f"block{block}_sepconv1")
        x = layers.Activation("relu", name=f"block{block}_sepconv2_act")(x)
        x = sepconv(x, second, f"block{block}_sepconv2")
        x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(
            x
        )
        x = layers.add([x, residual])
        if block == 4:  # middle flow, between the entry flow and block13
            for prefix in (f"block{i}" for i in range(5, 13)):
                residual = x
                for i in (1, 2, 3):
                    x = layers.Activation("relu", name=f"{prefix}_sepconv{i}_act")(x)
                    x = sepconv(x, 728, f"{prefix}_sepconv{i}")
                x = layers.add([x, residual])

    # exit flow
    x = sepconv(x, 1536, "block14_sepconv1")
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = sepconv(x, 2048, "block14_sepconv2")
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)

    return imagenet_utils.functional_model(img_input, input_tensor, x, name, weights_path)


def preprocess_input(x, data_format=None):
    """Preprocesses images for Xception: scales pixels from [0, 255] to [-1, 1] ("tf" mode).

    A float numpy input is modified in place (as Keras does).

    Args:
        x: images with values in [0, 255], 3-D or 4-D with 3 colour channels.
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        The preprocessed array (float32 when the input was not floating point) or tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.applications.xception.preprocess_input(np.array([[[0.0, 127.5, 255.0]]])).tolist()
    [[[-1.0, 0.0, 1.0]]]
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


# the ImageNet decoder every application module exports (see `imagenet_utils`)
decode_predictions = imagenet_utils.decode_predictions
