"""`Wrapper`: the base of layers that hold and augment another layer (`TimeDistributed`, ...)."""

import inspect

from ..layer import Layer


def serialize_layer(layer):
    """`layer` as the Keras 3 dict `{"module", "class_name", "config", "registered_name",
    "build_config"}` that a wrapper's config holds."""
    try:
        from ...saving.serialization import serialize_layer as saving_serialize
    except ImportError:  # the saving package not available (yet): the same form, made here
        saving_serialize = None
    if saving_serialize is not None:
        return saving_serialize(layer)
    from ...saving.registry import get_registered_name
    from .. import LAYER_CLASSES

    cls = type(layer)
    name = cls.__name__
    if LAYER_CLASSES.get(name) is cls:
        module, registered = "keras.layers", None
    elif cls.__module__.startswith("minikeras.models"):
        module, registered = "keras", None
    else:
        module, registered = cls.__module__, get_registered_name(cls)
    out = {"module": module, "class_name": name, "config": layer.get_config(),
           "registered_name": registered}
    build_config = layer.get_build_config()
    if build_config is not None:
        out["build_config"] = build_config
    return out


def deserialize_layer(config, custom_objects=None):
    """The layer described by a `serialize_layer` dict (or a Keras 2 `{"class_name", "config"}`
    dict); only registered, passed or minikeras classes are created."""
    try:
        from ...saving.serialization import deserialize_layer as saving_deserialize
    except ImportError:
        saving_deserialize = None
    if saving_deserialize is not None:
        return saving_deserialize(config, custom_objects=custom_objects)
    if isinstance(config, Layer):
        return config
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Expected a layer config dict with keys 'class_name' and 'config'. "
            f"Received: {config!r}"
        )
    from ...models import Functional, Model, Sequential
    from ...saving.registry import get_registered_object
    from .. import LAYER_CLASSES

    name = config["class_name"]
    known = {**LAYER_CLASSES, "Sequential": Sequential, "Functional": Functional, "Model": Model}
    cls = get_registered_object(config.get("registered_name") or name, custom_objects, known)
    if cls is None:
        raise ValueError(
            f"Unknown layer: '{name}'. Please ensure you are using a `keras.utils."
            "custom_object_scope` and that this object is included in the scope, or pass it in "
            "`custom_objects`."
        )
    inner = dict(config.get("config") or {})
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        layer = cls.from_config(inner, custom_objects=custom_objects)
    else:
        layer = cls.from_config(inner)
    build_config = config.get("build_config")
    if build_config and not layer.built:
        layer.build_from_config(build_config)
    return layer


class Wrapper(Layer):
    """Abstract base of wrappers: holds `layer` (saved under `layer/`) and builds it.

    Args:
        layer: the `keras.layers.Layer` (or model) to wrap.

    `trainable=False` on the wrapper freezes the wrapped layer too.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer!r} supplied to {type(self).__name__} isn't a supported layer type. "
                "Please ensure the wrapped layer is a valid Keras layer."
            )
        super().__init__(**kwargs)
        self.layer = layer
        if not self._trainable:
            self.layer.trainable = False

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
            if self.layer._build_shapes is None:
                self.layer._build_shapes = input_shape
        if not self._trainable:  # layers created by the build inherit the frozen state
            self.trainable = False
        self.built = True

    def get_config(self):
        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = deserialize_layer(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
