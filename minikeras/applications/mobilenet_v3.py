"""MobileNetV3 Small and Large (Howard et al., 2019) with Keras 3's layer names and weight order.

The model rescales raw [0, 255] pixels to [-1, 1] itself (`include_preprocessing`). Inverted
residual blocks (1x1 expansion, k x k depthwise conv, optional squeeze-and-excite with a hard
sigmoid gate, linear 1x1 projection, residual Add when the shape is kept) use ReLU or hard
swish; the "minimalistic" variants use 3x3 kernels, ReLU only and no squeeze-and-excite. The top
is a 1x1 conv over the pooled features, then a 1x1 `logits` conv. As in Keras, the unnamed
activations (`re_lu_<n>`, `activation_<n>`) and the `x + 3`, `* 1/6` of the hard sigmoid are
auto-named layers and op nodes.
"""

import warnings

from .. import backend, layers
from . import imagenet_utils

BASE_WEIGHT_PATH = imagenet_utils.BASE_URL + "mobilenet_v3/"
WEIGHTS_HASHES = {
    "large_224_0.75_float": (
        "765b44a33ad4005b3ac83185abf1d0eb",
        "40af19a13ebea4e2ee0c676887f69a2e",
    ),
    "large_224_1.0_float": (
        "59e551e166be033d707958cf9e29a6a7",
        "07fb09a5933dd0c8eaafa16978110389",
    ),
    "large_minimalistic_224_1.0_float": (
        "675e7b876c45c57e9e63e6d90a36599c",
        "ec5221f64a2f6d1ef965a614bdae7973",
    ),
    "small_224_0.75_float": (
        "cb65d4e5be93758266aa0a7f2c6708b7",
        "ebdb5cc8e0b497cd13a7c275d475c819",
    ),
    "small_224_1.0_float": (
        "8768d4c2e7dee89b9d02b2d03d65d862",
        "d3e8ec802a04aa4fc771ee12a9a9b836",
    ),
    "small_minimalistic_224_1.0_float": (
        "99cd97fb2fcdad2bf028eb838de69e37",
        "cde8136e733e811080d9fcd8a252f7e4",
    ),
}
# blocks: (expansion, filters, kernel ("k" = the model's kernel), stride, squeeze-excite?,
# activation ("relu" or "act" = the model's activation))
_SMALL = (
    (1, 16, 3, 2, True, "relu"),
    (72.0 / 16, 24, 3, 2, False, "relu"),
    (88.0 / 24, 24, 3, 1, False, "relu"),
    (4, 40, "k", 2, True, "act"),
    (6, 40, "k", 1, True, "act"),
    (6, 40, "k", 1, True, "act"),
    (3, 48, "k", 1, True, "act"),
    (3, 48, "k", 1, True, "act"),
    (6, 96, "k", 2, True, "act"),
    (6, 96, "k", 1, True, "act"),
    (6, 96, "k", 1, True, "act"),
)
_LARGE = (
    (1, 16, 3, 1, False, "relu"),
    (4, 24, 3, 2, False, "relu"),
    (3, 24, 3, 1, False, "relu"),
    (3, 40, "k", 2, True, "relu"),
    (3, 40, "k", 1, True, "relu"),
    (3, 40, "k", 1, True, "relu"),
    (6, 80, 3, 2, False, "act"),
    (2.5, 80, 3, 1, False, "act"),
    (2.3, 80, 3, 1, False, "act"),
    (2.3, 80, 3, 1, False, "act"),
    (6, 112, 3, 1, True, "act"),
    (6, 112, 3, 1, True, "act"),
    (6, 160, "k", 2, True, "act"),
    (6, 160, "k", 1, True, "act"),
    (6, 160, "k", 1, True, "act"),
)

__all__ = ["MobileNetV3Small", "MobileNetV3Large", "decode_predictions", "preprocess_input"]


def relu(x):
    return layers.ReLU()(x)


def hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def hard_swish(x):
    return layers.Activation("hard_swish")(x)


def _depth(v, divisor=8, min_value=None):
    """Rounds `v` to the nearest multiple of `divisor`, never dropping more than 10% below it."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _bn(name):
    axis = 1 if backend.image_data_format() == "channels_first" else -1
    return layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=name)


def MobileNetV3(
    blocks,
    last_point_ch,
    input_shape=None,
    alpha=1.0,
    model_type="large",
    minimalistic=False,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    classes=1000,
    pooling=None,
    dropout_rate=0.2,
    classifier_activation="softmax",
    include_preprocessing=True,
    name=None,
):
    """Builds a MobileNetV3 from a table of blocks (`_SMALL` or `_LARGE`)."""
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    channels_first = backend.image_data_format() == "channels_first"
    if input_shape is not None and input_tensor is not None:
        imagenet_utils.image_input(input_tensor, input_shape)  # checks it is a KerasTensor
        axis = 1 if channels_first else 2
        if input_tensor.shape[axis] != input_shape[1]:
            raise ValueError(
                f"input_shape[1] must equal input_tensor.shape[{axis}]. Received "
                f"input_shape={input_shape}, input_tensor.shape={input_tensor.shape}"
            )
    if input_shape is None and input_tensor is not None:
        imagenet_utils.image_input(input_tensor, input_shape)
        rows, cols = input_tensor.shape[2:4] if channels_first else input_tensor.shape[1:3]
        # Keras swaps rows and cols here; kept, since only square inputs are pretrained
        input_shape = (3, cols, rows) if channels_first else (cols, rows, 3)
    if input_shape is None:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    rows, cols = input_shape[1:3] if channels_first else input_shape[0:2]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"Input size must be at least 32x32; Received `input_shape={input_shape}`")
    weights_path = None
    if weights == "imagenet":
        if (not minimalistic and alpha not in (0.75, 1.0)) or (minimalistic and alpha != 1.0):
            raise ValueError(
                "If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for "
                f"non minimalistic or `1.0` for minimalistic only. Received alpha={alpha}"
            )
        if rows != cols or rows != 224:
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not 224. Weights for "
                "input shape (224, 224) will be loaded as the default.",
                stacklevel=3,
            )
        model_name = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{alpha}_float"
        suffix = ".h5" if include_top else "_no_top_v2.h5"
        file_name = f"weights_mobilenet_v3_{model_name}{suffix}"
        weights_path = imagenet_utils.weights_file(
            weights,
            file_name,
            BASE_WEIGHT_PATH + file_name,
            WEIGHTS_HASHES[model_name][0 if include_top else 1],
        )
    elif weights is not None:
        weights_path = weights

    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    channel_axis = 1 if channels_first else -1
    if minimalistic:
        kernel, activation, se_ratio = 3, relu, None
    else:
        kernel, activation, se_ratio = 5, hard_swish, 0.25

    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, 3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = _bn("conv_bn")(x)
    x = activation(x)

    for block_id, (expansion, filters, k, stride, se, act) in enumerate(blocks):
        x = _inverted_res_block(
            x,
            expansion,
            _depth(filters * alpha),
            kernel if k == "k" else k,
            stride,
            se_ratio if se else None,
            relu if act == "relu" else activation,
            block_id,
        )

    last_conv_ch = _depth(x.shape[channel_axis] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, 1, padding="same", use_bias=False, name="conv_1")(x)
    x = _bn("conv_1_bn")(x)
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, 1, padding="same", use_bias=True, name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, 1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    return imagenet_utils.functional_model(img_input, input_tensor, x, name, weights_path)


def _se_block(inputs, filters, se_ratio, prefix):
    """Squeeze-and-excite: pooled features -> 1x1 conv -> ReLU -> 1x1 conv -> hard sigmoid,
    multiplied back onto the input."""
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(
        inputs
    )
    x = layers.Conv2D(
        _depth(filters * se_ratio), 1, padding="same", name=f"{prefix}squeeze_excite_conv"
    )(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, 1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(x)
    x = hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id):
    channel_axis = 1 if backend.image_data_format() == "channels_first" else -1
    shortcut = x
    prefix = "expanded_conv_"
    infilters = x.shape[channel_axis]
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = layers.Conv2D(
            _depth(infilters * expansion),
            1,
            padding="same",
            use_bias=False,
            name=f"{prefix}expand",
        )(x)
        x = _bn(f"{prefix}expand_bn")(x)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size), name=f"{prefix}depthwise_pad"
        )(x)
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=stride,
        padding="same" if stride == 1 else "valid",
        use_bias=False,
        name=f"{prefix}depthwise",
    )(x)
    x = _bn(f"{prefix}depthwise_bn")(x)
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = _bn(f"{prefix}project_bn")(x)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def _variant(blocks, last_point_ch, model_type, doc_name):
    def builder(
        input_shape=None,
        alpha=1.0,
        minimalistic=False,
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        classes=1000,
        pooling=None,
        dropout_rate=0.2,
        classifier_activation="softmax",
        include_preprocessing=True,
        name=doc_name,
    ):
        return MobileNetV3(
            blocks,
            last_point_ch,
            input_shape,
            alpha,
            model_type,
            minimalistic,
            include_top,
            weights,
            input_tensor,
            classes,
            pooling,
            dropout_rate,
            classifier_activation,
            include_preprocessing,
            name=name,
        )

    builder.__name__ = builder.__qualname__ = doc_name
    builder.__doc__ = _DOC.format(name=doc_name)
    return builder


_DOC = """Instantiates the {name} architecture.

    Args:
        input_shape: (rows, cols, 3), at least 32x32; None accepts any size.
        alpha: width multiplier (ImageNet weights: 0.75 or 1.0; 1.0 when minimalistic).
        minimalistic: 3x3 kernels, ReLU only, no squeeze-and-excite.
        include_top: whether to end with pooling, `conv_2` and the 1x1 `logits` classifier.
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        classes: number of classes, only with `include_top=True`.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        dropout_rate: rate of the Dropout before `logits`.
        classifier_activation: activation of `predictions` (None gives logits).
        include_preprocessing: whether the model rescales raw [0, 255] pixels to [-1, 1].
        name: model name.

    Returns:
        A functional `keras.Model` taking raw [0, 255] pixels (with preprocessing included).

    >>> import minikeras as keras
    >>> keras.applications.{name}(weights=None, input_shape=(16, 16, 3))
    Traceback (most recent call last):
    ...
    ValueError: Input size must be at least 32x32...
    """

MobileNetV3Small = _variant(_SMALL, 1024, "small", "MobileNetV3Small")
MobileNetV3Large = _variant(_LARGE, 1280, "large", "MobileNetV3Large")


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
