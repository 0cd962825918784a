"""NASNet-A Mobile and Large (Zoph et al., 2018) with Keras 3's layer names and weight order.

A stride-2 stem conv, two reduction cells, then three stacks of `num_blocks` normal cells with a
reduction cell between them. Each cell combines the previous two cells' outputs (`p` adjusted
to the current one's size and width) through separable-conv and pooling branches that are
added pairwise and concatenated. channels_last only, as in Keras. The activations and a few
pads/crops are auto-named (`activation_<n>`, `zero_padding2d_<n>`, ...) as in Keras, so build
it in a fresh session (`keras.backend.clear_session()`) before loading a weights file that
matches layers by name.
"""

from .. import backend, layers
from . import imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/nasnet/"
# default size: {include_top: (cached file name, URL file name, md5)}
_FILES = {
    224: {
        True: ("nasnet_mobile.h5", "NASNet-mobile.h5", "020fb642bf7360b370c678b08e0adf61"),
        False: (
            "nasnet_mobile_no_top.h5",
            "NASNet-mobile-no-top.h5",
            "1ed92395b5b598bdda52abe5c0dbfd63",
        ),
    },
    331: {
        True: ("nasnet_large.h5", "NASNet-large.h5", "11577c9a518f0070763c2b964a382f17"),
        False: (
            "nasnet_large_no_top.h5",
            "NASNet-large-no-top.h5",
            "d81d89dc07e6e56530c4e77faddd61b5",
        ),
    },
}

__all__ = ["NASNetMobile", "NASNetLarge", "decode_predictions", "preprocess_input"]


def _bn(name):
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)


def _conv1x1(filters, name, strides=(1, 1)):
    return layers.Conv2D(
        filters,
        (1, 1),
        strides=strides,
        padding="same",
        use_bias=False,
        name=name,
        kernel_initializer="he_normal",
    )


def NASNet(
    input_shape=None,
    penultimate_filters=4032,
    num_blocks=6,
    stem_block_filters=96,
    skip_reduction=True,
    filter_multiplier=2,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    default_size=None,
    classifier_activation="softmax",
    name="NASNet",
):
    """Builds a NASNet-A with `penultimate_filters` channels before the top (a multiple of
    24 * filter_multiplier**2) and `num_blocks` normal cells per stack."""
    if backend.image_data_format() == "channels_first":
        raise ValueError(
            "NASNet does not support the `channels_first` image data format. Switch to "
            "`channels_last` (keras.config.set_image_data_format or ~/.keras/keras.json)."
        )
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError(
            "When specifying the input shape of a NASNet and loading `ImageNet` weights, the "
            f"input_shape argument must be static (no None entries). Got: "
            f"`input_shape={input_shape}`."
        )
    default_size = 331 if default_size is None else default_size
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
        if default_size not in _FILES:
            raise ValueError("ImageNet weights can only be loaded with NASNetLarge or NASNetMobile")
        file_name, url_name, file_hash = _FILES[default_size][bool(include_top)]
        weights_path = imagenet_utils.weights_file(
            weights, file_name, BASE_WEIGHTS_PATH + url_name, file_hash
        )
    elif weights is not None:
        weights_path = weights
    if penultimate_filters % (24 * (filter_multiplier**2)) != 0:
        raise ValueError(
            "For NASNet-A models, the `penultimate_filters` must be a multiple of "
            f"24 * (`filter_multiplier` ** 2). Current value: {penultimate_filters}"
        )

    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    filters = penultimate_filters // 24
    x = layers.Conv2D(
        stem_block_filters,
        (3, 3),
        strides=(2, 2),
        padding="valid",
        use_bias=False,
        name="stem_conv1",
        kernel_initializer="he_normal",
    )(img_input)
    x = _bn("stem_bn1")(x)

    p = None
    x, p = _reduction_a_cell(x, p, filters // (filter_multiplier**2), block_id="stem_1")
    x, p = _reduction_a_cell(x, p, filters // filter_multiplier, block_id="stem_2")
    for stack in range(3):
        width = filters * filter_multiplier**stack
        if stack:
            x, p0 = _reduction_a_cell(x, p, width, block_id=f"reduce_{stack * num_blocks}")
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            block_id = f"{stack * num_blocks + i + (1 if stack else 0)}"
            x, p = _normal_a_cell(x, p, width, block_id=block_id)

    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return imagenet_utils.functional_model(img_input, input_tensor, x, name, weights_path)


def _separable_conv_block(ip, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    """relu -> SeparableConv2D (strided, with TF-style padding) -> BN -> relu ->
    SeparableConv2D -> BN."""
    x = layers.Activation("relu")(ip)
    padding = "same"
    if strides == (2, 2):
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size),
            name=f"separable_conv_1_pad_{block_id}",
        )(x)
        padding = "valid"
    x = layers.SeparableConv2D(
        filters,
        kernel_size,
        strides=strides,
        name=f"separable_conv_1_{block_id}",
        padding=padding,
        use_bias=False,
    )(x)
    x = _bn(f"separable_conv_1_bn_{block_id}")(x)
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(
        filters, kernel_size, name=f"separable_conv_2_{block_id}", padding="same", use_bias=False
    )(x)
    return _bn(f"separable_conv_2_bn_{block_id}")(x)


def _adjust_block(p, ip, filters, block_id=None):
    """Brings the previous cell's output `p` to `ip`'s spatial size and `filters` channels."""
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        # factorized reduction: two stride-2 1x1 paths, the second shifted by one pixel
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D(
            (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block_id}"
        )(p)
        p1 = _conv1x1(filters // 2, f"adjust_conv_1_{block_id}")(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D(
            (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block_id}"
        )(p2)
        p2 = _conv1x1(filters // 2, f"adjust_conv_2_{block_id}")(p2)
        p = layers.concatenate([p1, p2], axis=-1)
        return _bn(f"adjust_bn_{block_id}")(p)
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = _conv1x1(filters, f"adjust_conv_projection_{block_id}")(p)
        return _bn(f"adjust_bn_{block_id}")(p)
    return p


def _squeeze(ip, filters, kind, block_id):
    # relu -> 1x1 conv -> BN on the cell's input
    h = layers.Activation("relu")(ip)
    h = _conv1x1(filters, f"{kind}_conv_1_{block_id}")(h)
    return _bn(f"{kind}_bn_1_{block_id}")(h)


def _avg3(strides, padding, name):
    return layers.AveragePooling2D((3, 3), strides=strides, padding=padding, name=name)


def _normal_a_cell(ip, p, filters, block_id=None):
    """Normal cell: five pairwise sums of branches over `h` (this input) and `p` (the previous
    cell's output), concatenated with `p`. Returns (output, ip)."""
    p = _adjust_block(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "normal", block_id)
    x1_1 = _separable_conv_block(
        h, filters, kernel_size=(5, 5), block_id=f"normal_left1_{block_id}"
    )
    x1_2 = _separable_conv_block(p, filters, block_id=f"normal_right1_{block_id}")
    x1 = layers.add([x1_1, x1_2], name=f"normal_add_1_{block_id}")
    x2_1 = _separable_conv_block(p, filters, (5, 5), block_id=f"normal_left2_{block_id}")
    x2_2 = _separable_conv_block(p, filters, (3, 3), block_id=f"normal_right2_{block_id}")
    x2 = layers.add([x2_1, x2_2], name=f"normal_add_2_{block_id}")
    x3 = _avg3((1, 1), "same", f"normal_left3_{block_id}")(h)
    x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")
    x4_1 = _avg3((1, 1), "same", f"normal_left4_{block_id}")(p)
    x4_2 = _avg3((1, 1), "same", f"normal_right4_{block_id}")(p)
    x4 = layers.add([x4_1, x4_2], name=f"normal_add_4_{block_id}")
    x5 = _separable_conv_block(h, filters, block_id=f"normal_left5_{block_id}")
    x5 = layers.add([x5, h], name=f"normal_add_5_{block_id}")
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}")
    return x, ip


def _reduction_a_cell(ip, p, filters, block_id=None):
    """Reduction cell: halves the spatial size. Returns (output, ip)."""
    p = _adjust_block(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "reduction", block_id)
    h3 = layers.ZeroPadding2D(
        padding=imagenet_utils.correct_pad(h, 3), name=f"reduction_pad_1_{block_id}"
    )(h)
    x1_1 = _separable_conv_block(
        h, filters, (5, 5), strides=(2, 2), block_id=f"reduction_left1_{block_id}"
    )
    x1_2 = _separable_conv_block(
        p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right1_{block_id}"
    )
    x1 = layers.add([x1_1, x1_2], name=f"reduction_add_1_{block_id}")
    x2_1 = layers.MaxPooling2D(
        (3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block_id}"
    )(h3)
    x2_2 = _separable_conv_block(
        p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right2_{block_id}"
    )
    x2 = layers.add([x2_1, x2_2], name=f"reduction_add_2_{block_id}")
    x3_1 = _avg3((2, 2), "valid", f"reduction_left3_{block_id}")(h3)
    x3_2 = _separable_conv_block(
        p, filters, (5, 5), strides=(2, 2), block_id=f"reduction_right3_{block_id}"
    )
    x3 = layers.add([x3_1, x3_2], name=f"reduction_add3_{block_id}")
    x4 = _avg3((1, 1), "same", f"reduction_left4_{block_id}")(x1)
    x4 = layers.add([x2, x4])
    x5_1 = _separable_conv_block(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}")
    x5_2 = layers.MaxPooling2D(
        (3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block_id}"
    )(h3)
    x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")
    x = layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}")
    return x, ip


def NASNetMobile(
    input_shape=None,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_mobile",
):
    """Instantiates NASNet-A Mobile (4 @ 1056, 224x224 by default).

    Args:
        input_shape: (rows, cols, 3), at least 32x32; with `include_top=False` it defaults to
            (224, 224, 3), as in Keras.
        include_top: whether to end with global average pooling and the `predictions` Dense.
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        name: model name.

    Returns:
        A functional `keras.Model`. Preprocess its inputs with `preprocess_input`.

    >>> import minikeras as keras
    >>> keras.applications.NASNetMobile(weights=None, input_shape=(16, 16, 3))
    Traceback (most recent call last):
    ...
    ValueError: Input size must be at least 32x32...
    """
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return NASNet(
        input_shape,
        penultimate_filters=1056,
        num_blocks=4,
        stem_block_filters=32,
        skip_reduction=False,
        filter_multiplier=2,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        pooling=pooling,
        classes=classes,
        default_size=224,
        classifier_activation=classifier_activation,
        name=name,
    )


def NASNetLarge(
    input_shape=None,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_large",
):
    """Instantiates NASNet-A Large (6 @ 4032, 331x331 by default).

    Args:
        input_shape: (rows, cols, 3), at least 32x32; only with `include_top=False` or no
            ImageNet weights.
        include_top: whether to end with global average pooling and the `predictions` Dense.
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        name: model name.

    Returns:
        A functional `keras.Model`. Preprocess its inputs with `preprocess_input`.

    >>> import minikeras as keras
    >>> keras.applications.NASNetLarge(weights=None, input_shape=(16, 16, 3))
    Traceback (most recent call last):
    ...
    ValueError: Input size must be at least 32x32...
    """
    return NASNet(
        input_shape,
        penultimate_filters=4032,
        num_blocks=6,
        stem_block_filters=96,
        skip_reduction=True,
        filter_multiplier=2,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        pooling=pooling,
        classes=classes,
        default_size=331,
        classifier_activation=classifier_activation,
        name=name,
    )


def preprocess_input(x, data_format=None):
    """Preprocesses images for NASNet: scales pixels from [0, 255] to [-1, 1] ("tf" mode).

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
