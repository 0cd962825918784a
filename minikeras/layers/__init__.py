"""`keras.layers`: every layer class, and the functional forms of the merging layers.

Each sub-package lists its public names in `__all__`; they are all exported here.
`LAYER_CLASSES` (the closed registry used when loading files) is built from everything exported.
`serialize` / `deserialize` are bound to the serialization floor.
"""

from ..serialization import keras_objects as _keras_objects, registry as _registry
from .layer import InputSpec as InputSpec, Layer
from .node import KerasTensor as KerasTensor
from .core_layers.op_layer import OpLayer as OpLayer
from .core_layers import *  # noqa: F401,F403
from .activations import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .convolutional import *  # noqa: F401,F403
from .merging import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .preprocessing import *  # noqa: F401,F403
from .regularization import *  # noqa: F401,F403
from .reshaping import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
from .spatial import *  # noqa: F401,F403
from .wrappers import *  # noqa: F401,F403


def _collect():
    import inspect

    return {
        name: obj
        for name, obj in globals().items()
        if inspect.isclass(obj) and issubclass(obj, Layer) and not name.startswith("_")
    }


LAYER_CLASSES = _collect()

# the closed table loading resolves layer classes in (serialization never imports layers)
_registry.register_table("layers", LAYER_CLASSES)
_registry.register_base("layer", Layer)


def serialize(layer):
    """Returns a layer's Keras 3 config dict, as `keras.layers.serialize` does.

    Args:
        layer: a `keras.layers.Layer` instance.

    Returns:
        `{"module", "class_name", "config", "registered_name"}`, plus `"build_config"` for a
        built layer; nested layers (a wrapper's) are serialized the same way.

    >>> import minikeras as keras
    >>> keras.layers.serialize(keras.layers.Dense(2))["class_name"]
    'Dense'
    """
    return _keras_objects.serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """Returns a layer built from `serialize`'s dict (or a Keras 2 `{"class_name", "config"}`).

    As in Keras 3, a dict with a `build_config` gives a built layer.

    Args:
        config: the serialized layer.
        custom_objects: optional dict of user classes and functions, by name.

    Returns:
        A `keras.layers.Layer` instance.

    >>> import minikeras as keras
    >>> keras.layers.deserialize({"class_name": "Dense", "config": {"units": 2}}).units
    2
    """
    return _keras_objects.load_layer(config, custom_objects)
