"""`keras.applications`: ready-made image models built from public layers only.

Each model has Keras 3's layer names, weight order and defaults, so Keras weight files load
into it. ImageNet weights are read from the local cache and never downloaded unasked (see
`imagenet_utils`).
"""

import sys

from . import (
    densenet,
    efficientnet,
    imagenet_utils,
    inception_v3,
    mobilenet_v2,
    resnet,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from .densenet import DenseNet121, DenseNet169, DenseNet201
from .efficientnet import (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from .inception_v3 import InceptionV3
from .mobilenet_v2 import MobileNetV2
from .resnet import ResNet50, ResNet101, ResNet152
from .resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from .vgg16 import VGG16
from .vgg19 import VGG19
from .xception import Xception

# Keras also exposes ResNet50's helpers as `keras.applications.resnet50`
resnet50 = resnet
sys.modules[__name__ + ".resnet50"] = resnet

__all__ = [
    "VGG16",
    "VGG19",
    "InceptionV3",
    "MobileNetV2",
    "ResNet50",
    "ResNet101",
    "ResNet152",
    "ResNet50V2",
    "ResNet101V2",
    "ResNet152V2",
    "Xception",
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "densenet",
    "efficientnet",
    "imagenet_utils",
    "inception_v3",
    "mobilenet_v2",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]
