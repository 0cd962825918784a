"""Functional configs (spec section 6): `Functional.get_config()` writes the Keras 3 form,
`Functional.from_config()` reads the Keras 2 and 3 forms.

Reading rebuilds the graph by replaying each layer's `inbound_nodes` once its inputs exist.
Keras 3 operation nodes (`NotEqual`, `Resize`, `FFT2`, ...) become `OpLayer`s when the op is one
of `keras.ops` (a closed set of numeric functions, named as Keras 3 names them in
`layers/core_layers/op_names.py`); `mask` and `training` call arguments are dropped (masks propagate
by themselves, `training` comes from the enclosing call). Op nodes are written as Keras 3 writes
them: the constructor arguments in the config, the tensors in the node. Legacy `.h5` files' Keras 2
form is written by `saving/legacy_config.py`.
"""

import functools

from ..core import ops
from ..layers.core_layers import op_names
from ..layers.node import KerasTensor, flatten
from ..serialization import registry
from ..serialization.config_checks import check_name
from ..serialization.keras_objects import (
    deserialize_layer,
    deserialize_value,
    serialize_keras_object,
    serialize_layer,
)
from ..utils.naming import to_snake_case
from .sequential_config import input_kwargs

_DROPPED_KWARGS = ("mask", "training")


# ---- writing -----------------------------------------------------------------------------------


def _op_entry(layer):
    """An operation node as Keras 3 writes it: its class in `keras.src.ops.<module>`, its
    constructor arguments as config (`op_names.OPS`). Ops Keras lacks keep minikeras's names."""
    spec = op_names.keras_op(layer.op_name)
    if spec is None:
        module, class_name, registered = "keras.src.ops.numpy", None, None
        class_name = op_names.legacy_class_name(layer.op_name)
    else:
        module, class_name = spec[0], spec[1]
        registered = class_name  # Keras 3 writes the class name here for its operations
    try:
        config = {"name": layer.name, **serialize_keras_object(layer.op_kwargs)}
    except ValueError as e:  # a lambda given to a control-flow op (scan, map, cond, ...)
        raise ValueError(
            f"Cannot save operation '{layer.name}' (keras.ops.{layer.op_name}): {e}"
        ) from None
    return {
        "module": module,
        "class_name": class_name,
        "config": config,
        "registered_name": registered,
    }


def _functions_in(value, custom_objects):
    """Function entries (also inside lists) of an op's config, looked up by name."""
    if isinstance(value, dict) and value.get("class_name") in ("function", "__lambda__"):
        return deserialize_value(value, custom_objects)
    if isinstance(value, list):
        return [_functions_in(v, custom_objects) for v in value]
    return value


def _layer_entry(layer):
    if getattr(layer, "_is_operation", False):
        return _op_entry(layer)
    return serialize_layer(layer)


def functional_config(model):
    """The Keras 3 `Functional.get_config()` dict of `model`."""
    from .functional import Functional

    kept = {id(n) for depth in model._nodes_by_depth.values() for n in depth}
    reindex = {}  # (layer id, node index) -> index among this model's nodes
    for layer in model._all_layers:
        k = 0
        for i, node in enumerate(layer._inbound_nodes):
            if id(node) in kept:
                reindex[(id(layer), i)] = k
                k += 1

    def tensor_ref(t):
        layer, node_index, tensor_index = t._keras_history
        return [layer.name, reindex.get((id(layer), node_index), node_index), tensor_index]

    def encode(value):
        if isinstance(value, KerasTensor):
            return {
                "class_name": "__keras_tensor__",
                "config": {
                    "shape": list(value.shape),
                    "dtype": value.dtype,
                    "keras_history": tensor_ref(value),
                },
            }
        if isinstance(value, (list, tuple)):
            return [encode(v) for v in value]
        if isinstance(value, dict):
            return {k: encode(v) for k, v in value.items()}
        return serialize_keras_object(value)

    layers = []
    for layer in model._all_layers:
        entry = _layer_entry(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [
            {"args": encode(list(node.args)), "kwargs": encode(dict(node.kwargs))}
            for node in layer._inbound_nodes
            if id(node) in kept and not node.is_input
        ]
        layers.append(entry)

    def io_ref(t):
        ref = tensor_ref(t)
        if isinstance(t._keras_history[0], Functional):
            ref[1] += 1  # Keras 3 counts a nested functional model's own node first (spec 6.3)
        return ref

    def io(structure):
        if isinstance(structure, KerasTensor):
            return io_ref(structure)
        if isinstance(structure, dict):
            return {k: io_ref(v) for k, v in structure.items()}
        return [io_ref(t) for t in flatten(structure)]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": io(model._input_structure),
        "output_layers": io(model._output_structure),
    }


# ---- reading: Functional -------------------------------------------------------------------------


def _takes_states_in_inputs(layer):
    from ..layers.rnn.bidirectional import Bidirectional
    from ..layers.rnn.rnn import RNN

    return isinstance(layer, (RNN, Bidirectional))


def _is_triple(x):
    return (
        isinstance(x, (list, tuple))
        and len(x) in (3, 4)
        and isinstance(x[0], str)
        and isinstance(x[1], int)
        and isinstance(x[2], int)
    )


def _looks_like_op(entry):
    """Keras 3 op nodes name an ops module, or pass several positional arguments (layers take
    their inputs as one argument)."""
    if ".ops" in str(entry.get("module") or ""):
        return True
    nodes = entry.get("inbound_nodes") or []
    return any(isinstance(n, dict) and len(n.get("args") or []) > 1 for n in nodes)


@functools.cache
def _legacy_op_names():
    """Old minikeras class names of op nodes -> op name, for every public op: the functions that
    `keras.ops` and `keras.ops.image` bind by name (read from those namespaces, not from the
    family modules, which also hold helpers and may split further)."""

    def public(namespace):
        return {
            name
            for name, value in vars(namespace).items()
            if not name.startswith("_") and callable(value) and not isinstance(value, type)
        }

    names = public(ops) | {f"image.{n}" for n in public(ops.image)}
    return {op_names.legacy_class_name(n): n for n in sorted(names)}


def _op_for_entry(class_name, config):
    """`(op name, keras_call)` for an operation node's class, or `(None, False)`.

    Keras 3's class names (`Resize`, `FFT2`, `GetItem`, ...) come first; then the names minikeras
    wrote before it used Keras's (`Image.resize`, `Fft2`, ...). `keras_call` says the node passes
    the Keras op's call arguments only, its other arguments being in the config: so for Keras's
    names, unless the config holds none of the op's constructor arguments (older minikeras files
    kept all arguments in the node, as the function takes them).
    """
    op = op_names.op_for_class(class_name)
    if op is not None:
        init = op_names.OPS[op][2]
        return op, not init or any(k in config for k in init)
    op = _legacy_op_names().get(class_name)
    if op is None:  # older still: the snake_case of the class name
        name = to_snake_case(class_name)
        op = name if name in _legacy_op_names().values() else None
    return op, False


def _starts_with_input(config):
    """True for a Sequential config that tf.keras 2 builds from an Input (an InputLayer entry,
    or a first layer with `batch_input_shape`): tf.keras 2 then counts the model's own node
    first when a functional model calls it."""
    layers = config.get("layers") if isinstance(config, dict) else config
    if not isinstance(layers, list) or not layers or not isinstance(layers[0], dict):
        return False
    first = layers[0]
    return first.get("class_name") == "InputLayer" or "batch_input_shape" in (
        first.get("config") or {}
    )


def _resolves_as_layer(entry, custom_objects):
    """True when the entry's class names a layer (registered, passed or minikeras's own)."""
    try:
        registry.resolve_layer_class(
            entry["class_name"], entry.get("registered_name"), custom_objects
        )
    except ValueError:
        return False
    return True


def _check_call_kwargs(model, name, layer, kwargs):
    """Node kwargs come from the file: each must be an argument of the layer's `call`."""
    import inspect

    if not kwargs or getattr(layer, "_is_operation", False):
        return
    try:
        params = inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return
    unknown = sorted(k for k in kwargs if k not in params)
    if unknown:
        raise ValueError(
            f"Model '{model}': a saved call of layer '{name}' ({type(layer).__name__}) passes "
            f"{unknown}, which its call() does not take (it takes {sorted(params)})."
        )


class _Graph:
    """State while replaying a functional config."""

    def __init__(self, config, custom_objects, input_tensors, layer_fn):
        from ..layers.core_layers.input_layer import InputLayer
        from ..layers.core_layers.op_layer import OpLayer

        self.name = config.get("name")
        self.layers, self.nodes, self.outputs, self.order = {}, {}, {}, []
        self.keras2 = False
        self.input_sequentials = set()  # nested Sequentials whose config starts with an Input
        self.function_form = {}  # op nodes written as the function's call: name -> config
        given = list(flatten(input_tensors)) if input_tensors is not None else None
        input_names = [r[0] for r in _io_list(config.get("input_layers"))]
        for entry in config.get("layers", []):
            if not isinstance(entry, dict) or not isinstance(entry.get("class_name"), str):
                raise ValueError(f"Model '{self.name}': invalid layer entry {entry!r}.")
            cfg = entry.get("config") or {}
            lname = entry.get("name") or cfg.get("name")
            check_name(lname, f"a layer of model '{self.name}'")
            if lname in self.layers:
                raise ValueError(f"Model '{self.name}': two layers are named '{lname}'.")
            nodes = entry.get("inbound_nodes") or []
            if any(isinstance(n, list) for n in nodes):
                self.keras2 = True
            if entry["class_name"] == "Sequential" and _starts_with_input(cfg):
                self.input_sequentials.add(lname)
            cls_name = entry["class_name"]
            if cls_name == "InputLayer":
                if given is not None and lname in input_names:
                    t = given[input_names.index(lname)]
                    layer = t._keras_history[0]
                    self.outputs[lname] = [[t]]
                else:
                    layer = InputLayer(**input_kwargs(dict(cfg)))
                    self.outputs[lname] = [[layer.output]]
            else:
                op, keras_call = _op_for_entry(cls_name, cfg)
                if op is not None and _looks_like_op(entry):
                    layer = None  # an operation node written by Keras 3
                elif op is None and str(entry.get("module") or "").startswith("keras.src.ops."):
                    raise ValueError(
                        f"Model '{self.name}': layer '{lname}' is the Keras 3 operation "
                        f"{entry['module']}.{cls_name}, which minikeras does not implement."
                    )
                elif op is None or layer_fn or _resolves_as_layer(entry, custom_objects):
                    # a layer's own errors propagate: an entry that names a layer class is
                    # never rebuilt as an operation because building the layer failed
                    layer = (
                        layer_fn(entry) if layer_fn else deserialize_layer(entry, custom_objects)
                    )
                else:
                    layer = None
                if layer is None:
                    kwargs = {k: v for k, v in cfg.items() if k != "name"}
                    kwargs = deserialize_value(kwargs)
                    # functions of control-flow ops (scan's f, cond's branches): by their names
                    kwargs = {k: _functions_in(v, custom_objects) for k, v in kwargs.items()}
                    layer = OpLayer(op, kwargs=kwargs, name=lname, keras_call=keras_call)
                    if not keras_call:  # nodes pass the function's arguments: see run()
                        self.function_form[lname] = layer.op_kwargs
                self.outputs[lname] = []
            self.layers[lname] = layer
            self.nodes[lname] = nodes
            self.order.append(lname)

    def resolve(self, ref, where_io=False):
        """`[layer_name, node_index, tensor_index]` -> KerasTensor (None while not built yet)."""
        from .functional import Functional

        if not _is_triple(ref):
            raise ValueError(f"Model '{self.name}': invalid tensor reference {ref!r}.")
        name, node_index, tensor_index = ref[0], ref[1], ref[2]
        if name not in self.layers:
            raise ValueError(f"Model '{self.name}': a node refers to unknown layer '{name}'.")
        layer = self.layers[name]
        total = max(len(self.nodes[name]), 1)
        index = node_index
        if self.keras2 and (isinstance(layer, Functional) or name in self.input_sequentials):
            index -= 1  # Keras 2 counts a nested model's own node first, if it has an Input
        elif where_io and isinstance(layer, Functional):
            index -= 1  # Keras 3 does so in input_layers/output_layers only
        if total == 1:
            index = 0  # a layer called once: the index carries no information (spec 6.3)
        if not 0 <= index < total:
            raise ValueError(
                f"Model '{self.name}': node {node_index} of layer '{name}' does not exist."
            )
        done = self.outputs[name]
        if index >= len(done):
            return None
        outs = done[index]
        if not 0 <= tensor_index < len(outs):
            raise ValueError(f"Model '{self.name}': layer '{name}' has no output {tensor_index}.")
        return outs[tensor_index]

    def _decode(self, value):
        """Node arguments with tensors resolved; raises _NotReady if an input is missing."""
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            t = self.resolve(value["config"]["keras_history"])
            if t is None:
                raise _NotReady
            return t
        if isinstance(value, list):
            return [self._decode(v) for v in value]
        if isinstance(value, dict) and "class_name" not in value:
            return {k: self._decode(v) for k, v in value.items()}
        return deserialize_value(value)

    def call_args(self, node, layer=None):
        """`(args, kwargs)` for one inbound node (Keras 2 or 3 form); raises _NotReady."""
        if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
            kwargs = {
                k: v for k, v in (node.get("kwargs") or {}).items() if k not in _DROPPED_KWARGS
            }
            return self._decode(list(node.get("args") or [])), self._decode(kwargs)
        if not isinstance(node, list) or not node:
            raise ValueError(f"Model '{self.name}': invalid inbound node {node!r}.")
        inputs, kwargs = [], {}
        for item in node:  # Keras 2: [[name, node_index, tensor_index, kwargs], ...]
            if not _is_triple(item):
                raise ValueError(f"Model '{self.name}': invalid inbound node {node!r}.")
            t = self.resolve(item)
            if t is None:
                raise _NotReady
            inputs.append(t)
            if len(item) == 4 and isinstance(item[3], dict):
                kwargs.update(item[3])
        kwargs = {k: v for k, v in kwargs.items() if k not in _DROPPED_KWARGS}
        for k, v in list(kwargs.items()):
            if _is_triple(v) and v[0] in self.layers:
                t = self.resolve(v)
                if t is None:
                    raise _NotReady
                kwargs[k] = t
        if len(inputs) > 1 and _takes_states_in_inputs(layer) and "initial_state" not in kwargs:
            # tf.keras 2 records `rnn(x, initial_state=s)` as the inputs [x, *s]
            return [inputs[0]], {**kwargs, "initial_state": inputs[1:]}
        return [inputs[0] if len(inputs) == 1 else inputs], kwargs

    def _keras_form(self, name, args, kwargs):
        """An op node holding the function's arguments (older minikeras files) becomes Keras 3's
        form: the constructor arguments in the layer's config, the rest in the node."""
        layer, kwargs = self.layers[name], {**self.function_form[name], **kwargs}
        if not self.outputs[name]:  # the first call makes the layer Keras would have made
            from ..layers.core_layers.op_layer import OpLayer

            new, args, kwargs = OpLayer.from_function_call(
                layer.op_name, args, kwargs, name=layer.name
            )
            self.layers[name] = new
            return args, kwargs
        return layer.function_call_arguments(args, kwargs)

    def run(self):
        """Calls layers on their inbound nodes, in config order, until nothing more is ready."""
        progress, pending = True, True
        while pending and progress:
            progress, pending = False, False
            for name in self.order:
                nodes, done = self.nodes[name], self.outputs[name]
                if self.layers[name].__class__.__name__ == "InputLayer":
                    continue
                while len(done) < len(nodes):
                    try:
                        args, kwargs = self.call_args(nodes[len(done)], self.layers[name])
                    except _NotReady:
                        pending = True
                        break
                    if name in self.function_form:
                        args, kwargs = self._keras_form(name, args, kwargs)
                    _check_call_kwargs(self.name, name, self.layers[name], kwargs)
                    try:
                        result = self.layers[name](*args, **kwargs)
                    except (TypeError, AttributeError, IndexError, KeyError) as e:
                        raise ValueError(
                            f"Model '{self.name}': calling layer '{name}' on its saved inputs "
                            f"failed ({type(e).__name__}: {e})."
                        ) from e
                    done.append(flatten(result))
                    progress = True
        return pending


class _NotReady(Exception):
    pass


def _io_list(value):
    if value is None:
        return []
    if _is_triple(value):
        return [value]
    if isinstance(value, dict):
        return [v for v in value.values()]
    return list(value)


def functional_from_config(config, custom_objects=None, input_tensors=None, layer_fn=None):
    """A functional model from a Keras 2 or 3 config.

    Args:
        config: the `config` part of `{"class_name": "Functional", "config": {...}}`.
        custom_objects: name -> class for user layers.
        input_tensors: KerasTensors to use instead of new Inputs (clone_model).
        layer_fn: `entry -> layer` replacing deserialization (clone_model).
    """
    from .functional import Functional

    if not isinstance(config, dict) or "layers" not in config:
        raise ValueError(
            "A functional model config needs 'layers', 'input_layers', 'output_layers'."
        )
    graph = _Graph(config, custom_objects, input_tensors, layer_fn)
    graph.run()

    def build(value, what):
        if _is_triple(value):
            t = graph.resolve(value, where_io=True)
            if t is None:
                raise ValueError(
                    f"Model '{graph.name}': could not rebuild the graph up to {what} {value[0]!r}; "
                    "some layer's inputs never became available."
                )
            return t
        if isinstance(value, dict):
            return {k: build(v, what) for k, v in value.items()}
        if isinstance(value, list):
            return [build(v, what) for v in value]
        raise ValueError(f"Model '{graph.name}': invalid {what} specification {value!r}.")

    inputs = build(config.get("input_layers"), "input")
    outputs = build(config.get("output_layers"), "output")
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    if isinstance(outputs, list) and len(outputs) == 1:
        outputs = outputs[0]
    model = Functional(inputs, outputs, name=graph.name)
    if config.get("trainable") is False:
        model.trainable = False
    return model
