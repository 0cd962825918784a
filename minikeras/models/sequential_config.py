"""Sequential configs: `Sequential.get_config()` writes the Keras 3 form (its `layers` start
with the InputLayer), `Sequential.from_config()` reads Keras 2 and 3 forms (a bare list of layers
for Keras <= 2.1)."""

from ..serialization.config_checks import check_input_shape, check_layer_config, check_name
from ..serialization.keras_objects import deserialize_layer, serialize_layer


def sequential_config(model):
    """The Keras 3 `Sequential.get_config()` dict of `model`."""
    layers = []
    if model._input_layer is not None:
        layers.append(
            {
                "module": "keras.layers",
                "class_name": "InputLayer",
                "config": model._input_layer.get_config(),
                "registered_name": None,
            }
        )
    layers += [serialize_layer(layer) for layer in model.layers]
    config = {
        "name": model.name,
        "trainable": model.trainable,
        "dtype": {
            "module": "keras",
            "class_name": "DTypePolicy",
            "config": {"name": model.dtype},
            "registered_name": None,
        },
        "layers": layers,
    }
    if model.built and model._build_shapes is not None:
        config["build_input_shape"] = [None if d is None else int(d) for d in model._build_shapes]
    return config


def sequential_from_config(config, custom_objects=None):
    """A Sequential model from a Keras 2 or 3 config (a bare list for Keras <= 2.1)."""
    from ..layers.core_layers.input_layer import InputLayer
    from .sequential import Sequential

    if isinstance(config, list):
        config = {"layers": config}
    name = config.get("name")
    if name is not None:
        check_name(name, "a model")
    model = Sequential(name=name)
    for entry in config.get("layers", []):
        if not isinstance(entry, dict):
            raise ValueError(
                f"Sequential model '{name}': a layer entry should be a dict: {entry!r}"
            )
        if entry.get("class_name") == "InputLayer":
            cfg = dict(entry.get("config") or {})
            check_name(cfg.get("name") or "input", "an InputLayer")
            model.add(InputLayer(**input_kwargs(cfg)), rebuild=False)
        else:
            layer = deserialize_layer(entry, custom_objects)
            model.add(layer, rebuild=False)
    model._maybe_rebuild()
    if not model.built and config.get("build_input_shape"):
        check_input_shape(name, config["build_input_shape"])
        model.build(tuple(config["build_input_shape"]))
    if config.get("trainable") is False:
        model.trainable = False
    return model


def input_kwargs(cfg):
    """An InputLayer's constructor arguments from its saved config, checked (also used by
    functional configs)."""
    out = {k: v for k, v in cfg.items() if k not in ("ragged", "sparse")}
    if isinstance(out.get("dtype"), dict):
        out["dtype"] = (out["dtype"].get("config") or {}).get("name")
    if "batch_input_shape" in out:
        out["batch_shape"] = out.pop("batch_input_shape")
    from ..layers.core_layers.input_layer import InputLayer

    check_layer_config(InputLayer, out, "InputLayer")
    shape = out.get("batch_shape")
    if shape is None and isinstance(out.get("shape"), (list, tuple)):
        shape = [None] + list(out["shape"])
    check_input_shape(out.get("name"), shape)
    return out
