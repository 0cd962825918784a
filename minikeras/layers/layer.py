"""`Layer`: the base of every layer and model (weights, build-on-first-call, masks, config)."""

import inspect
import random as _py_random
import threading

import numpy as np

from ..core import dtypes
from ..core.autodiff import no_grad
from ..core.ops._base import EAGER_TYPES
from ..core.tensor import Tensor
from ..core.variable import Variable
from ..random.seed_generator import seed_generators_of
from ..utils import naming
from .input_spec import InputSpec, assert_input_compatibility  # noqa: F401 (re-exported)
from .node import KerasTensor, Node, dummy_value, flatten, is_symbolic, map_structure

_ctx = threading.local()


def in_training():
    """The `training` value the enclosing call passed down (False outside any call)."""
    return bool(getattr(_ctx, "training", False))


class training_scope:
    """Context manager under which `in_training()` is `value` (a class, not a generator
    function: `Layer.__call__` enters one on every call)."""

    __slots__ = ("value", "previous")

    def __init__(self, value):
        # None: no call decided it, so inner layers fall back to their own `call` default
        self.value = None if value is None else bool(value)

    def __enter__(self):
        self.previous = getattr(_ctx, "training", None)
        _ctx.training = self.value
        return self

    def __exit__(self, *exc):
        _ctx.training = self.previous
        return False


_METRIC = None  # keras.metrics.Metric, imported on first use (metrics build on losses)


def _metric_type():
    global _METRIC
    from ..metrics.metric import Metric

    _METRIC = Metric
    return Metric


# Keras 3's name scopes: (name, layer, parent path) entries. A variable's path is the scope path
# where it is made, so a cell built inside LSTM.build has `lstm/lstm_cell/kernel` and a Dense
# built inside a Sequential `sequential/dense/kernel`. A layer keeps the path it first saw.
_SCOPE = []


def _current_path():
    parts = []
    for name, _, parent in _SCOPE:
        if parent is not None:
            parts = [p for p in parent.split("/") if p]
        parts.append(name)
    return "/".join(parts)


def _enter_scope(layer):
    """Opens `layer`'s name scope (pushes unless it is already the innermost); returns whether
    it pushed. The first opening records the layer's parent path for later ones."""
    parent = layer.__dict__.get("_parent_path")
    if parent is None:
        parent = layer.__dict__["_parent_path"] = _current_path()
    if _SCOPE and _SCOPE[-1][1] is layer:
        return False
    _SCOPE.append((layer.name, layer, parent))
    return True


def _describe(layer):
    return f"layer '{layer.name}' ({type(layer).__name__})"


class Layer:
    """Base class of all layers: holds weights, builds them on the first call, passes masks.

    Subclasses implement `build(input_shape)` (create weights with `add_weight`) and
    `call(inputs, ...)` (compute with `keras.ops`); `call` may take `training` and `mask`.

    Args:
        trainable: whether the layer's weights are updated by training.
        name: the layer's name; unique default from the class name (`dense`, `dense_1`, ...).
        dtype: the dtype of weights and computation (default `floatx()`).

    >>> import minikeras as keras
    >>> class Double(keras.layers.Layer):
    ...     def call(self, x):
    ...         return x * 2
    >>> Double()(keras.ops.ones((1, 2))).numpy().tolist()
    [[2.0, 2.0]]
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            user_build = cls.__dict__["build"]

            def build(self, *args, **kw):
                # as in Keras, calling build() directly marks the layer built; weights made
                # here (and by sub-layers built here) get paths under the layer's name scope
                pushed = _enter_scope(self)
                try:
                    user_build(self, *args, **kw)
                finally:
                    if pushed:
                        _SCOPE.pop()
                self.built = True
                if self._build_shapes is None and args:
                    self._build_shapes = args[0]

            build.__doc__ = user_build.__doc__
            build.__wrapped__ = user_build
            cls.build = build

    def __init__(self, trainable=True, name=None, dtype=None, autocast=True, **kwargs):
        object.__setattr__(self, "_tracked_layers", [])
        object.__setattr__(self, "_own_variables", [])
        object.__setattr__(self, "_tracked_metrics", [])
        self.name = name or naming.uniquify(naming.to_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self._dtype = dtypes.standardize_dtype(dtype)
        self.autocast = autocast
        self.built = False
        self.supports_masking = getattr(self, "supports_masking", False)
        self.input_spec = None
        self._inbound_nodes = []
        self._losses = []
        self._build_shapes = None
        self.activity_regularizer = None
        # Keras 2/3 accept these on the first layer of a Sequential
        shape = kwargs.pop("batch_input_shape", None) or kwargs.pop("batch_shape", None)
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_size = kwargs.pop("batch_size", None)
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if input_shape is not None and shape is None:
            shape = (batch_size,) + tuple(input_shape)
        self._batch_input_shape = tuple(shape) if shape is not None else None
        activity = kwargs.pop("activity_regularizer", None)
        if activity is not None:
            from .. import regularizers

            self.activity_regularizer = regularizers.get(activity)
        if kwargs:  # as Keras 3, also for Keras 2's `weights`, `input_length` and `time_major`
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}. "
                "Check the spelling against the Keras 3 documentation."
            )
        sig = inspect.signature(self.call).parameters
        self._call_has_training = "training" in sig
        # Keras 3 resolves `training` as: passed > the enclosing call's > call's own default
        # (True for the image augmentation layers, so `layer(x)` alone augments)
        default = sig["training"].default if "training" in sig else None
        self._call_training_default = default if isinstance(default, bool) else None
        self._call_has_mask = "mask" in sig
        # the name of call's first argument, so `layer(query=q, value=v)` finds its inputs
        self._call_first_arg = next(
            (n for n, p in sig.items() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)),
            "inputs",
        )

    # -- attribute tracking ---------------------------------------------------------------
    def __setattr__(self, key, value):
        if isinstance(value, Layer) and key != "_parent":
            tracked = self.__dict__.get("_tracked_layers")
            if tracked is not None and all(value is not t for t in tracked):
                tracked.append(value)
        elif (
            isinstance(value, (list, tuple)) and value and all(isinstance(v, Layer) for v in value)
        ):
            tracked = self.__dict__.get("_tracked_layers")
            if tracked is not None:
                for v in value:
                    if all(v is not t for t in tracked):
                        tracked.append(v)
        elif isinstance(value, Variable):
            own = self.__dict__.get("_own_variables")
            if own is not None and all(value is not v for v in own):
                own.append(value)
        elif isinstance(value, _METRIC or _metric_type()):
            self._track_metrics((value,))
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], _METRIC):
            self._track_metrics([v for v in value if isinstance(v, _METRIC)])
        object.__setattr__(self, key, value)

    def _track_metrics(self, metrics):
        tracked = self.__dict__.get("_tracked_metrics")
        if tracked is not None:
            tracked.extend(m for m in metrics if all(m is not t for t in tracked))

    @property
    def dtype(self):
        return self._dtype

    @property
    def compute_dtype(self):
        return self._dtype

    @property
    def variable_dtype(self):
        return self._dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self._flatten_layers(include_self=False):
            layer._trainable = bool(value)

    def _flatten_layers(self, include_self=True):
        """This layer and every layer inside it, depth first, each once."""
        out, seen, stack = [], set(), [self] if include_self else list(reversed(self._sublayers()))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            out.append(layer)
            stack.extend(reversed(layer._sublayers()))
        return out

    def _sublayers(self):
        return list(self._tracked_layers)

    @property
    def metrics(self):
        """Metrics assigned as attributes of this layer (or in a list), then each sub-layer's
        `metrics`: Keras 3 tracks them so, and a metric a custom layer updates in `call` shows
        in `fit`'s logs."""
        out = list(self.__dict__.get("_tracked_metrics", ()))
        for layer in self._sublayers():
            out.extend(layer.metrics)
        return out

    # -- weights ---------------------------------------------------------------------------
    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        overwrite_with_gradient=False,
        name=None,
    ):
        """Creates a weight `Variable` owned by this layer (Keras 3 argument order).

        Args:
            shape: the weight's shape (default scalar).
            initializer: name, instance or callable; default `glorot_uniform` for floats.
            dtype: default the layer's dtype.
            trainable: False for state such as BatchNormalization's moving statistics.
            regularizer: adds `regularizer(weight)` to the layer's losses.
            constraint: applied to the weight after each optimizer update.
            overwrite_with_gradient: optimizers set the weight to its gradient instead of
                updating it (see `Variable.overwrite_with_gradient`).
            name: the weight's name (`kernel`, `bias`, ...).
        """
        from .. import constraints, initializers, regularizers
        from ..serialization import config_checks

        shape = () if shape is None else tuple(int(s) for s in shape)
        dtype = dtypes.standardize_dtype(dtype or self._dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtypes.is_float(dtype) else "zeros"
        init = initializers.get(initializer)
        name = name or f"variable_{len(self._own_variables)}"
        config_checks.charge_weight(self, name, shape)  # bounded while loading a file
        v = Variable(
            init,
            shape=shape,
            dtype=dtype,
            trainable=trainable,
            name=name,
            constraint=constraints.get(constraint),
            regularizer=regularizers.get(regularizer),
        )
        pushed = _enter_scope(self)
        v.path = f"{_current_path()}/{name}"
        if pushed:
            _SCOPE.pop()
        v._layer = self
        v.overwrite_with_gradient = overwrite_with_gradient
        self._own_variables.append(v)
        return v

    add_variable = add_weight

    @property
    def weights(self):
        """All weights: this layer's own in creation order, then each sub-layer's."""
        out, seen = [], set()
        for layer in self._flatten_layers():
            for v in layer._own_variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def variables(self):
        """`weights`, then the states of the `keras.random.SeedGenerator`s the layers hold
        (as Keras 3: random state is a variable but not a weight, and is not saved)."""
        return self.weights + self._seed_states()

    def _seed_states(self):
        return [g.state for l in self._flatten_layers() for g in seed_generators_of(l)]

    @property
    def trainable_weights(self):
        if not self._trainable:
            return []
        # a frozen layer freezes its whole subtree, including sub-layers built later
        out, seen, visited = [], set(), set()
        stack = [self]
        while stack:
            layer = stack.pop()
            if id(layer) in visited or not layer._trainable:
                continue
            visited.add(id(layer))
            for v in layer._own_variables:
                if v.trainable and id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
            stack.extend(reversed(layer._sublayers()))
        return out

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in trainable]

    @property
    def non_trainable_variables(self):
        """`non_trainable_weights`, then the layers' random seed states (as Keras 3)."""
        return self.non_trainable_weights + self._seed_states()

    def get_weights(self):
        """The weights as numpy arrays, in creation order (as Keras 3's `get_weights`)."""
        return [np.array(v.data) for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from numpy arrays in the order of `get_weights()`."""
        params = self.weights
        weights = list(weights)
        if len(params) != len(weights):
            raise ValueError(
                f"set_weights on {_describe(self)}: expected {len(params)} arrays "
                f"({[v.name for v in params]}), received {len(weights)}."
            )
        for v, w in zip(params, weights):
            w = np.asarray(w)
            if w.shape != v.shape:
                raise ValueError(
                    f"set_weights on {_describe(self)}: weight {v.path!r} has shape {v.shape}, "
                    f"received an array of shape {w.shape}."
                )
        for v, w in zip(params, weights):
            v.data[...] = np.asarray(w, dtype=v.dtype)

    def count_params(self):
        """Total number of scalars in all weights."""
        if not self.built:
            raise ValueError(
                f"{_describe(self)} is not built yet, so it has no weights to count. Call it on "
                "data or call build(input_shape) first."
            )
        return int(sum(v.size for v in self.weights))

    # -- losses ----------------------------------------------------------------------------
    def add_loss(self, loss):
        """Adds a scalar loss (a Tensor) that training adds to the main loss."""
        self._losses.append(loss)

    @property
    def losses(self):
        """Losses from `add_loss` in the last call plus weight regularization penalties."""
        out = []
        for layer in self._flatten_layers():
            out.extend(layer._losses)
            for v in layer._own_variables:
                if v.regularizer is not None and v.trainable:
                    out.append(v.regularizer(v))
        return out

    def _clear_losses(self):
        for layer in self._flatten_layers():
            layer._losses = []

    # -- build and call ----------------------------------------------------------------------
    def build(self, input_shape):
        """Creates the weights for inputs of `input_shape`; the base version creates none."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def compute_mask(self, inputs, mask=None):
        """The output mask: the input mask for layers that support masking, else None."""
        if not self.supports_masking:
            return None
        return mask

    def compute_output_shape(self, input_shape):
        """Output shape for `input_shape`, traced through `call` on placeholder data."""
        ins = _map_shapes(lambda s: KerasTensor(s, self._dtype), _as_shape_structure(input_shape))
        out = self.compute_output_spec(ins)
        return map_structure(lambda t: t.shape, out)

    def compute_output_spec(self, *args, **kwargs):
        outputs, _ = self._trace(args, kwargs)
        return outputs

    def _maybe_build(self, inputs):
        if self.built:
            return
        shapes = map_structure(lambda t: None if t is None else tuple(t.shape), inputs)
        self._build_shapes = shapes
        self.build(shapes)
        self.built = True

    def _check_input(self, inputs):
        """Keras 3's input-spec check of the first argument (every input against its spec)."""
        assert_input_compatibility(self.input_spec, inputs, self.name)

    def __call__(self, *args, **kwargs):
        if not args:
            first = getattr(self, "_call_first_arg", "inputs")
            if first in kwargs:
                args = (kwargs.pop(first),)
            elif "inputs" in kwargs:
                args = (kwargs.pop("inputs"),)
            else:
                raise TypeError(
                    f"{_describe(self)} was called without inputs: pass them positionally or as "
                    f"`{first}=`. Received keyword arguments {sorted(kwargs)}."
                )
        inputs = args[0]
        if type(inputs) is Tensor and len(args) == 1 and _plain_values(kwargs):
            # the common eager call, one tensor in: no structure to walk
            if self.autocast and inputs.data.dtype.kind == "f" and inputs.data.dtype != self._dtype:
                inputs = _to_tensors(inputs, self)
                args = (inputs,)
            in_masks = inputs._keras_mask
        else:
            if is_symbolic((args, kwargs)):
                return self._symbolic_call(args, kwargs)
            inputs = _to_tensors(inputs, self)
            if len(args) > 1:
                # as Keras 3, array arguments after the first become tensors too (a numpy mask)
                args = (inputs,) + _arrays_to_tensors(args[1:], self)
            else:
                args = (inputs,)
            if kwargs:
                kwargs = _arrays_to_tensors(kwargs, self)
            in_masks = map_structure(lambda t: getattr(t, "_keras_mask", None), inputs)
            if all(m is None for m in flatten(in_masks)):
                in_masks = None
        mask = kwargs.get("mask")
        if mask is None and in_masks is not None:  # the inputs' own masks
            mask = in_masks
            if self._call_has_mask:
                kwargs["mask"] = mask
        training = kwargs.get("training")
        if training is None:
            training = getattr(_ctx, "training", None)
            if training is None:
                training = self._call_training_default
        if self._call_has_training and training is not None:
            kwargs["training"] = training
        else:
            kwargs.pop("training", None)
        pushed = _enter_scope(self)  # sub-layers built in build or call nest their paths here
        try:
            if not self.built:
                if self.input_spec is not None:  # Keras checks before building and after
                    self._check_input(inputs)
                self._maybe_build(inputs)
            if self.input_spec is not None:
                self._check_input(inputs)
            self._losses = []
            with training_scope(training):
                outputs = self.call(*args, **kwargs)
        finally:
            if pushed:
                _SCOPE.pop()
        out_mask = self.compute_mask(inputs, mask)
        if out_mask is not None:
            _attach_masks(outputs, out_mask)
        if self.activity_regularizer is not None:
            for o in flatten(outputs):
                if not isinstance(o, Tensor):
                    continue
                penalty = self.activity_regularizer(o)
                if o.ndim > 0 and o.shape[0]:
                    # Keras 3 divides the penalty by the batch size, so its strength does not
                    # depend on the batch size (an empty batch adds 0)
                    penalty = penalty / float(o.shape[0])
                self.add_loss(penalty)
        return outputs

    # -- symbolic calls (functional API) --------------------------------------------------
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
        with no_grad(), np.errstate(all="ignore"), training_scope(False):
            return self.__call__(*c_args, **c_kwargs)

    def _trace(self, args, kwargs):
        """Runs `call` on placeholder data (ones, in inference mode) to learn output shapes,
        dtypes and masks. The run leaves no trace behind: the layers' variables, losses and
        random generators are put back as they were (Keras 3 traces in a stateless scope)."""
        flat_in = [t for t in flatten((args, kwargs)) if isinstance(t, KerasTensor)]
        has_unknown = any(d is None for t in flat_in for d in t.shape[1:])
        batch_unknown = any(t.shape and t.shape[0] is None for t in flat_in)
        # unknown non-batch sizes get small placeholders first; a layer that needs more room
        # (a 7x7 valid convolution on an image of unknown size) gets larger ones on retry
        # each plan is two runs of (batch size, size of every other unknown axis)
        attempts = (((2, 3), (3, 5)), ((2, 32), (3, 35)), ((2, 96), (3, 99)))
        if not has_unknown:
            attempts = (((1, 1),),)
        with _TraceGuard(self):
            for attempt, plan in enumerate(attempts):
                try:
                    results = [self._trace_once(args, kwargs, sizes) for sizes in plan]
                    break
                except (ValueError, IndexError):
                    if attempt == len(attempts) - 1:
                        raise
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
            pushed = _enter_scope(self)
            try:
                self.build(shapes)
            finally:
                if pushed:
                    _SCOPE.pop()
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
        if type(self).compute_output_shape is Layer.compute_output_shape or len(outs) != 1:
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

    # -- graph attributes (the functional API) -------------------------------------------
    def _node_attribute(self, node_index, attr, what):
        """`attr` ("input_tensors" or "outputs") of inbound node `node_index`: one tensor, or a
        list when the call took or gave several (as Keras 3's `Operation` does)."""
        nodes = self._inbound_nodes
        if not nodes:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined {what}. "
                f"Call it on a symbolic tensor (from keras.Input) first."
            )
        if not -len(nodes) <= node_index < len(nodes):
            raise ValueError(
                f"Asked to get {what} at node {node_index}, but {_describe(self)} has only "
                f"{len(nodes)} inbound node(s)."
            )
        values = getattr(nodes[node_index], attr)
        return values[0] if len(values) == 1 else list(values)

    @property
    def input(self):
        """The symbolic input(s) of this layer's first call on KerasTensors (Keras 3 returns
        the first node's even when the layer was called several times)."""
        return self._node_attribute(0, "input_tensors", "input")

    @property
    def output(self):
        """The symbolic output(s) of this layer's first call on KerasTensors."""
        return self._node_attribute(0, "outputs", "output")

    def get_input_at(self, node_index):
        """The input(s) of the call `node_index` (Keras 2 API, for shared layers)."""
        return self._node_attribute(node_index, "input_tensors", "input")

    def get_output_at(self, node_index):
        """The output(s) of the call `node_index` (Keras 2 API, for shared layers)."""
        return self._node_attribute(node_index, "outputs", "output")

    def _node_shapes(self, attr, what):
        if not self._inbound_nodes:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined {what} shape."
            )
        shapes = []
        for node in self._inbound_nodes:
            values = getattr(node, attr)
            shape = [t.shape for t in values]
            shapes.append(shape[0] if len(shape) == 1 else shape)
        if any(s != shapes[0] for s in shapes[1:]):
            getter = "get_input_at" if what == "input" else "get_output_at"
            raise AttributeError(
                f"{_describe(self)} has multiple inbound nodes with different {what} shapes "
                f"{shapes}, so its {what} shape is ill-defined. Use `{getter}(node_index).shape` "
                "instead."
            )
        return shapes[0]

    @property
    def input_shape(self):
        """The shape of `input` (Keras 2 API; Keras 3 keeps it on models only). Raises when the
        layer was never called or its calls had different shapes."""
        return self._node_shapes("input_tensors", "input")

    @property
    def output_shape(self):
        """The shape of `output` (Keras 2 API; Keras 3 keeps it on models only)."""
        return self._node_shapes("outputs", "output")

    # -- config ------------------------------------------------------------------------------
    def get_config(self):
        """The constructor arguments as a JSON-friendly dict (Keras 3 form)."""
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": {
                "module": "keras",
                "class_name": "DTypePolicy",
                "config": {"name": self._dtype},
                "registered_name": None,
            },
        }
        return config

    @classmethod
    def from_config(cls, config):
        """Creates a layer from `get_config()` output."""
        return cls(**config)

    def get_build_config(self):
        if self._build_shapes is None:
            return None
        return {"input_shape": _shape_to_list(self._build_shapes)}

    def build_from_config(self, config):
        if config and "input_shape" in config and not self.built:
            shape = _as_shape_structure(config["input_shape"])
            self.build(shape)
            self._build_shapes = shape
            self.built = True

    # -- per-layer saving (keys "0", "1", ... as Keras 3's weights file) -----------------------
    def save_own_variables(self, store):
        for i, v in enumerate(self._own_variables):
            store[str(i)] = v.data

    def load_own_variables(self, store):
        own = self._own_variables
        if len(store) != len(own):
            raise ValueError(
                f"{_describe(self)} expects {len(own)} weights, the file holds {len(store)}."
            )
        for i, v in enumerate(own):
            value = np.asarray(store[str(i)])
            if value.shape != v.shape:
                raise ValueError(
                    f"{_describe(self)}: weight {v.path!r} expects shape {v.shape}, the file "
                    f"holds {value.shape}."
                )
            v.data[...] = value

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


class _TraceGuard:
    """Puts back the state a placeholder run of `layer` may change: the values of its variables
    and its sub-layers' (a counter's `assign_add`, a moving statistic), their `add_loss`
    losses and their own random generators, and the global random state (Python's, numpy's and
    minikeras's) unless the run created weights, whose initial draws must stay taken so later
    layers draw different values."""

    def __init__(self, layer):
        self.layer = layer

    def __enter__(self):
        from ..utils import random as mk_random

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
        from ..utils import random as mk_random

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


def _shape_to_list(s):
    """A build shape as plain Python, as Keras 3's build configs hold it: each shape a tuple of
    ints/None, several shapes in a list, a dict of shapes a dict (JSON writes tuples as lists)."""
    if isinstance(s, tuple) and all(d is None or isinstance(d, (int, np.integer)) for d in s):
        return tuple(None if d is None else int(d) for d in s)
    if isinstance(s, dict):
        return {k: _shape_to_list(v) for k, v in s.items()}
    return [_shape_to_list(x) for x in s]


def _as_shape_structure(s):
    """Lists of ints -> tuple shape; lists of lists -> list of tuple shapes."""
    if isinstance(s, dict):
        return {k: _as_shape_structure(v) for k, v in s.items()}
    if isinstance(s, (list, tuple)) and s and isinstance(s[0], (list, tuple, dict)):
        return [_as_shape_structure(x) for x in s]
    return tuple(s)


def _map_shapes(fn, s):
    """`map_structure` whose leaves are shapes: a tuple of ints and Nones is one leaf."""
    if isinstance(s, dict):
        return {k: _map_shapes(fn, v) for k, v in s.items()}
    if isinstance(s, (list, tuple)) and not all(d is None or isinstance(d, int) for d in s):
        return type(s)(_map_shapes(fn, x) for x in s)
    return fn(tuple(s))


_PLAIN_TYPES = EAGER_TYPES - {np.ndarray}


def _plain_values(kwargs):
    """Whether every keyword argument is already a tensor or a plain Python value (so the call
    needs neither the symbolic check nor array conversion)."""
    for v in kwargs.values():
        if type(v) not in _PLAIN_TYPES:
            return False
    return True


def _arrays_to_tensors(structure, layer):
    """numpy arrays anywhere in `structure` become Tensors and float tensors take the layer's
    dtype (Keras 3 converts every array argument); Python values stay as they are."""

    def convert(v):
        if isinstance(v, np.ndarray) and not isinstance(v, Tensor):
            if v.dtype.kind not in "biuf":
                return v
            return _to_tensors(v, layer)
        if (
            isinstance(v, Tensor)
            and layer.autocast
            and v.dtype.kind == "f"
            and v.dtype != np.dtype(layer._dtype)
            and not isinstance(v, Variable)
        ):
            return _to_tensors(v, layer)
        return v

    return map_structure(convert, structure)


def _takes_strings(layer):
    """Text preprocessing layers (`StringLookup`, `TextVectorization`, ...), models with a
    `dtype="string"` input, and Sequential models starting with a text layer take text arrays."""
    if getattr(layer, "_takes_strings", False):
        return True
    inputs = layer.__dict__.get("inputs") or layer.__dict__.get("_inputs") or ()  # Sequential's
    if any(getattr(t, "dtype", None) == "string" for t in inputs):
        return True
    first = (layer.__dict__.get("_seq_layers") or [None])[0]
    return bool(getattr(first, "_takes_strings", False))


def _to_tensors(x, layer):
    """numpy arrays and Python values become Tensors; floats take the layer's dtype."""

    def convert(v):
        if isinstance(v, Tensor):
            t = v
        elif (
            v is None
            or isinstance(v, (str, bool))
            or v is Ellipsis
            or (isinstance(v, (int, float, complex)) and not isinstance(v, np.generic))
        ):
            # Python numbers stay weakly typed, as Keras converts only array-likes: `2 - x`
            # keeps x's float32 instead of promoting through an int64 array
            return v
        else:
            arr = np.asarray(v)
            if arr.dtype.kind in "USO" and _takes_strings(layer):
                return Tensor(arr)  # text passes through to the preprocessing layers that take it
            if arr.dtype.kind not in "biuf":
                raise TypeError(
                    f"{_describe(layer)} expects numeric input. Received an array of dtype "
                    f"{arr.dtype} with shape {arr.shape}."
                )
            t = Tensor(arr)
        if layer.autocast and t.dtype.kind == "f" and t.dtype != np.dtype(layer._dtype):
            from ..core import ops

            mask = t._keras_mask
            t = ops.cast(t, layer._dtype)
            t._keras_mask = mask
        return t

    return map_structure(convert, x)


def _attach_masks(outputs, masks):
    flat_out = flatten(outputs)
    flat_mask = flatten(masks) if isinstance(masks, (list, tuple, dict)) else [masks]
    if len(flat_mask) == 1 and len(flat_out) > 1:
        flat_mask = flat_mask * len(flat_out)
    for o, m in zip(flat_out, flat_mask):
        if isinstance(o, Tensor):
            o._keras_mask = m if (m is None or isinstance(m, Tensor)) else Tensor(np.asarray(m))
