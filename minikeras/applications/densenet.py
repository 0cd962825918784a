"""DenseNet121/169/201 (Huang et al., 2017) with Keras 3's layer names.

A 7x7 stem, then four dense blocks joined by transition blocks. Each conv block of a dense
block is BN -> ReLU -> 1x1 conv (128) -> BN -> ReLU -> 3x3 conv (32, the growth rate), whose
output is concatenated onto its input; a transition block halves the channels (BN -> ReLU ->
1x1 conv) and the resolution (2x2 average pooling). Convs have no biases; every
BatchNormalization uses epsilon=1.001e-5. The stem's two ZeroPadding2D layers keep Keras's
auto-numbered names (`zero_padding2d`, `zero_padding2d_1`). channels_last only, as in Keras.
"""

from .. import backend, layers
from . import imagenet_utils

BASE_WEIGHTS_PATH = imagenet_utils.BASE_URL + "densenet/"
# blocks per dense block -> (file stem, hash with the top, hash without it)
_WEIGHTS = {
    (6, 12, 24, 16): (
        "densenet121",
        "9d60b8095a5708f2dcce2bca79d332c7",
        "30ee3e1110167f948a6b9946edeeb738",
    ),
    (6, 12, 32, 32): (
        "densenet169",
        "d699b8f76981ab1b30698df4c175e90b",
        "b8c4d4c20dd625c148057b9ff1c1176b",
    ),
    (6, 12, 48, 32): (
        "densenet201",
        "1ceb130c1ea1b78c3bf6114dbdfd8807",
        "c13680b51ded0fb44dff2d8f86ac8bb1",
    ),
}
_EPSILON = 1.001e-5
_BN_AXIS = 3  # DenseNet is channels_last only

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "decode_predictions", "preprocess_input"]


def _bn(name):
    return layers.BatchNormalization(axis=_BN_AXIS, epsilon=_EPSILON, name=name)


def conv_block(x, growth_rate, name):
    """BN-ReLU-1x1 conv-BN-ReLU-3x3 conv, concatenated onto the input (`growth_rate` more
    channels)."""
    x1 = _bn(name + "_0_bn")(x)
    x1 = layers.Activation("relu", name=name + "_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=name + "_1_conv")(x1)
    x1 = _bn(name + "_1_bn")(x1)
    x1 = layers.Activation("relu", name=name + "_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=name + "_2_conv")(x1)
    return layers.Concatenate(axis=_BN_AXIS, name=name + "_concat")([x, x1])


def dense_block(x, blocks, name):
    """`blocks` conv blocks of growth rate 32, named `{name}_block1` ..."""
    for i in range(1, blocks + 1):
        x = conv_block(x, 32, name=f"{name}_block{i}")
    return x


def transition_block(x, reduction, name):
    """BN-ReLU-1x1 conv keeping `reduction` of the channels, then 2x2 average pooling."""
    x = _bn(name + "_bn")(x)
    x = layers.Activation("relu", name=name + "_relu")(x)
    x = layers.Conv2D(int(x.shape[_BN_AXIS] * reduction), 1, use_bias=False, name=name + "_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=name + "_pool")(x)


def DenseNet(
    blocks,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet",
):
    """Builds a DenseNet with `blocks` conv blocks in each of its four dense blocks."""
    if backend.image_data_format() == "channels_first":
        raise ValueError(
            "DenseNet does not support the `channels_first` image data format (as in Keras). "
            "Call keras.backend.set_image_data_format('channels_last')."
        )
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    weights_path = None
    if weights == "imagenet":
        if tuple(blocks) not in _WEIGHTS:
            raise ValueError(f"No ImageNet weights for a DenseNet with blocks={list(blocks)}")
        stem, top_hash, notop_hash = _WEIGHTS[tuple(blocks)]
        file_name = f"{stem}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
        weights_path = imagenet_utils.weights_file(
            weights,
            file_name,
            BASE_WEIGHTS_PATH + file_name,
            top_hash if include_top else notop_hash,
        )
    elif weights is not None:
        weights_path = weights

    img_input = imagenet_utils.image_input(input_tensor, input_shape)

    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)  # unnamed in Keras too
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn("conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)

    for stage, count in enumerate(blocks, 2):
        x = dense_block(x, count, name=f"conv{stage}")
        if stage < 5:
            x = transition_block(x, 0.5, name=f"pool{stage}")

    x = _bn("bn")(x)
    x = layers.Activation("relu", name="relu")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)

    return imagenet_utils.functional_model(img_input, input_tensor, x, name, weights_path)


def DenseNet121(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet121",
):
    """Instantiates DenseNet121 (6, 12, 24, 16 conv blocks).

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
        A functional `keras.Model`; preprocess inputs with `densenet.preprocess_input`
        ("torch").

    >>> import minikeras as keras
    >>> model = keras.applications.DenseNet121(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape
    (None, 1024)
    """
    return DenseNet(
        (6, 12, 24, 16),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name=name,
    )


def DenseNet169(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet169",
):
    """Instantiates DenseNet169 (6, 12, 32, 32 conv blocks).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation: as `DenseNet121`.
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `densenet.preprocess_input`
        ("torch").

    >>> import minikeras as keras
    >>> model = keras.applications.DenseNet169(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape
    (None, 1664)
    """
    return DenseNet(
        (6, 12, 32, 32),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name=name,
    )


def DenseNet201(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet201",
):
    """Instantiates DenseNet201 (6, 12, 48, 32 conv blocks).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation: as `DenseNet121`.
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `densenet.preprocess_input`
        ("torch").

    >>> import minikeras as keras
    >>> model = keras.applications.DenseNet201(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape
    (None, 1920)
    """
    return DenseNet(
        (6, 12, 48, 32),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name=name,
    )


def preprocess_input(x, data_format=None):
    """Preprocesses images for DenseNet: [0, 1] scaling, then ImageNet mean/std ("torch" mode).

    Each channel is scaled to [0, 1], then normalised by the ImageNet mean and standard deviation.

    A float numpy input is modified in place (as Keras does).

    Args:
        x: images with values in [0, 255], 3-D or 4-D with 3 colour channels.
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        The preprocessed array (float32 when the input was not floating point) or tensor.

    >>> import numpy as np, minikeras as keras
    >>> x = np.array([[[0.485 * 255, 0.456 * 255, 0.406 * 255]]])
    >>> keras.applications.densenet.preprocess_input(x).round(6).tolist()
    [[[0.0, 0.0, 0.0]]]
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


# the ImageNet decoder every application module exports (see `imagenet_utils`)
decode_predictions = imagenet_utils.decode_predictions
