"""EfficientNetV2 B0-B3, S, M and L (Tan & Le, 2021) with Keras 3's layer names and weight order.

The model preprocesses raw [0, 255] pixels itself: B0-B3 rescale to [0, 1] and normalise by the
ImageNet mean and variance (a Normalization layer), S/M/L rescale to [-1, 1]. A stride-2 stem
conv, then stages of Fused-MBConv blocks (one full conv instead of expand + depthwise) and
MBConv blocks (expand 1x1 -> depthwise 3x3 -> squeeze-and-excite -> project 1x1), each with a
Dropout "drop connect" and residual add when it keeps its input's shape, and a 1x1 `top_conv`.
BatchNormalization uses momentum 0.9; activations are swish.
"""

import copy
import math

from .. import backend, initializers, layers
from . import imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/"
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}
_KEYS = (
    "kernel_size",
    "num_repeat",
    "input_filters",
    "output_filters",
    "expand_ratio",
    "se_ratio",
    "strides",
    "conv_type",  # 1: Fused-MBConv, 0: MBConv
)
_B = (
    (3, 1, 32, 16, 1, 0, 1, 1),
    (3, 2, 16, 32, 4, 0, 2, 1),
    (3, 2, 32, 48, 4, 0, 2, 1),
    (3, 3, 48, 96, 4, 0.25, 2, 0),
    (3, 5, 96, 112, 6, 0.25, 1, 0),
    (3, 8, 112, 192, 6, 0.25, 2, 0),
)
_STAGES = {
    "efficientnetv2-s": (
        (3, 2, 24, 24, 1, 0, 1, 1),
        (3, 4, 24, 48, 4, 0, 2, 1),
        (3, 4, 48, 64, 4, 0, 2, 1),
        (3, 6, 64, 128, 4, 0.25, 2, 0),
        (3, 9, 128, 160, 6, 0.25, 1, 0),
        (3, 15, 160, 256, 6, 0.25, 2, 0),
    ),
    "efficientnetv2-m": (
        (3, 3, 24, 24, 1, 0, 1, 1),
        (3, 5, 24, 48, 4, 0, 2, 1),
        (3, 5, 48, 80, 4, 0, 2, 1),
        (3, 7, 80, 160, 4, 0.25, 2, 0),
        (3, 14, 160, 176, 6, 0.25, 1, 0),
        (3, 18, 176, 304, 6, 0.25, 2, 0),
        (3, 5, 304, 512, 6, 0.25, 1, 0),
    ),
    "efficientnetv2-l": (
        (3, 4, 32, 32, 1, 0, 1, 1),
        (3, 7, 32, 64, 4, 0, 2, 1),
        (3, 7, 64, 96, 4, 0, 2, 1),
        (3, 10, 96, 192, 4, 0.25, 2, 0),
        (3, 19, 192, 224, 6, 0.25, 1, 0),
        (3, 25, 224, 384, 6, 0.25, 2, 0),
        (3, 7, 384, 640, 6, 0.25, 1, 0),
    ),
    **{f"efficientnetv2-b{i}": _B for i in range(4)},
}
DEFAULT_BLOCKS_ARGS = {
    name: [dict(zip(_KEYS, stage)) for stage in stages] for name, stages in _STAGES.items()
}
CONV_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
DENSE_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"},
}

__all__ = [
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2S",
    "EfficientNetV2M",
    "EfficientNetV2L",
    "decode_predictions",
    "preprocess_input",
]


def round_filters(filters, width_coefficient, min_depth, depth_divisor):
    """Scaled width rounded to the nearest multiple of `depth_divisor` (at least `min_depth`)."""
    filters *= width_coefficient
    minimum = min_depth or depth_divisor
    return int(max(minimum, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def round_repeats(repeats, depth_coefficient):
    return int(math.ceil(depth_coefficient * repeats))


def _conv(filters, kernel_size, name, strides=1, **kwargs):
    return layers.Conv2D(
        filters,
        kernel_size,
        strides=strides,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        padding="same",
        name=name,
        **kwargs,
    )


def _squeeze_excite(x, filters, input_filters, se_ratio, activation, name, bn_axis):
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    shape = (filters, 1, 1) if bn_axis == 1 else (1, 1, filters)
    se = layers.Reshape(shape, name=f"{name}se_reshape")(se)
    se = _conv(max(1, int(input_filters * se_ratio)), 1, f"{name}se_reduce", activation=activation)(
        se
    )
    se = _conv(filters, 1, f"{name}se_expand", activation="sigmoid")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def _block(
    inputs,
    fused,
    input_filters,
    output_filters,
    expand_ratio=1,
    kernel_size=3,
    strides=1,
    se_ratio=0.0,
    bn_momentum=0.9,
    activation="swish",
    survival_probability=0.8,
    name="",
):
    """MBConv (`fused=False`) or Fused-MBConv (`fused=True`) block on `inputs`."""
    bn_axis = 3 if backend.image_data_format() == "channels_last" else 1

    def bn(suffix, y):
        return layers.BatchNormalization(axis=bn_axis, momentum=bn_momentum, name=name + suffix)(y)

    filters = input_filters * expand_ratio
    x = inputs
    if expand_ratio != 1:
        # Fused-MBConv expands with the full k x k (strided) conv; MBConv with a 1x1 conv
        k, s = (kernel_size, strides) if fused else (1, 1)
        x = _conv(filters, k, f"{name}expand_conv", strides=s, use_bias=False)(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(bn("expand_bn", x))
    if not fused:
        x = layers.DepthwiseConv2D(
            kernel_size=kernel_size,
            strides=strides,
            depthwise_initializer=CONV_KERNEL_INITIALIZER,
            padding="same",
            use_bias=False,
            name=f"{name}dwconv2",
        )(x)
        x = layers.Activation(activation, name=f"{name}activation")(bn("bn", x))
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, name, bn_axis)
    # a Fused-MBConv without expansion does its k x k conv here
    k, s = (kernel_size, strides) if fused and expand_ratio == 1 else (1, 1)
    x = _conv(output_filters, k, f"{name}project_conv", strides=s, use_bias=False)(x)
    x = bn("project_bn", x)
    if fused and expand_ratio == 1:
        x = layers.Activation(activation, name=f"{name}project_activation")(x)
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            # Keras passes the schedule value as the Dropout rate
            x = layers.Dropout(
                survival_probability, noise_shape=(None, 1, 1, 1), name=f"{name}drop"
            )(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def EfficientNetV2(
    width_coefficient,
    depth_coefficient,
    default_size,
    dropout_rate=0.2,
    drop_connect_rate=0.2,
    depth_divisor=8,
    min_depth=8,
    bn_momentum=0.9,
    activation="swish",
    blocks_args="default",
    name="efficientnetv2",
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
    weights_name=None,
):
    """Builds an EfficientNetV2 from `blocks_args` scaled by the width and depth coefficients.

    `blocks_args="default"` takes the variant's stages from `weights_name` (Keras looks them up
    by the model name, which fails for a renamed model; the variant is what decides them).
    """
    if blocks_args == "default":
        key = f"efficientnetv2{'-' if weights_name and weights_name[0] == 'b' else ''}"
        blocks_args = DEFAULT_BLOCKS_ARGS[key + (weights_name or name.split("efficientnetv2")[-1])]
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
        file_name = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
        weights_path = imagenet_utils.weights_file(
            weights, file_name, BASE_WEIGHTS_PATH + file_name, file_hash
        )
    elif weights is not None:
        weights_path = weights

    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    bn_axis = 3 if backend.image_data_format() == "channels_last" else 1

    def width(filters):
        return round_filters(filters, width_coefficient, min_depth, depth_divisor)

    x = img_input
    if include_preprocessing:
        # the B variants keep EfficientNet (v1)'s ImageNet normalisation
        if name.split("-")[-1].startswith("b") and input_shape[bn_axis - 1] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(
                mean=[0.485, 0.456, 0.406],
                variance=[0.229**2, 0.224**2, 0.225**2],
                axis=bn_axis,
            )(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    x = _conv(width(blocks_args[0]["input_filters"]), 3, "stem_conv", strides=2, use_bias=False)(x)
    x = layers.BatchNormalization(axis=bn_axis, momentum=bn_momentum, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    blocks_args = copy.deepcopy(blocks_args)
    b = 0
    blocks = float(sum(args["num_repeat"] for args in blocks_args))
    for i, args in enumerate(blocks_args):
        if args["num_repeat"] <= 0:
            raise ValueError(
                "The number of repeats in `EfficientNetV2` must be > 0. "
                f"Received: num_repeat={args['num_repeat']}"
            )
        args["input_filters"] = width(args["input_filters"])
        args["output_filters"] = width(args["output_filters"])
        fused = args.pop("conv_type") == 1
        for j in range(round_repeats(args.pop("num_repeat"), depth_coefficient)):
            if j > 0:  # only a stage's first block strides or changes width
                args["strides"] = 1
                args["input_filters"] = args["output_filters"]
            x = _block(
                x,
                fused,
                activation=activation,
                bn_momentum=bn_momentum,
                survival_probability=drop_connect_rate * b / blocks,
                name=f"block{i + 1}{chr(j + 97)}_",
                **args,
            )
            b += 1

    x = _conv(width(1280), 1, "top_conv", use_bias=False)(x)
    x = layers.BatchNormalization(axis=bn_axis, momentum=bn_momentum, name="top_bn")(x)
    x = layers.Activation(activation=activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=DENSE_KERNEL_INITIALIZER,
            bias_initializer=initializers.Constant(0.0),
            name="predictions",
        )(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    return imagenet_utils.functional_model(img_input, input_tensor, x, name, weights_path)


def _variant(doc_name, width_coefficient, depth_coefficient, default_size, weights_name):
    def builder(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        include_preprocessing=True,
        name=f"efficientnetv2{'-' if weights_name[0] == 'b' else ''}{weights_name}",
    ):
        return EfficientNetV2(
            width_coefficient=width_coefficient,
            depth_coefficient=depth_coefficient,
            default_size=default_size,
            name=name,
            include_top=include_top,
            weights=weights,
            input_tensor=input_tensor,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
            include_preprocessing=include_preprocessing,
            weights_name=weights_name,
        )

    builder.__name__ = builder.__qualname__ = doc_name
    builder.__doc__ = _DOC.format(name=doc_name, size=default_size)
    return builder


_DOC = """Instantiates the {name} architecture ({size}x{size} by default).

    Args:
        include_top: whether to end with pooling, Dropout and the `predictions` Dense.
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        input_shape: (rows, cols, 3), at least 32x32; only with `include_top=False` or no
            ImageNet weights.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        include_preprocessing: whether the model rescales (and normalises) raw [0, 255] pixels.
        name: model name.

    Returns:
        A functional `keras.Model` taking raw [0, 255] pixels (with preprocessing included).

    >>> import minikeras as keras
    >>> keras.applications.{name}(weights=None, input_shape=(16, 16, 3))
    Traceback (most recent call last):
    ...
    ValueError: Input size must be at least 32x32...
    """

EfficientNetV2B0 = _variant("EfficientNetV2B0", 1.0, 1.0, 224, "b0")
EfficientNetV2B1 = _variant("EfficientNetV2B1", 1.0, 1.1, 240, "b1")
EfficientNetV2B2 = _variant("EfficientNetV2B2", 1.1, 1.2, 260, "b2")
EfficientNetV2B3 = _variant("EfficientNetV2B3", 1.2, 1.4, 300, "b3")
EfficientNetV2S = _variant("EfficientNetV2S", 1.0, 1.0, 384, "-s")
EfficientNetV2M = _variant("EfficientNetV2M", 1.0, 1.0, 480, "-m")
EfficientNetV2L = _variant("EfficientNetV2L", 1.0, 1.0, 480, "-l")


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
