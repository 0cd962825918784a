"""MobileNet v1 (Howard et al., 2017) with Keras 3's layer names and weight order.

A 3x3 stride-2 conv, then 13 depthwise-separable blocks (3x3 depthwise conv, BatchNormalization,
ReLU6, 1x1 conv, BatchNormalization, ReLU6); the top is a 1x1 conv over the pooled features.
`alpha` thins every layer; `depth_multiplier` multiplies the depthwise convs' outputs.
"""

import warnings

from .. import backend, layers
from . import imagenet_utils

BASE_WEIGHT_PATH = imagenet_utils.BASE_URL + "mobilenet/"
_PRETRAINED_ALPHAS = {1.0: "1_0", 0.75: "7_5", 0.50: "5_0", 0.25: "2_5"}
_PRETRAINED_SIZES = (128, 160, 192, 224)
# (pointwise filters, stride) of the 13 depthwise-separable blocks
_BLOCKS = (
    (64, 1),
    (128, 2),
    (128, 1),
    (256, 2),
    (256, 1),
    (512, 2),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (1024, 2),
    (1024, 1),
)

__all__ = ["MobileNet", "decode_predictions", "preprocess_input"]


def MobileNet(
    input_shape=None,
    alpha=1.0,
    depth_multiplier=1,
    dropout=1e-3,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name=None,
):
    """Instantiates the MobileNet architecture.

    Args:
        input_shape: (rows, cols, 3), at least 32x32; only needed with `include_top=False` or
            a size other than 224 (ImageNet weights exist for 128, 160, 192 and 224).
        alpha: width multiplier (ImageNet weights: 0.25, 0.5, 0.75 or 1.0).
        depth_multiplier: outputs per input channel of the depthwise convs (1 with ImageNet
            weights).
        dropout: rate of the Dropout before the classifier.
        include_top: whether to end with pooling and the 1x1 `conv_preds` classifier.
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        name: model name; defaults to "mobilenet_{alpha:.2f}_{rows}".

    Returns:
        A functional `keras.Model`. Preprocess its inputs with `preprocess_input`.

    >>> import minikeras as keras
    >>> model = keras.applications.MobileNet(
    ...     input_shape=(32, 32, 3), alpha=0.25, weights=None, classes=3)
    >>> model.output_shape
    (None, 3)
    """
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    data_format = backend.image_data_format()
    row_axis = 1 if data_format == "channels_first" else 0
    default_size = 224
    if input_shape is not None:
        rows, cols = tuple(input_shape)[row_axis : row_axis + 2]
        if rows == cols and rows in _PRETRAINED_SIZES:
            default_size = rows
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=data_format,
        require_flatten=include_top,
        weights=weights,
    )
    rows, cols = input_shape[row_axis], input_shape[row_axis + 1]
    weights_path = None
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError(
                "If imagenet weights are being loaded, depth multiplier must be 1. "
                f"Received depth_multiplier={depth_multiplier}"
            )
        if alpha not in _PRETRAINED_ALPHAS:
            raise ValueError(
                "If imagenet weights are being loaded, alpha can be one of `0.25`, `0.50`, "
                f"`0.75` or `1.0` only. Received alpha={alpha}"
            )
        if rows != cols or rows not in _PRETRAINED_SIZES:
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in "
                "[128, 160, 192, 224]. Weights for input shape (224, 224) will be loaded as "
                "the default.",
                stacklevel=2,
            )
        suffix = "_tf.h5" if include_top else "_tf_no_top.h5"
        file_name = f"mobilenet_{_PRETRAINED_ALPHAS[alpha]}_{rows}{suffix}"
        weights_path = imagenet_utils.weights_file(weights, file_name, BASE_WEIGHT_PATH + file_name)
    elif weights is not None:
        weights_path = weights

    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    channel_axis = 1 if data_format == "channels_first" else -1
    x = layers.Conv2D(
        int(32 * alpha), 3, padding="same", use_bias=False, strides=(2, 2), name="conv1"
    )(img_input)
    x = layers.BatchNormalization(axis=channel_axis, name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(x, int(filters * alpha), depth_multiplier, stride, block_id)

    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)

    if name is None:
        name = f"mobilenet_{alpha:0.2f}_{rows}"
    return imagenet_utils.functional_model(img_input, input_tensor, x, name, weights_path)


def _depthwise_conv_block(inputs, filters, depth_multiplier, stride, block_id):
    """3x3 depthwise conv (stride 2 pads bottom/right by one, as TensorFlow's 'same' does),
    then a 1x1 conv to `filters`, each followed by BatchNormalization and ReLU6."""
    channel_axis = 1 if backend.image_data_format() == "channels_first" else -1
    x = inputs
    if stride != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding="same" if stride == 1 else "valid",
        depth_multiplier=depth_multiplier,
        strides=(stride, stride),
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=channel_axis, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(
        filters, (1, 1), padding="same", use_bias=False, strides=(1, 1), name=f"conv_pw_{block_id}"
    )(x)
    x = layers.BatchNormalization(axis=channel_axis, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def preprocess_input(x, data_format=None):
    """Preprocesses images for MobileNet: scales pixels from [0, 255] to [-1, 1] ("tf" mode).

    Args:
        x: images with values in [0, 255], 3-D or 4-D with 3 colour channels. A float numpy
            array is modified in place (as Keras does).
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        The preprocessed array (float32 when the input was not floating point) or tensor.

    >>> import numpy as np
    >>> preprocess_input(np.array([[[0.0, 127.5, 255.0]]])).tolist()
    [[[-1.0, 0.0, 1.0]]]
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
