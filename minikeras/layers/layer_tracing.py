"""`SymbolicCalls`: the part of `Layer` that handles calls on `KerasTensor`s (the functional
API). A symbolic call builds the layer, learns the output shapes, dtypes and masks by running
`call` on placeholder data (`_trace`), and records a `Node`."""

import random as _py_random

import numpy as np

from ..core.autodiff import no_grad
from ..core.tensor import Tensor
from ..core import kernel_references
from ..core.scopes import SymbolicScope
from ..utils import random as mk_random
from .call_context import enter_scope, exit_scope, training_scope
from .build_arguments import call_build
from .node import KerasTensor, Node, dummy_value, flatten, map_structure


class SymbolicCalls:
    """Symbolic calls and output-shape inference (mixed into `Layer`)."""

    def compute_output_shape(self, input_shape):
        """Output shape for `input_shape`, traced through `call` on placeholder data."""
        ins = map_shapes(
            lambda s: KerasTensor(s, self._compute_dtype), as_shape_structure(input_shape)
        )
        out = self.compute_output_spec(ins)
        return map_structure(lambda t: t.shape, out)

    def compute_output_spec(self, *args, **kwargs):
        outputs, _ = self._trace(args, kwargs)
        return outputs

    def _trace_once(self, args, kwargs, sizes):
        def fill(t):
            if not isinstance(t, KerasTensor):
                return t
            shape = tuple(
                (sizes[0] if i == 0 else sizes[1]) if d is None else d
                for i, d in enumerate(t.shape)
            )
            tensor = Tensor(dummy_value(KerasTensor(shape, t.dtype), 1))
            if t._has_mask:
                tensor._keras_mask = Tensor(np.ones(shape[: t._mask_ndim], dtype=bool))
            return tensor

        c_args = map_structure(fill, args)
        c_kwargs = map_structure(fill, kwargs)
        if "training" in c_kwargs:
            c_kwargs["training"] = False  # tracing shapes must not touch state (BN statistics)
        # kernel_references: on a cold numba cache, numpy references instead of compiling
        # SymbolicScope: as Keras 3's shape inference (`keras.backend.in_symbolic_scope()`)
        with no_grad(), np.errstate(all="ignore"), training_scope(False), kernel_references():
            with SymbolicScope():
                return self.__call__(*c_args, **c_kwargs)

    def _placeholder_room(self):
        """`(window, stride)` along an axis of unknown size: how many input positions `call`
        needs to produce one output position, and how many input positions one output step
        spans. A layer without sub-layers needs `(1, 1)` unless it declares otherwise (a
        "valid" convolution, pooling or cropping); a layer holding others chains their rooms
        in creation order (a bound: sub-layers used side by side count as if in series)."""
        return chain_rooms([layer._placeholder_room() for layer in self._sublayers()])

    def _placeholder_sizes(self, args, kwargs):
        """The `(batch, other unknown axes)` sizes of the placeholder runs `_trace` makes.

        The rule: an unknown batch is 2, then 3; every other unknown axis is `extent`, then
        `extent + stride`, where `(window, stride) = _placeholder_room()` and `extent` is the
        larger of `window` and 3. So each run fits the layer's windows, and the second run's
        output differs from the first's along every axis that follows the input (Keras 3
        traces with 83 and 89; minikeras computes on real arrays, so it uses the smallest
        sizes that work). Without unknown non-batch axes one run of batch 1 is enough.
        """
        flat_in = [t for t in flatten((args, kwargs)) if isinstance(t, KerasTensor)]
        if not any(d is None for t in flat_in for d in t.shape[1:]):
            return ((1, 1),)
        window, stride = self._placeholder_room()
        extent = max(3, int(window))
        return ((2, extent), (3, extent + max(2, int(stride))))

    def _trace(self, args, kwargs):
        """Runs `call` on placeholder data (ones, in inference mode) to learn output shapes,
        dtypes and masks: once, or twice when the inputs have axes of unknown size (see
        `_placeholder_sizes`; an axis whose size differs between the runs is unknown in the
        output). The runs leave no trace behind: the layers' variables, losses and random
        generators are put back as they were (Keras 3 traces in a stateless scope)."""
        flat_in = [t for t in flatten((args, kwargs)) if isinstance(t, KerasTensor)]
        batch_unknown = any(t.shape and t.shape[0] is None for t in flat_in)
        with _TraceGuard(self):
            results = [
                self._trace_once(args, kwargs, sizes)
                for sizes in self._placeholder_sizes(args, kwargs)
            ]
        first = results[0]
        flat_first = flatten(first)
        flat_second = flatten(results[-1])
        outs = []
        for a, b in zip(flat_first, flat_second):
            a_shape = np.shape(a.data if isinstance(a, Tensor) else a)
            b_shape = np.shape(b.data if isinstance(b, Tensor) else b)
            shape = tuple(x if x == y else None for x, y in zip(a_shape, b_shape))
            if shape and batch_unknown:
                shape = (None,) + shape[1:]
            dtype = a.dtype if isinstance(a, Tensor) else np.asarray(a).dtype
            m = getattr(a, "_keras_mask", None)
            kt = KerasTensor(shape, dtype.name, has_mask=m is not None)
            kt._mask_ndim = np.ndim(m.data if isinstance(m, Tensor) else m) if m is not None else 0
            outs.append(kt)
        it = iter(outs)
        structure = map_structure(lambda _: next(it), first)
        return structure, outs

    def _symbolic_call(self, args, kwargs):
        if not self.built:
            self._check_input(args[0])
            shapes = map_structure(
                lambda t: t.shape if isinstance(t, KerasTensor) else np.shape(t), args[0]
            )
            self._build_shapes = shapes
            pushed = enter_scope(self)
            try:
                call_build(self, shapes, args, kwargs)
            finally:
                exit_scope(pushed)
            self.built = True
        self._check_input(args[0])
        structure, outs = self._trace(args, kwargs)
        self._apply_declared_shapes(args, outs)
        for i, t in enumerate(outs):
            t.name = f"{self.name}_{len(self._inbound_nodes)}_{i}" if len(outs) > 1 else self.name
        Node(self, args, kwargs, outs, structure)
        return structure

    def _apply_declared_shapes(self, args, outs):
        """A layer's own `compute_output_shape` beats shapes inferred from placeholder runs
        (two placeholder sizes can collide after strides and pooling)."""
        declared = type(self).compute_output_shape
        if declared is SymbolicCalls.compute_output_shape or len(outs) != 1:
            return
        first = args[0]
        if not isinstance(first, KerasTensor):
            return
        try:
            shape = self.compute_output_shape(first.shape)
        except Exception:  # an incomplete declaration: keep the traced shape
            return
        if (
            isinstance(shape, (tuple, list))
            and len(shape) == len(outs[0].shape)
            and all(d is None or isinstance(d, (int, np.integer)) for d in shape)
        ):
            outs[0].shape = tuple(None if d is None else int(d) for d in shape)


class _TraceGuard:
    """Puts back the state a placeholder run of `layer` may change: the values of its variables
    and its sub-layers' (a counter's `assign_add`, a moving statistic), their `add_loss`
    losses and their own random generators, and the global random state (Python's, numpy's and
    minikeras's) unless the run created weights, whose initial draws must stay taken so later
    layers draw different values."""

    def __init__(self, layer):
        self.layer = layer

    def __enter__(self):
        layers = self.layer._flatten_layers()
        self.layers = layers
        self.values = [(v, v.data, v.data.copy()) for l in layers for v in l._own_variables]
        self.seed_states = [(v, v.data.copy()) for v in self.layer._seed_states()]
        self.losses = [(l, l._losses) for l in layers]
        self.generators = [
            (g, g.bit_generator.state)
            for l in layers
            for g in l.__dict__.values()
            if isinstance(g, np.random.Generator)
        ]
        self.n_layers = len(layers)
        self.globals = (
            mk_random.global_rng(),
            mk_random.global_rng().bit_generator.state,
            np.random.get_state(),
            _py_random.getstate(),
        )
        return self

    def __exit__(self, *exc):
        for v, buffer, value in self.values:
            if v.data is not buffer:
                v.data = buffer
            buffer[...] = value
        for l, losses in self.losses:
            l._losses = losses
        for v, value in self.seed_states:
            v.data[...] = value
        for g, state in self.generators:
            g.bit_generator.state = state
        created = len(self.values) != sum(
            len(l._own_variables) for l in self.layer._flatten_layers()
        )
        rng, rng_state, np_state, py_state = self.globals
        if not created and mk_random.global_rng() is rng:
            rng.bit_generator.state = rng_state
            np.random.set_state(np_state)
            _py_random.setstate(py_state)
        return False


def window_room(window, strides, dilation_rate, padding):
    """`_placeholder_room` of a sliding window (convolution, pooling): with "valid" padding
    the input needs the dilated window; "same" and "causal" padding fit any size."""
    dilation_rate = (
        dilation_rate if isinstance(dilation_rate, (tuple, list)) else (1,) * len(window)
    )
    need = 1
    if padding == "valid":
        need = max((k - 1) * d + 1 for k, d in zip(window, dilation_rate))
    return need, max(strides)


def chain_rooms(rooms):
    """The `(window, stride)` of layers applied one after the other, given theirs in order."""
    window, stride = 1, 1
    for w, s in reversed(list(rooms)):
        window = (window - 1) * s + w
        stride *= s
    return window, stride


def graph_room(nodes, inputs):
    """`_placeholder_room` of a graph of layer calls (`nodes` in execution order) from
    `inputs`: the largest need over the paths from each input to the outputs."""
    need = {}  # id(KerasTensor) -> (window, stride) its consumers need
    for node in reversed(nodes):
        after = [need.get(id(t), (1, 1)) for t in node.outputs]
        window = max(w for w, _ in after)
        stride = max(s for _, s in after)
        w, s = node.layer._placeholder_room()
        room = ((window - 1) * s + w, stride * s)
        for t in node.input_tensors:
            old = need.get(id(t), (1, 1))
            need[id(t)] = (max(old[0], room[0]), max(old[1], room[1]))
    rooms = [need.get(id(t), (1, 1)) for t in inputs]
    return max(w for w, _ in rooms), max(s for _, s in rooms)


def shape_to_list(s):
    """A build shape as plain Python, as Keras 3's build configs hold it: each shape a tuple of
    ints/None, several shapes in a list, a dict of shapes a dict (JSON writes tuples as lists)."""
    if isinstance(s, tuple) and all(d is None or isinstance(d, (int, np.integer)) for d in s):
        return tuple(None if d is None else int(d) for d in s)
    if isinstance(s, dict):
        return {k: shape_to_list(v) for k, v in s.items()}
    return [shape_to_list(x) for x in s]


def as_shape_structure(s):
    """Lists of ints -> tuple shape; lists of lists -> list of tuple shapes."""
    if isinstance(s, dict):
        return {k: as_shape_structure(v) for k, v in s.items()}
    if isinstance(s, (list, tuple)) and s and isinstance(s[0], (list, tuple, dict)):
        return [as_shape_structure(x) for x in s]
    return tuple(s)


def map_shapes(fn, s):
    """`map_structure` whose leaves are shapes: a tuple of ints and Nones is one leaf."""
    if isinstance(s, dict):
        return {k: map_shapes(fn, v) for k, v in s.items()}
    if isinstance(s, (list, tuple)) and not all(d is None or isinstance(d, int) for d in s):
        return type(s)(map_shapes(fn, x) for x in s)
    return fn(tuple(s))
