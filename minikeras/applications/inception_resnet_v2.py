"""Inception-ResNet-v2 (Szegedy et al., 2016) with Keras 3's layer names and weight order.

An Inception stem, then 10 Inception-ResNet-A ("block35"), a reduction, 20 -B ("block17"),
a reduction and 10 -C ("block8") blocks. Each block concatenates its conv branches, projects
them back to the input width with a biased 1x1 conv and adds `scale * branch` to its input
(`CustomScaleLayer`). Every other conv is unbiased and followed by a BatchNormalization without
a learned scale. Most layers are auto-named (`conv2d_<n>`, `batch_normalization_<n>`,
`activation_<n>`) as in Keras, so build it in a fresh session (`keras.backend.clear_session()`)
before loading a weights file that matches layers by name.
"""

from .. import backend, layers
from . import imagenet_utils

BASE_WEIGHT_URL = imagenet_utils.BASE_URL + "inception_resnet_v2/"
_FILES = {
    True: (
        "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5",
        "e693bd0210a403b3192acc6073ad2e96",
    ),
    False: (
        "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "d19885ff4a710c122648d3b5c3b684e4",
    ),
}

__all__ = ["InceptionResNetV2", "CustomScaleLayer", "decode_predictions", "preprocess_input"]


def _channel_axis():
    return 1 if backend.image_data_format() == "channels_first" else 3


def InceptionResNetV2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_resnet_v2",
):
    """Instantiates the Inception-ResNet-v2 architecture (299x299 by default).

    Args:
        include_top: whether to end with global average pooling and the `predictions` Dense.
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        input_shape: (rows, cols, 3), at least 75x75; only with `include_top=False` or no
            ImageNet weights.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        name: model name.

    Returns:
        A functional `keras.Model`. Preprocess its inputs with `preprocess_input`.

    >>> import minikeras as keras
    >>> keras.applications.InceptionResNetV2(weights=None, input_shape=(64, 64, 3))
    Traceback (most recent call last):
    ...
    ValueError: Input size must be at least 75x75...
    """
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=75,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    weights_path = None
    if weights == "imagenet":
        file_name, file_hash = _FILES[bool(include_top)]
        weights_path = imagenet_utils.weights_file(
            weights, file_name, BASE_WEIGHT_URL + file_name, file_hash
        )
    elif weights is not None:
        weights_path = weights

    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    channel_axis = _channel_axis()
    x = conv2d_bn(img_input, 32, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, padding="valid")
    x = conv2d_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)

    # mixed 5b (Inception-A)
    branch_0 = conv2d_bn(x, 96, 1)
    branch_1 = conv2d_bn(conv2d_bn(x, 48, 1), 64, 5)
    branch_2 = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1), 96, 3), 96, 3)
    branch_pool = layers.AveragePooling2D(3, strides=1, padding="same")(x)
    branch_pool = conv2d_bn(branch_pool, 64, 1)
    x = layers.Concatenate(axis=channel_axis, name="mixed_5b")(
        [branch_0, branch_1, branch_2, branch_pool]
    )
    for block_idx in range(1, 11):
        x = inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=block_idx)

    # mixed 6a (Reduction-A)
    branch_0 = conv2d_bn(x, 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(conv2d_bn(x, 256, 1), 256, 3)
    branch_1 = conv2d_bn(branch_1, 384, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=channel_axis, name="mixed_6a")([branch_0, branch_1, branch_pool])
    for block_idx in range(1, 21):
        x = inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=block_idx)

    # mixed 7a (Reduction-B)
    branch_0 = conv2d_bn(conv2d_bn(x, 256, 1), 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(conv2d_bn(x, 256, 1), 288, 3, strides=2, padding="valid")
    branch_2 = conv2d_bn(conv2d_bn(x, 256, 1), 288, 3)
    branch_2 = conv2d_bn(branch_2, 320, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=channel_axis, name="mixed_7a")(
        [branch_0, branch_1, branch_2, branch_pool]
    )
    for block_idx in range(1, 10):
        x = inception_resnet_block(x, scale=0.2, block_type="block8", block_idx=block_idx)
    x = inception_resnet_block(x, scale=1.0, activation=None, block_type="block8", block_idx=10)

    x = conv2d_bn(x, 1536, 1, name="conv_7b")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return imagenet_utils.functional_model(img_input, input_tensor, x, name, weights_path)


def conv2d_bn(
    x, filters, kernel_size, strides=1, padding="same", activation="relu", use_bias=False, name=None
):
    """Conv2D, then (when unbiased) BatchNormalization with `scale=False`, then `activation`;
    named `name`, `name_bn`, `name_ac` (auto-named when `name` is None)."""
    x = layers.Conv2D(
        filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name
    )(x)
    if not use_bias:
        bn_name = None if name is None else f"{name}_bn"
        x = layers.BatchNormalization(axis=_channel_axis(), scale=False, name=bn_name)(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


class CustomScaleLayer(layers.Layer):
    """`inputs[0] + inputs[1] * scale`: the scaled residual add of an Inception-ResNet block.

    Args:
        scale: the factor on the residual branch.

    >>> import numpy as np
    >>> x, r = np.ones((1, 2), "float32"), np.full((1, 2), 4.0, "float32")
    >>> CustomScaleLayer(0.5)([x, r]).numpy().tolist()
    [[3.0, 3.0]]
    """

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


# block type: the branches, each a list of (filters, kernel_size) convs applied in turn
_BLOCKS = {
    "block35": (((32, 1),), ((32, 1), (32, 3)), ((32, 1), (48, 3), (64, 3))),
    "block17": (((192, 1),), ((128, 1), (160, [1, 7]), (192, [7, 1]))),
    "block8": (((192, 1),), ((192, 1), (224, [1, 3]), (256, [3, 1]))),
}


def inception_resnet_block(x, scale, block_type, block_idx, activation="relu"):
    """One Inception-ResNet block: `activation(x + scale * conv1x1(concat(branches(x))))`,
    its layers named `<block_type>_<block_idx>_*`."""
    if block_type not in _BLOCKS:
        raise ValueError(
            'Unknown Inception-ResNet block type. Expects "block35", "block17" or "block8", '
            f"but got: {block_type}"
        )
    branches = []
    for convs in _BLOCKS[block_type]:
        branch = x
        for filters, kernel_size in convs:
            branch = conv2d_bn(branch, filters, kernel_size)
        branches.append(branch)
    block_name = f"{block_type}_{block_idx}"
    channel_axis = _channel_axis()
    mixed = layers.Concatenate(axis=channel_axis, name=f"{block_name}_mixed")(branches)
    up = conv2d_bn(
        mixed, x.shape[channel_axis], 1, activation=None, use_bias=True, name=f"{block_name}_conv"
    )
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def preprocess_input(x, data_format=None):
    """Preprocesses images for Inception-ResNet-v2: scales pixels from [0, 255] to [-1, 1] ("tf" mode).

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
