"""VGG19 (Simonyan & Zisserman, 2014) with Keras 3's layer names.

VGG16 with a fourth conv in each of the last three blocks: five blocks of 3x3 "same" ReLU convs
(2, 2, 4, 4, 4 of them; 64 to 512 filters), each ending in a 2x2 max pooling; the top is
Flatten -> fc1 (4096) -> fc2 (4096) -> predictions.
"""

from . import imagenet_utils
from .vgg16 import build_vgg

WEIGHTS_PATH = imagenet_utils.BASE_URL + "vgg19/vgg19_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_PATH_NO_TOP = (
    imagenet_utils.BASE_URL + "vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
)
_HASHES = ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6")

__all__ = ["VGG19", "decode_predictions", "preprocess_input"]


def VGG19(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg19",
):
    """Instantiates the VGG19 model.

    Args:
        include_top: whether to end with the three fully-connected layers (needs 224x224 with
            ImageNet weights).
        weights: None (random), "imagenet" (from the local cache) or a path to a weights file.
        input_tensor: optional KerasTensor to use as the image input.
        input_shape: (rows, cols, 3), rows and cols at least 32.
        pooling: with `include_top=False`: None (4-D output), "avg" or "max".
        classes: number of classes, only with `include_top=True`.
        classifier_activation: activation of `predictions` (None gives logits).
        name: the model's name.

    Returns:
        A functional `keras.Model`; preprocess inputs with `vgg19.preprocess_input` ("caffe").

    >>> import minikeras as keras
    >>> model = keras.applications.VGG19(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape
    (None, 512)
    """
    return build_vgg(
        (2, 2, 4, 4, 4),
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


def preprocess_input(x, data_format=None):
    """Preprocesses images for VGG19: RGB -> BGR, then subtracts the ImageNet BGR mean ("caffe").

    There is no scaling; a float numpy input is modified in place (as Keras does).

    Args:
        x: images with values in [0, 255], 3-D or 4-D with 3 colour channels.
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        The preprocessed array (float32 when the input was not floating point) or tensor.

    >>> import numpy as np, minikeras as keras
    >>> print(keras.applications.vgg19.preprocess_input(np.array([[[255.0, 0.0, 0.0]]])).round(3))
    [[[-103.939 -116.779  131.32 ]]]
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


# the ImageNet decoder every application module exports (see `imagenet_utils`)
decode_predictions = imagenet_utils.decode_predictions
