"""ResNet50V2/101V2/152V2 (He et al., 2016, "identity mappings": pre-activation blocks) with
Keras 3's layer names.

Each block starts with BatchNormalization -> ReLU (`preact`), then 1x1 -> padded 3x3 -> 1x1
convs without biases except the last; the shortcut is a 1x1 conv of the pre-activation in the
first block of a stage, otherwise the block input (max-pooled 1x1 when the block strides). The
stride of a stage sits in its *last* block. The stem conv has a bias and no BatchNormalization;
`post_bn` / `post_relu` close the network. Every BatchNormalization uses epsilon=1.001e-5.
"""

from .. import backend, layers
from . import imagenet_utils

BASE_WEIGHTS_PATH = imagenet_utils.BASE_URL + "resnet/"
WEIGHTS_HASHES = {
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
_EPSILON = 1.001e-5

__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "decode_predictions", "preprocess_input"]


def _bn_axis():
    return 1 if backend.image_data_format() == "channels_first" else 3


def ResNetV2(
    stack_fn,
    model_name,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name=None,
):
    """Builds a pre-activation ResNet around `stack_fn(x)`, which adds the residual stages."""
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    suffix = "" if include_top else "_notop"
    file_name = f"{model_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
    file_hash = WEIGHTS_HASHES[model_name][0 if include_top else 1]
    weights_path = imagenet_utils.weights_file(
        weights, file_name, BASE_WEIGHTS_PATH + file_name, file_hash
    )

    img_input = imagenet_utils.image_input(input_tensor, input_shape)

    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)

    x = stack_fn(x)

    x = layers.BatchNormalization(axis=_bn_axis(), epsilon=_EPSILON, name="post_bn")(x)
    x = layers.Activation("relu", name="post_relu")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)

    return imagenet_utils.functional_model(
        img_input, input_tensor, x, name or model_name, weights_path
    )


def residual_block_v2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """Pre-activation bottleneck block: `filters` wide inside, `4 * filters` channels out."""

    def bn(suffix):
        return layers.BatchNormalization(axis=_bn_axis(), epsilon=_EPSILON, name=name + suffix)

    preact = bn("_preact_bn")(x)
    preact = layers.Activation("relu", name=name + "_preact_relu")(preact)

    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(preact)
    elif stride > 1:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x)  # unnamed in Keras too
    else:
        shortcut = x

    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=name + "_1_conv")(preact)
    x = bn("_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name + "_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=name + "_2_conv")(
        x
    )
    x = bn("_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    return layers.Add(name=name + "_out")([shortcut, x])


def stack_residual_blocks_v2(x, filters, blocks, stride1=2, name=None):
    """A stage: a conv-shortcut block, identity blocks, then the block with stride `stride1`."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=name + "_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _stages(blocks):
    def stack_fn(x):
        x = stack_residual_blocks_v2(x, 64, blocks[0], name="conv2")
        x = stack_residual_blocks_v2(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v2(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v2(x, 512, blocks[3], stride1=1, name="conv5")

    return stack_fn


def ResNet50V2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50v2",
):
    """Instantiates ResNet50V2 (blocks 3, 4, 6, 3).

    Args:
        include_top: whether to end with `avg_pool` and the `predictions` Dense.
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        input_shape: (rows, cols, 3), rows and cols at least 32; with ImageNet weights and the
            top it must be (224, 224, 3).
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `resnet_v2.preprocess_input` ("tf").

    >>> import minikeras as keras
    >>> model = keras.applications.ResNet50V2(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape
    (None, 2048)
    """
    return ResNetV2(
        _stages((3, 4, 6, 3)),
        "resnet50v2",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def ResNet101V2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101v2",
):
    """Instantiates ResNet101V2 (blocks 3, 4, 23, 3).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation: as `ResNet50V2`.
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `resnet_v2.preprocess_input` ("tf").

    >>> import minikeras as keras
    >>> model = keras.applications.ResNet101V2(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3))
    >>> model.output_shape
    (None, 1, 1, 2048)
    """
    return ResNetV2(
        _stages((3, 4, 23, 3)),
        "resnet101v2",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def ResNet152V2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152v2",
):
    """Instantiates ResNet152V2 (blocks 3, 8, 36, 3).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation: as `ResNet50V2`.
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `resnet_v2.preprocess_input` ("tf").

    >>> import minikeras as keras
    >>> model = keras.applications.ResNet152V2(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3))
    >>> model.output_shape
    (None, 1, 1, 2048)
    """
    return ResNetV2(
        _stages((3, 8, 36, 3)),
        "resnet152v2",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def preprocess_input(x, data_format=None):
    """Preprocesses images for ResNet V2: scales pixels from [0, 255] to [-1, 1] ("tf" mode).

    A float numpy input is modified in place (as Keras does).

    Args:
        x: images with values in [0, 255], 3-D or 4-D with 3 colour channels.
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        The preprocessed array (float32 when the input was not floating point) or tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.applications.resnet_v2.preprocess_input(np.array([[[0.0, 127.5, 255.0]]])).tolist()
    [[[-1.0, 0.0, 1.0]]]
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


# the ImageNet decoder every application module exports (see `imagenet_utils`)
decode_predictions = imagenet_utils.decode_predictions
