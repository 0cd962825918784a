"""`Functional`: a model defined by a graph of layer calls from `Input`s to outputs."""

import inspect
import warnings

import numpy as np

from ..core.tensor import Tensor
from ..layers.core_layers.input_layer import Input, InputLayer
from ..layers.layer import Layer
from ..layers.layer_tracing import graph_room
from ..layers.node import KerasTensor, Node, flatten, is_symbolic, map_structure
from ..serialization import registry
from . import inference_fusion
from .functional_config import functional_config, functional_from_config
from .model import Model, _from_init_arguments


def map_graph(inputs, outputs):
    """Orders the nodes between `inputs` and `outputs` the way Keras 3 does.

    Returns `(nodes_by_depth, layers)`: nodes grouped by depth (0 = output side) and the layers
    sorted by decreasing depth, ties broken by first visit from the outputs. This order is what
    `model.layers` shows and what legacy HDF5 files use for loading by position.
    """
    finished, in_progress = set(), set()
    nodes_in_decreasing_depth, layer_indices = [], {}
    input_ids = {id(t) for t in inputs}

    def visit(tensor):
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) in finished:
            return
        if id(node) in in_progress:
            raise ValueError(f"The graph has a cycle through layer '{layer.name}'.")
        layer_indices.setdefault(id(layer), (len(layer_indices), layer))
        in_progress.add(id(node))
        if not node.is_input and id(tensor) not in input_ids:
            for t in node.input_tensors:
                visit(t)
        finished.add(id(node))
        in_progress.discard(id(node))
        nodes_in_decreasing_depth.append(node)

    for t in outputs:
        visit(t)

    node_depths, layer_depths = {}, {}
    for node in reversed(nodes_in_decreasing_depth):
        depth = node_depths.setdefault(id(node), 0)
        depth = max(depth, layer_depths.get(id(node.layer), 0))
        layer_depths[id(node.layer)] = depth
        node_depths[id(node)] = depth
        if node.is_input:
            continue
        for parent in node.parent_nodes:
            node_depths[id(parent)] = max(depth + 1, node_depths.get(id(parent), 0))
    for t in inputs:
        layer = t._keras_history[0]
        if id(layer) not in layer_depths:
            layer_depths[id(layer)] = 0
            layer_indices[id(layer)] = (-1, layer)
            node_depths[id(layer._inbound_nodes[0])] = 0
            nodes_in_decreasing_depth.append(layer._inbound_nodes[0])

    nodes_by_depth = {}
    for node in nodes_in_decreasing_depth:
        nodes_by_depth.setdefault(node_depths[id(node)], [])
        if all(node is not n for n in nodes_by_depth[node_depths[id(node)]]):
            nodes_by_depth[node_depths[id(node)]].append(node)
    layers_by_depth = {}
    for lid, depth in layer_depths.items():
        layers_by_depth.setdefault(depth, []).append(layer_indices[lid])
    layers = []
    for depth in sorted(layers_by_depth, reverse=True):
        layers.extend(layer for _, layer in sorted(layers_by_depth[depth], key=lambda p: p[0]))
    # every input must be reachable: an output that needs an input the model was not given
    known = {id(t) for t in inputs}
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            if node.is_input:
                if id(node.outputs[0]) not in known:
                    raise ValueError(
                        f"Graph disconnected: the outputs need input '{node.layer.name}', which "
                        "is not among the model's inputs. Pass it in `inputs`."
                    )
                continue
            known.update(id(t) for t in node.outputs)
    return nodes_by_depth, layers


def clone_graph_nodes(inputs, outputs):
    """`(inputs, outputs)` of a new graph that starts at the given intermediate tensors.

    As Keras 3 does for `Model(intermediate_tensor, outputs)`: each input that is not from
    `keras.Input` gets a new `Input` of its shape and dtype (named `<name>CLONE`), and the nodes
    between the inputs and the outputs are recorded again on cloned tensors, so the layers before
    those inputs are not part of the model and the original graph is left as it was.
    """
    flat_in, flat_out = flatten(inputs), flatten(outputs)
    for t in flat_in + flat_out:
        if t._keras_history is None:
            raise ValueError(f"Model input or output {t!r} was not made by keras.Input or a layer.")
    nodes_by_depth, _ = map_graph(flat_in, flat_out)
    mapping = {}
    for t in flat_in:
        if isinstance(t._keras_history[0], InputLayer):
            mapping[id(t)] = t
        else:
            mapping[id(t)] = Input(batch_shape=t.shape, dtype=t.dtype, name=f"{t.name}CLONE")

    def swap(t):
        if not isinstance(t, KerasTensor):
            return t
        if id(t) not in mapping:
            clone = KerasTensor(t.shape, t.dtype, name=t.name, has_mask=t._has_mask)
            clone._mask_ndim = t._mask_ndim
            mapping[id(t)] = clone
        return mapping[id(t)]

    input_ids = {id(t) for t in flat_in}
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            if node.is_input or any(id(t) in input_ids for t in node.outputs):
                continue
            args, kwargs = map_structure(swap, (node.args, node.kwargs))
            outs = [swap(t) for t in node.outputs]
            structure = map_structure(lambda t: mapping.get(id(t), t), node.output_structure)
            Node(node.layer, args, kwargs, outs, structure)
    return map_structure(swap, inputs), map_structure(swap, outputs)


def adjust_input_rank(model, index, name, expected, x):
    """`x` with its rank matched to `expected` the way Keras 3 does: a trailing axis of size 1
    is dropped, or added when the input's last axis is declared as 1; any other rank mismatch
    raises a ValueError naming the model and the input."""
    ndim = x.ndim if isinstance(x, Tensor) else np.ndim(x)
    if ndim == len(expected):
        return x
    from ..core import ops

    shape = tuple(np.shape(x.data if isinstance(x, Tensor) else x))
    if ndim == len(expected) + 1 and shape[-1] == 1:
        return _keep_mask(x, ops.squeeze(x, axis=-1))
    if ndim == len(expected) - 1 and expected[-1] == 1:
        return _keep_mask(x, ops.expand_dims(x, axis=-1))
    raise ValueError(
        f"Input {index} ('{name}') of model '{model.name}' has an incompatible rank: expected "
        f"shape={expected}, found shape={shape}."
    )


def _keep_mask(before, after):
    mask = getattr(before, "_keras_mask", None)
    if mask is not None:
        after._keras_mask = mask
    return after


def check_input_shape(model, index, name, expected, x):
    """Raises a ValueError naming the model and input when a non-batch axis of `x` differs
    from `expected` (None matches any size; the batch axis is never checked, as Keras 3's
    Functional input spec)."""
    shape = tuple(np.shape(x.data if isinstance(x, Tensor) else x))
    ok = len(shape) == len(expected) and all(
        e is None or e == s for e, s in zip(expected[1:], shape[1:])
    )
    if not ok:
        raise ValueError(
            f"Input {index} with name '{name}' of model '{model.name}' is incompatible with the "
            f"layer: expected shape={(None,) + tuple(expected[1:])}, found shape={shape}."
        )


class Functional(Model):
    """A model built from `Input`s and the KerasTensors that layer calls produced.

    Args:
        inputs: a KerasTensor, or a list or dict of them.
        outputs: a KerasTensor, or a list or dict of them.
        name: the model's name.

    >>> import minikeras as keras
    >>> x = keras.Input((3,))
    >>> model = keras.Model(x, keras.layers.Dense(2)(x))
    >>> model.output_shape
    (None, 2)
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        self._init_trainer()
        self._input_structure = inputs
        self._output_structure = outputs
        flat_in = flatten(inputs)
        flat_out = flatten(outputs)
        for t in flat_in + flat_out:
            if not isinstance(t, KerasTensor):
                raise TypeError(
                    "Model(inputs, outputs) takes symbolic tensors from keras.Input and layer "
                    f"calls. Received: {type(t).__name__}"
                )
        if any(not isinstance(t._keras_history[0], InputLayer) for t in flat_in):
            inputs, outputs = clone_graph_nodes(inputs, outputs)
            self._input_structure, self._output_structure = inputs, outputs
            flat_in, flat_out = flatten(inputs), flatten(outputs)
        self.inputs = flat_in
        self.outputs = flat_out
        self._nodes_by_depth, all_layers = map_graph(flat_in, flat_out)
        self._all_layers = all_layers
        self._layers_list = [l for l in all_layers if not getattr(l, "_is_operation", False)]
        object.__setattr__(self, "_tracked_layers", list(all_layers))
        self._order = [
            node
            for depth in sorted(self._nodes_by_depth, reverse=True)
            for node in self._nodes_by_depth[depth]
            if not node.is_input
        ]
        # per node, the id of its one input when it is called as `layer(x, **constant kwargs)`
        self._single_inputs = [_single_input(node) for node in self._order]
        self.built = True
        self._build_shapes = map_structure(lambda t: t.shape, inputs)

    @property
    def layers(self):
        return list(self._layers_list)

    @property
    def input(self):
        return self._input_structure

    @property
    def output(self):
        return self._output_structure

    @property
    def input_shape(self):
        return map_structure(lambda t: t.shape, self._input_structure)

    @property
    def output_shape(self):
        return map_structure(lambda t: t.shape, self._output_structure)

    @property
    def input_names(self):
        return [t._keras_history[0].name for t in self.inputs]

    @property
    def output_names(self):
        if isinstance(self._output_structure, dict):
            return list(self._output_structure)
        return [t._keras_history[0].name for t in self.outputs]

    def build(self, input_shape):
        self.built = True

    def _standardize_inputs(self, inputs):
        """Matches the given inputs (tensor, list or dict) to `self.inputs`, in order."""
        names = self.input_names
        if isinstance(inputs, dict):
            keys = list(self._input_structure) if isinstance(self._input_structure, dict) else names
            missing = [k for k in keys if k not in inputs]
            if missing:
                raise ValueError(
                    f"Model '{self.name}' is missing input(s) {missing}; it expects keys {keys}. "
                    f"Received keys {list(inputs)}."
                )
            if isinstance(self._input_structure, dict):
                flat = flatten({k: inputs[k] for k in self._input_structure})
            else:
                flat = [inputs[k] for k in names]
        elif isinstance(inputs, (list, tuple)):
            flat = flatten(inputs)
            if len(flat) == 1 and isinstance(self._input_structure, KerasTensor):
                # Keras 3 accepts `model([x])` for a one-input model, with this warning
                warnings.warn(
                    "The structure of `inputs` doesn't match the expected structure.\n"
                    f"Expected: {names[0]}\nReceived: a {type(inputs).__name__} of one tensor",
                    stacklevel=2,
                )
        else:
            flat = [inputs]
        if len(flat) != len(self.inputs):
            raise ValueError(
                f"Model '{self.name}' expects {len(self.inputs)} input(s) {names}, but it "
                f"received {len(flat)} input tensor(s)."
            )
        for i, spec in enumerate(self.inputs):
            if flat[i] is None:
                if getattr(spec._keras_history[0], "optional", False):
                    continue
                raise ValueError(
                    f"The input '{names[i]}' is not optional, but None was passed. Please provide "
                    "a valid tensor."
                )
            x = adjust_input_rank(self, i, names[i], spec.shape, flat[i])
            check_input_shape(self, i, names[i], spec.shape, x)
            flat[i] = x
        return flat

    def call(self, inputs, training=None, mask=None):
        flat = self._standardize_inputs(inputs)
        values = {}
        masks = flatten(mask) if mask is not None else [None] * len(flat)
        for spec, x, m in zip(self.inputs, flat, masks):
            if x is None:  # an optional Input left out: its layers receive None (Keras 3)
                values[id(spec)] = None
                continue
            t = x if isinstance(x, Tensor) else Tensor(np.asarray(x))
            if (
                t.dtype.kind == "f"
                and spec.dtype != t.dtype.name
                and np.dtype(spec.dtype).kind == "f"
            ):
                from ..core import ops

                t = ops.cast(t, spec.dtype)
            elif t.dtype.kind in "iub" and np.dtype(spec.dtype).kind == "f":
                t = Tensor(t.data.astype(spec.dtype))
            elif t.dtype.kind == "f" and np.dtype(spec.dtype).kind in "iu":
                t = Tensor(t.data.astype(spec.dtype))
            if m is not None:
                t._keras_mask = m if isinstance(m, Tensor) else Tensor(np.asarray(m))
            elif isinstance(x, Tensor) and x._keras_mask is not None:
                t._keras_mask = x._keras_mask
            values[id(spec)] = t

        def lookup(v):
            return values[id(v)] if isinstance(v, KerasTensor) else v

        pairs = self._pool_pairs()
        skip = set()  # pooling nodes run inside the convolution before them
        for i, (node, single) in enumerate(zip(self._order, self._single_inputs)):
            # as Keras 3, a decided `training` reaches every layer, over a node's own argument
            # (a sub-model built with `training=False` runs in training mode under fit)
            if i in skip:
                continue
            if single is not None:
                kwargs = node.kwargs if training is None else {**node.kwargs, "training": training}
                if i in pairs:  # a Conv2D then MaxPooling2D(2): one kernel in inference
                    result, pooled = inference_fusion.call_pooled(
                        node.layer, values[single], **kwargs
                    )
                    if pooled:
                        skip.add(pairs[i])
                        values[id(self._order[pairs[i]].outputs[0])] = result
                        continue
                else:
                    result = node.layer(values[single], **kwargs)
            else:
                args = map_structure(lookup, node.args)
                kwargs = map_structure(lookup, node.kwargs)
                if training is not None:
                    kwargs = {**kwargs, "training": training}
                result = node.layer(*args, **kwargs)
            if type(result) is Tensor and len(node.outputs) == 1:
                values[id(node.outputs[0])] = result
            else:
                for kt, value in zip(node.outputs, flatten(result)):
                    values[id(kt)] = value
        return map_structure(lambda t: values[id(t)], self._output_structure)

    def compute_output_spec(self, *args, **kwargs):
        return Layer.compute_output_spec(self, *args, **kwargs)

    def _pool_pairs(self):
        """{i: j}: node i (a Conv2D) and node j (the MaxPooling2D after it) may run as one
        (`inference_fusion.functional_pairs`); found once, the graph does not change."""
        pairs = self.__dict__.get("_pool_pairs_found")
        if pairs is None:
            pairs = inference_fusion.functional_pairs(
                self._order, self._single_inputs, self.outputs
            )
            object.__setattr__(self, "_pool_pairs_found", pairs)
        return pairs

    def _placeholder_room(self):
        # the room its layers need along the paths of the graph (Layer._trace)
        return graph_room(self._order, self.inputs)

    def get_config(self):
        """The graph's config (`layers`, `input_layers`, `output_layers`). A subclass whose
        `__init__` does not take a functional model's arguments gets the base layer config
        (name, trainable, dtype) instead, as in Keras 3: it rebuilds itself from those."""
        if not functional_like_constructor(type(self)):
            return Model.get_config(self)
        return functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A model from `get_config()`: the graph for Functional and subclasses with a
        functional constructor, else `cls(**config)` (Keras 3 `Model.from_config`)."""
        if "layers" in config and (cls is Functional or functional_like_constructor(cls)):
            with registry.loading_scope(custom_objects):
                model = functional_from_config(config, custom_objects)
            if cls is Functional:
                return model
            return cls(
                inputs=model._input_structure, outputs=model._output_structure, name=model.name
            )
        return _from_init_arguments(cls, config)


def functional_like_constructor(cls):
    """Whether `cls.__init__` takes a functional model's arguments: `(inputs, outputs, name)`
    or `(*args, **kwargs)` (Keras 3's test for serializing a subclass as a graph)."""
    init = inspect.getfullargspec(cls.__init__)
    if init.args[1:] in (["inputs", "outputs", "name"], ["inputs", "outputs", "name", "trainable"]):
        return True
    return init.varargs is not None and init.varkw is not None


def _single_input(node):
    """id of the node's one symbolic argument when the call is `layer(x, **kwargs)` with no
    symbolic keyword argument, else None (the call then maps its structures)."""
    args = node.args
    if len(args) != 1 or not isinstance(args[0], KerasTensor):
        return None
    if is_symbolic(node.kwargs):
        return None
    return id(args[0])
