"""Model configs as legacy `.h5` files hold them (spec 2.6): Keras 2's spelling, which tf.keras 2
and Keras 3 both read, where it can express the graph."""

from ..layers.node import KerasTensor, flatten
from ..models import Functional, Sequential
from ..models.functional import functional_like_constructor
from ..serialization.keras_objects import serialize_keras_object, serialize_layer
from .keras2_compat import to_keras2


def _strip_keras3_entry(entry):
    """A top-level layer entry as legacy `.h5` files hold it: no module/registered_name/
    build_config (op nodes keep `module`: it tells them from layers) and no `mask` node kwargs."""
    dropped = ("registered_name", "build_config")
    if ".ops" not in str(entry.get("module")):
        dropped += ("module",)
    entry = {k: v for k, v in entry.items() if k not in dropped}
    for node in entry.get("inbound_nodes", []):
        if isinstance(node, dict):
            node["kwargs"] = {k: v for k, v in node.get("kwargs", {}).items() if k != "mask"}
    return entry


class _NotKeras2(Exception):
    """A graph feature the Keras 2 node format cannot carry so that Keras 3 also reads it."""


def _call_arg_names(layer):
    import inspect

    try:
        params = inspect.signature(layer.call).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _keras2_sequential_entry(entry):
    """A Sequential called inside a functional model, without its InputLayer: tf.keras 2 then
    numbers its calls from 0 as Keras 3 does (with an InputLayer, tf.keras 2 counts the model's
    own input node first and Keras 3 does not, so no file could serve both)."""
    cfg = dict(entry["config"])
    cfg["layers"] = [e for e in cfg.get("layers", []) if e.get("class_name") != "InputLayer"]
    cfg.pop("build_input_shape", None)
    return {**entry, "config": cfg}


def _attention_shapes(layer):
    """tf.keras 2's MultiHeadAttention config names the shapes it was first called on (its
    `from_config` requires the keys; Keras 3's refuses them, so only strict files carry them)."""
    node = next((n for n in layer._inbound_nodes if not n.is_input), None)
    if node is None:
        return {"query_shape": None, "key_shape": None, "value_shape": None}
    names = ["query", "value", "key"]
    given = {**dict(zip(names, node.args)), **node.kwargs}
    shape = {
        k: list(given[k].shape) if isinstance(given.get(k), KerasTensor) else None for k in names
    }
    key = shape["key"] if shape["key"] is not None else shape["value"]
    return {"query_shape": shape["query"], "key_shape": key, "value_shape": shape["value"]}


def keras2_functional_config(model, strict=False):
    """`Functional.get_config()` in Keras 2's form (`[[layer, node, tensor, kwargs]]` nodes).

    Keras 3's legacy loader reads this form too, except for three things it cannot express
    for both: a layer given tensors besides its first argument (Keras 3 passes such node
    kwargs on unresolved), a nested functional model (tf.keras 2 counts its own input node
    first, Keras 3 does not) and Keras 3 operation nodes (tf.keras 2 has no such layers).
    With `strict=False` these raise `_NotKeras2`; with `strict=True` the file follows
    tf.keras 2 (Keras 3 cannot load it) and only operation nodes raise a ValueError.
    """
    kept = {id(n) for depth in model._nodes_by_depth.values() for n in depth}
    reindex = {}
    for layer in model._all_layers:
        k = 0
        for i, node in enumerate(layer._inbound_nodes):
            if id(node) in kept:
                reindex[(id(layer), i)] = k
                k += 1

    def ref(t, io=False):
        layer, node_index, tensor_index = t._keras_history
        index = reindex.get((id(layer), node_index), node_index)
        if isinstance(layer, Functional):
            if not (strict or io):
                raise _NotKeras2(f"nested functional model '{layer.name}'")
            index += 1  # Keras 2 (and Keras 3 in input/output_layers) count its own node first
        return [layer.name, index, tensor_index]

    def encode(value):
        if isinstance(value, KerasTensor):
            if not strict:
                raise _NotKeras2("a tensor passed besides the first argument")
            return ref(value)
        if isinstance(value, (list, tuple)):
            return [encode(v) for v in value]
        if isinstance(value, dict):
            return {k: encode(v) for k, v in value.items()}
        return serialize_keras_object(value)

    def keras2_node(node):
        args = list(node.args)
        kwargs = {k: v for k, v in node.kwargs.items() if k != "mask"}
        if len(args) > 1:  # Keras 2 passes later positional arguments by name
            names = _call_arg_names(node.layer)
            if len(names) < len(args):
                raise _NotKeras2(f"layer '{node.layer.name}' called with {len(args)} arguments")
            kwargs = {**dict(zip(names[1:], args[1:])), **kwargs}
        first = args[0] if args else None
        tensors = first if isinstance(first, (list, tuple)) else [first]
        if not tensors or not all(isinstance(t, KerasTensor) for t in tensors):
            raise _NotKeras2(f"layer '{node.layer.name}' called on a non-tensor first argument")
        kw = encode(kwargs)
        return [ref(t) + [kw] for t in tensors]

    layers = []
    for layer in model._all_layers:
        if getattr(layer, "_is_operation", False):
            if strict:
                raise ValueError(
                    f"Cannot write model '{model.name}' for tf.keras 2: '{layer.name}' is a Keras 3 "
                    f"operation ({layer.op_name}), which tf.keras 2 has no layer for. Wrap it in a "
                    "layer (or keras.layers.Lambda with a registered function)."
                )
            raise _NotKeras2(f"operation '{layer.name}'")
        if isinstance(layer, Functional) and not isinstance(layer, Sequential):
            if not strict:
                raise _NotKeras2(f"nested functional model '{layer.name}'")
            entry = {
                "class_name": type(layer).__name__,
                "config": keras2_functional_config(layer, strict),
            }
        else:
            entry = _strip_keras3_entry(serialize_layer(layer))
            if isinstance(layer, Sequential):
                entry = _keras2_sequential_entry(entry)
            if type(layer).__name__ == "MultiHeadAttention":
                entry["config"].update(_attention_shapes(layer))
        entry["name"] = layer.name
        entry["inbound_nodes"] = [
            keras2_node(node)
            for node in layer._inbound_nodes
            if id(node) in kept and not node.is_input
        ]
        layers.append(entry)

    def io(structure):
        if isinstance(structure, KerasTensor):
            return [ref(structure, io=True)]
        if isinstance(structure, dict):
            return {k: ref(v, io=True) for k, v in structure.items()}
        return [ref(t, io=True) for t in flatten(structure)]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": io(model._input_structure),
        "output_layers": io(model._output_structure),
    }


def legacy_h5_model_config(model, for_tf_keras=False):
    """`{"class_name", "config"}` for a legacy `.h5` file (spec 2.6), in the Keras 2 spelling.

    Layer configs are spelled so tf.keras 2 and Keras 3 both rebuild them
    (`keras2_compat.to_keras2`); a functional graph uses Keras 2's node format when both can
    read it (`keras2_functional_config`) and Keras 3's otherwise, unless `for_tf_keras=True`
    asks for Keras 2's format regardless (then Keras 3 may not load the file).
    """
    if isinstance(model, Functional) and functional_like_constructor(type(model)):
        try:
            config = keras2_functional_config(model, strict=for_tf_keras)
        except _NotKeras2:
            config = model.get_config()
            config["layers"] = [_strip_keras3_entry(e) for e in config.get("layers", [])]
    else:
        config = model.get_config()  # a functional subclass may give its own arguments only
        if "layers" in config:
            config["layers"] = [_strip_keras3_entry(e) for e in config["layers"]]
    return to_keras2({"class_name": type(model).__name__, "config": config})
