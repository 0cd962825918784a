"""VGG16 (Simonyan & Zisserman, 2014) with Keras 3's layer names.

Five blocks of 3x3 "same" ReLU convs (2, 2, 3, 3, 3 of them; 64 to 512 filters), each ending in
a 2x2 max pooling; the top is Flatten -> fc1 (4096) -> fc2 (4096) -> predictions.
"""

from .. import backend, layers
from . import imagenet_utils

WEIGHTS_PATH = imagenet_utils.BASE_URL + "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_PATH_NO_TOP = (
    imagenet_utils.BASE_URL + "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
)
_HASHES = ("64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc")

__all__ = ["VGG16", "decode_predictions", "preprocess_input"]


def VGG16(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg16",
):
    """Instantiates the VGG16 model.

    Args:
        include_top: whether to end with the three fully-connected layers (needs 224x224).
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        input_shape: (rows, cols, 3), rows and cols at least 32; only with `include_top=False`.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `vgg16.preprocess_input` ("caffe").

    >>> import minikeras as keras
    >>> model = keras.applications.VGG16(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3), pooling="max")
    >>> model.output_shape
    (None, 512)
    """
    return build_vgg(
        (2, 2, 3, 3, 3),
        (WEIGHTS_PATH, WEIGHTS_PATH_NO_TOP),
        _HASHES,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def build_vgg(
    convs_per_block,
    origins,
    hashes,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    name,
):
    """A VGG network with `convs_per_block[b]` convs in block `b + 1` (64, 128, 256, 512, 512
    filters), with or without its top; `origins` and `hashes` are the (top, no top) weight
    files'. VGG16 and VGG19 differ only in the convs per block and the weight files."""
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    origin = origins[0 if include_top else 1]
    weights_path = imagenet_utils.weights_file(
        weights, origin.rsplit("/", 1)[1], origin, hashes[0 if include_top else 1]
    )

    img_input = imagenet_utils.image_input(input_tensor, input_shape)

    x = img_input
    for block, (filters, convs) in enumerate(zip((64, 128, 256, 512, 512), convs_per_block), 1):
        for i in range(1, convs + 1):
            x = layers.Conv2D(
                filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}"
            )(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)

    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)

    return imagenet_utils.functional_model(img_input, input_tensor, x, name, weights_path)


def preprocess_input(x, data_format=None):
    """Preprocesses images for VGG16: RGB -> BGR, then subtracts the ImageNet BGR mean ("caffe").

    There is no scaling; a float numpy input is modified in place (as Keras does).

    Args:
        x: images with values in [0, 255], 3-D or 4-D with 3 colour channels.
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        The preprocessed array (float32 when the input was not floating point) or tensor.

    >>> import numpy as np, minikeras as keras
    >>> print(keras.applications.vgg16.preprocess_input(np.array([[[255.0, 0.0, 0.0]]])).round(3))
    [[[-103.939 -116.779  131.32 ]]]
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


# the ImageNet decoder every application module exports (see `imagenet_utils`)
decode_predictions = imagenet_utils.decode_predictions
