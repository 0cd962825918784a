"""ResNet50/101/152 (He et al., 2015; "v1" bottleneck blocks) with Keras 3's layer names.

Each bottleneck block is 1x1 -> 3x3 -> 1x1 convs (with biases), each followed by a
BatchNormalization with epsilon=1.001e-5, and a residual Add; the first block of a stage has a
1x1 conv shortcut.
"""

from .. import backend, layers
from . import imagenet_utils

BASE_WEIGHTS_PATH = imagenet_utils.BASE_URL + "resnet/"
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
}
_EPSILON = 1.001e-5

__all__ = ["ResNet50", "ResNet101", "ResNet152", "decode_predictions", "preprocess_input"]


def ResNet(
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
    """Builds a ResNet v1 around `stack_fn(x)`, which adds the residual stages."""
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    data_format = backend.image_data_format()
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=data_format,
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
    bn_axis = 1 if data_format == "channels_first" else 3

    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=_EPSILON, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)

    x = stack_fn(x)

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


def residual_block_v1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """Bottleneck block: `filters` wide inside, `4 * filters` channels out."""
    bn_axis = 1 if backend.image_data_format() == "channels_first" else 3

    def bn(suffix):
        return layers.BatchNormalization(axis=bn_axis, epsilon=_EPSILON, name=name + suffix)

    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = bn("_0_bn")(shortcut)
    else:
        shortcut = x

    x = layers.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = bn("_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="same", name=name + "_2_conv")(x)
    x = bn("_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = bn("_3_bn")(x)

    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.Activation("relu", name=name + "_out")(x)


def stack_residual_blocks_v1(x, filters, blocks, stride1=2, name=None):
    """A stage: one block with a conv shortcut (stride `stride1`), then identity blocks."""
    x = residual_block_v1(x, filters, stride=stride1, name=name + "_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def _stages(blocks):
    def stack_fn(x):
        x = stack_residual_blocks_v1(x, 64, blocks[0], stride1=1, name="conv2")
        x = stack_residual_blocks_v1(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v1(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v1(x, 512, blocks[3], name="conv5")

    return stack_fn


def ResNet50(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50",
):
    """Instantiates ResNet50 (blocks 3, 4, 6, 3).

    Args:
        include_top: whether to end with `avg_pool` and the `predictions` Dense.
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        input_shape: (rows, cols, 3), rows and cols at least 32; only with `include_top=False`
            (the top needs 224x224).
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `resnet.preprocess_input` ("caffe").

    >>> import minikeras as keras
    >>> model = keras.applications.ResNet50(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape
    (None, 2048)
    """
    return ResNet(
        _stages((3, 4, 6, 3)),
        "resnet50",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def ResNet101(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101",
):
    """Instantiates ResNet101 (blocks 3, 4, 23, 3).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation: as `ResNet50`.
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `resnet.preprocess_input` ("caffe").

    >>> import minikeras as keras
    >>> model = keras.applications.ResNet101(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3))
    >>> model.output_shape
    (None, 1, 1, 2048)
    """
    return ResNet(
        _stages((3, 4, 23, 3)),
        "resnet101",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def ResNet152(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152",
):
    """Instantiates ResNet152 (blocks 3, 8, 36, 3).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation: as `ResNet50`.
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `resnet.preprocess_input` ("caffe").

    >>> import minikeras as keras
    >>> model = keras.applications.ResNet152(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3))
    >>> model.output_shape
    (None, 1, 1, 2048)
    """
    return ResNet(
        _stages((3, 8, 36, 3)),
        "resnet152",
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
    """Preprocesses images for ResNet50: RGB -> BGR, then subtracts the ImageNet BGR mean ("caffe").

    There is no scaling; a float numpy input is modified in place (as Keras does).

    Args:
        x: images with values in [0, 255], 3-D or 4-D with 3 colour channels.
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        The preprocessed array (float32 when the input was not floating point) or tensor.

    >>> import numpy as np, minikeras as keras
    >>> print(keras.applications.resnet.preprocess_input(np.array([[[255.0, 0.0, 0.0]]])).round(3))
    [[[-103.939 -116.779  131.32 ]]]
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


# the ImageNet decoder every application module exports (see `imagenet_utils`)
decode_predictions = imagenet_utils.decode_predictions
