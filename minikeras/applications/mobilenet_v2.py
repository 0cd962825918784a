"""MobileNetV2 (Sandler et al., 2018), built from public layers with Keras 3's layer names.

Inverted residual blocks: a 1x1 expansion, a 3x3 depthwise conv and a linear 1x1 projection,
with a residual Add when the shape is kept. Every BatchNormalization uses epsilon=1e-3 and
momentum=0.999, every activation is ReLU6.
"""

import warnings

from .. import backend, layers
from ..layers.node import KerasTensor
from . import imagenet_utils

BASE_WEIGHT_PATH = imagenet_utils.BASE_URL + "mobilenet_v2/"
_PRETRAINED_ALPHAS = (0.35, 0.50, 0.75, 1.0, 1.3, 1.4)
_PRETRAINED_SIZES = (96, 128, 160, 192, 224)

__all__ = ["MobileNetV2", "decode_predictions", "preprocess_input"]


def MobileNetV2(
    input_shape=None,
    alpha=1.0,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name=None,
):
    """Instantiates the MobileNetV2 architecture.

    Args:
        input_shape: (rows, cols, 3); only needed with `include_top=False` or a non-default
            size. Rows and cols must be at least 32.
        alpha: width multiplier; < 1 thins every layer, > 1 widens it (the last conv too).
        include_top: whether to end with global average pooling and the `predictions` Dense.
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        name: model name; defaults to "mobilenetv2_{alpha:.2f}_{rows}".

    Returns:
        A functional `keras.Model`. Preprocess its inputs with `preprocess_input`.

    >>> import minikeras as keras
    >>> model = keras.applications.MobileNetV2(
    ...     input_shape=(32, 32, 3), alpha=0.35, weights=None, classes=3)
    >>> model.output_shape
    (None, 3)
    """
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    data_format = backend.image_data_format()
    row_axis = 1 if data_format == "channels_first" else 0
    default_size = 224
    if input_shape is None and input_tensor is not None:
        if not isinstance(input_tensor, KerasTensor):
            raise ValueError(
                "input_tensor must be a valid Keras tensor type; Received "
                f"{input_tensor} of type {type(input_tensor)}"
            )
        size = input_tensor.shape[1 + row_axis : 3 + row_axis]
        if size[0] == size[1] and size[0] in _PRETRAINED_SIZES:
            default_size = size[0]
    elif input_shape is not None:
        if input_tensor is not None and any(
            a is not None and b is not None and a != b
            for a, b in zip(tuple(input_tensor.shape[1:]), tuple(input_shape))
        ):
            raise ValueError(
                f"input_shape={tuple(input_shape)} does not match the shape of input_tensor, "
                f"{tuple(input_tensor.shape)}."
            )
        size = tuple(input_shape)[row_axis : row_axis + 2]
        if len(size) == 2 and size[0] == size[1] and size[0] in _PRETRAINED_SIZES:
            default_size = size[0]
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=data_format,
        require_flatten=include_top,
        weights=weights,
    )
    rows, cols = input_shape[row_axis], input_shape[row_axis + 1]
    if weights == "imagenet":
        if alpha not in _PRETRAINED_ALPHAS:
            raise ValueError(
                "If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, "
                f"`0.75`, `1.0`, `1.3` or `1.4` only; Received `alpha={alpha}`"
            )
        if rows != cols or rows not in _PRETRAINED_SIZES:
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in "
                "[96, 128, 160, 192, 224]. Weights for input shape (224, 224) will be loaded "
                "as the default.",
                stacklevel=2,
            )

    suffix = "" if include_top else "_no_top"
    file_name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}{suffix}.h5"
    weights_path = imagenet_utils.weights_file(weights, file_name, BASE_WEIGHT_PATH + file_name)

    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    channel_axis = 1 if data_format == "channels_first" else -1

    def bn(name):
        return layers.BatchNormalization(axis=channel_axis, epsilon=1e-3, momentum=0.999, name=name)

    x = layers.Conv2D(
        _make_divisible(32 * alpha, 8),
        kernel_size=3,
        strides=(2, 2),
        padding="same",
        use_bias=False,
        name="Conv1",
    )(img_input)
    x = bn("bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)

    # (filters, stride of the first block, expansion, number of blocks) per stage
    block_id = 0
    for filters, stride, expansion, repeats in (
        (16, 1, 1, 1),
        (24, 2, 6, 2),
        (32, 2, 6, 3),
        (64, 2, 6, 4),
        (96, 1, 6, 3),
        (160, 2, 6, 3),
        (320, 1, 6, 1),
    ):
        for i in range(repeats):
            x = _inverted_res_block(
                x, expansion, stride if i == 0 else 1, alpha, filters, block_id, bn
            )
            block_id += 1

    # the last conv is widened for alpha > 1 but never thinned (as in the paper)
    last_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = bn("Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)

    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    return imagenet_utils.functional_model(img_input, input_tensor, x, name, weights_path)


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id, bn):
    """expand (1x1) -> depthwise (3x3) -> project (1x1, linear), plus Add when shapes match."""
    channel_axis = 1 if backend.image_data_format() == "channels_first" else -1
    in_channels = inputs.shape[channel_axis]
    # the projection width is kept divisible by 8
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = layers.Conv2D(
            expansion * in_channels,
            kernel_size=1,
            padding="same",
            use_bias=False,
            activation=None,
            name=prefix + "expand",
        )(x)
        x = bn(prefix + "expand_BN")(x)
        x = layers.ReLU(6.0, name=prefix + "expand_relu")(x)
    else:
        prefix = "expanded_conv_"

    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name=prefix + "pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size=3,
        strides=stride,
        activation=None,
        use_bias=False,
        padding="same" if stride == 1 else "valid",
        name=prefix + "depthwise",
    )(x)
    x = bn(prefix + "depthwise_BN")(x)
    x = layers.ReLU(6.0, name=prefix + "depthwise_relu")(x)

    x = layers.Conv2D(
        pointwise_filters,
        kernel_size=1,
        padding="same",
        use_bias=False,
        activation=None,
        name=prefix + "project",
    )(x)
    x = bn(prefix + "project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=prefix + "add")([inputs, x])
    return x


def _make_divisible(v, divisor, min_value=None):
    """Rounds `v` to the nearest multiple of `divisor`, never dropping more than 10% below it."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def preprocess_input(x, data_format=None):
    """Preprocesses images for MobileNetV2: scales pixels from [0, 255] to [-1, 1] ("tf" mode).

    A float numpy input is modified in place (as Keras does).

    Args:
        x: images with values in [0, 255], 3-D or 4-D with 3 colour channels.
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        The preprocessed array (float32 when the input was not floating point) or tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.applications.mobilenet_v2.preprocess_input(np.array([[[0.0, 127.5, 255.0]]])).tolist()
    [[[-1.0, 0.0, 1.0]]]
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


# the ImageNet decoder every application module exports (see `imagenet_utils`)
decode_predictions = imagenet_utils.decode_predictions
