"""`Layer`: the base of every layer and model: construction, sub-layer and metric tracking,
build-on-first-call, the eager `__call__` (training flag, masks, activity regularization) and
the config. The rest of the class lives beside it, by what a reader looks for:

- `layer_weights.py`: `add_weight`, `weights`/`trainable_weights`, `get/set_weights`, losses;
- `layer_dtypes.py`: the dtype policy (`dtype`, `compute_dtype`, autocast of own variables);
- `layer_tracing.py`: calls on `KerasTensor`s, output shapes from placeholder runs;
- `layer_graph.py`: `input`, `output`, `input_shape` of the functional API;
- `input_adaptation.py`: arrays to Tensors, autocast, masks on outputs;
- `call_context.py`: the `training` flag and name scopes passed down nested calls.
"""

import inspect
import warnings

from ..core.tensor import Tensor
from ..core.variable import Variable
from ..utils import naming
from . import auto_config
from .build_arguments import build_parameter_names, call_build
from .call_context import (  # noqa: F401 (in_training, training_scope re-exported)
    call_training,
    describe,
    enclosing_training,
    enter_scope,
    exit_scope,
    in_training,
    training_scope,
)
from ..dtype_policies import DTypePolicyMap, serialize as serialize_policy
from .input_adaptation import (
    arrays_to_tensors,
    attach_masks,
    check_positional_inputs,
    fill_argument_masks,
    is_float_dtype,
    plain_values,
    tensor_arguments,
    to_tensors,
)
from .input_spec import InputSpec, assert_input_compatibility  # noqa: F401 (re-exported)
from .layer_dtypes import LayerDTypes
from .layer_graph import GraphAttributes
from .layer_tracing import SymbolicCalls, as_shape_structure, shape_to_list
from .layer_weights import LayerWeights
from .node import flatten, is_symbolic, map_structure

# the names other modules import from here
_to_tensors = to_tensors
_shape_to_list = shape_to_list

# metrics sit above layers, so a layer recognizes one by its protocol, not its class: an object
# with `update_state`, `result` and `reset_state` (the `keras.metrics.Metric` API)
_METRIC_TYPES = {}


def _is_metric(value):
    kind = type(value)
    known = _METRIC_TYPES.get(kind)
    if known is None:
        known = _METRIC_TYPES[kind] = all(
            callable(getattr(kind, name, None))
            for name in ("update_state", "result", "reset_state")
        ) and not issubclass(kind, Layer)
    return known


class Layer(LayerDTypes, LayerWeights, SymbolicCalls, GraphAttributes):
    """Base class of all layers: holds weights, builds them on the first call, passes masks.

    Subclasses implement `build(input_shape)` (create weights with `add_weight`) and
    `call(inputs, ...)` (compute with `keras.ops`); `call` may take `training` and `mask`.

    Args:
        trainable: whether the layer's weights are updated by training.
        name: the layer's name; unique default from the class name (`dense`, `dense_1`, ...).
        dtype: the layer's dtype policy: a dtype or policy name (`"float32"`,
            `"mixed_float16"`, ...), a `DTypePolicy`, its config dict, or None for the global
            policy (`keras.config.set_dtype_policy`). Variables are made in its
            `variable_dtype`, float inputs cast to its `compute_dtype`.
        autocast: whether float inputs are cast to the compute dtype, and the layer's own
            variables read in it inside `call` under a mixed policy (default True).

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
                pushed = enter_scope(self)
                if isinstance(self._dtype_policy, DTypePolicyMap):
                    self._resolve_dtypes()  # the layer's path is known from here on
                    self._resolve_on_call = False
                try:
                    user_build(self, *args, **kw)
                finally:
                    exit_scope(pushed)
                self.built = True
                if self._build_shapes is None and args:
                    self._build_shapes = args[0]

            build.__doc__ = user_build.__doc__
            build.__wrapped__ = user_build
            cls.build = build

    def __new__(cls, *args, **kwargs):
        # Keras 3 keeps the constructor arguments for `get_config` (see auto_config.py); they are
        # bound to the signature only when a config is asked for
        layer = super().__new__(cls)
        object.__setattr__(layer, "_constructor_arguments", (args, kwargs))
        return layer

    def __init__(self, trainable=True, name=None, dtype=None, autocast=True, **kwargs):
        object.__setattr__(self, "_tracked_layers", [])
        object.__setattr__(self, "_own_variables", [])
        # the variables tracked as trainable, which `layer.trainable = x` sets to x (Keras 3)
        object.__setattr__(self, "_trainable_tracked", [])
        object.__setattr__(self, "_tracked_metrics", [])
        # public list/tuple/dict attributes, searched for layers added after assignment
        object.__setattr__(self, "_layer_containers", {})
        self.name = name or naming.uniquify(naming.to_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self.autocast = autocast
        self._set_dtype_policy(dtype)
        self.built = False
        # Keras 3: a layer that overrides compute_mask supports masking unless it says otherwise
        overrides = type(self).compute_mask is not Layer.compute_mask
        self.supports_masking = getattr(self, "supports_masking", overrides)
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
        # Keras 3 fills `mask` only when call gets one tensor argument; with several it fills
        # each `<arg>_mask` parameter from that argument's own mask instead
        self._call_arg_names = [
            n for n, p in sig.items() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        self._call_mask_params = {n[: -len("_mask")] for n in sig if n.endswith("_mask")}
        # the name of call's first argument, so `layer(query=q, value=v)` finds its inputs
        self._call_first_arg = next(
            (n for n, p in sig.items() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)),
            "inputs",
        )

    # -- attribute tracking ---------------------------------------------------------------
    def __setattr__(self, key, value):
        self._sync_layer_containers()
        if (
            isinstance(value, (list, tuple, dict))
            and not key.startswith("_")
            and "_layer_containers" in self.__dict__
        ):
            self._layer_containers[key] = None
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
                self._track_trainable(value)
        elif _is_metric(value):
            self._track_metrics((value,))
        elif isinstance(value, (list, tuple)) and value and _is_metric(value[0]):
            self._track_metrics([v for v in value if _is_metric(v)])
        object.__setattr__(self, key, value)

    def _track_metrics(self, metrics):
        tracked = self.__dict__.get("_tracked_metrics")
        if tracked is not None:
            tracked.extend(m for m in metrics if all(m is not t for t in tracked))

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        # as Keras 3, the flag reaches the sub-layers and the variables tracked as trainable
        for layer in self._flatten_layers():
            layer._trainable = bool(value)
            for v in layer.__dict__.get("_trainable_tracked", ()):
                v.trainable = bool(value)

    def _track_trainable(self, variable):
        """Keras 3's variable tracking: a trainable variable follows `layer.trainable` (a
        frozen layer's new variables start non-trainable)."""
        if variable.trainable:
            self._trainable_tracked.append(variable)
            if not self._trainable:
                variable.trainable = False

    def _flatten_layers(self, include_self=True, recursive=True):
        """This layer and every layer inside it, depth first, each once (with `recursive=False`
        only the direct sub-layers: Keras 3's arguments, which keras.io examples call)."""
        out, seen, stack = [], set(), [self] if include_self else list(reversed(self._sublayers()))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            out.append(layer)
            if recursive or layer is self:
                stack.extend(reversed(layer._sublayers()))
        return out

    def _sublayers(self):
        self._sync_layer_containers()
        return list(self._tracked_layers)

    def _sync_layer_containers(self):
        """Tracks the layers put into a public list, tuple or dict attribute after it was
        assigned (`self.blocks = []` then `self.blocks.append(Dense(2))`, nested too), as
        Keras 3's tracked containers do, in the order they are found."""
        containers = self.__dict__.get("_layer_containers")
        if not containers:
            return
        tracked = self._tracked_layers
        for key, seen in containers.items():
            value = self.__dict__.get(key)
            if not isinstance(value, (list, tuple, dict)):
                continue
            if seen is not None and seen[:2] == (id(value), len(value)) and not seen[2]:
                continue  # a flat container unchanged in size since the last look
            items = value.values() if isinstance(value, dict) else value
            nested = any(isinstance(v, (list, tuple, dict)) for v in items)
            containers[key] = (id(value), len(value), nested)
            for layer in _layers_in(value, 3):
                if layer is not self and all(layer is not t for t in tracked):
                    tracked.append(layer)

    @property
    def metrics(self):
        """Metrics assigned as attributes of this layer (or in a list), then each sub-layer's
        `metrics`: Keras 3 tracks them so, and a metric a custom layer updates in `call` shows
        in `fit`'s logs."""
        out = list(self.__dict__.get("_tracked_metrics", ()))
        for layer in self._sublayers():
            out.extend(layer.metrics)
        return out

    # -- build and call ----------------------------------------------------------------------
    def build(self, input_shape):
        """Creates the weights for inputs of `input_shape`; the base version creates none."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def compute_mask(self, inputs, mask=None):
        """The output mask: the input mask, as Keras 3 (`__call__` asks only layers that
        support masking)."""
        return mask

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the layer's weights (`Dense`, `EinsumDense`, `Embedding` implement it).

        Raises:
            NotImplementedError: for every other layer, with Keras 3's message
                (`model.quantize` turns it into a warning and skips the layer).
        """
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `quantize` method implemented."
        )

    def _maybe_build(self, inputs, args=(), kwargs=None):
        if self.built:
            return
        shapes = map_structure(lambda t: None if t is None else tuple(t.shape), inputs)
        self._build_shapes = shapes
        call_build(self, shapes, args, kwargs)
        self.built = True

    def _check_input(self, inputs):
        """Keras 3's input-spec check of the first argument (every input against its spec)."""
        assert_input_compatibility(self.input_spec, inputs, self.name)

    def __call__(self, *args, **kwargs):
        if self._resolve_on_call:  # a DTypePolicyMap: this layer's entry, by its path
            exit_scope(enter_scope(self))
            self._resolve_dtypes()
            self._resolve_on_call = False
        if not args:
            first = getattr(self, "_call_first_arg", "inputs")
            if first in kwargs:
                args = (kwargs.pop(first),)
            elif "inputs" in kwargs:
                args = (kwargs.pop("inputs"),)
            else:
                raise TypeError(
                    f"{describe(self)} was called without inputs: pass them positionally or as "
                    f"`{first}=`. Received keyword arguments {sorted(kwargs)}."
                )
        if len(args) > 1 and self._call_has_training and "training" not in kwargs:
            args, kwargs = _positional_training(self._call_arg_names, args, kwargs)
        inputs = args[0]
        if type(inputs) is Tensor and len(args) == 1 and plain_values(kwargs):
            # the common eager call, one tensor in: no structure to walk
            dt = inputs.data.dtype
            if dt != self._compute_dtype and self.autocast and is_float_dtype(dt):
                inputs = to_tensors(inputs, self)
                args = (inputs,)
            in_masks = inputs._keras_mask
        else:
            if is_symbolic((args, kwargs)):
                return self._symbolic_call(args, kwargs)
            inputs = check_positional_inputs(self, to_tensors(inputs, self))
            if len(args) > 1:
                # as Keras 3, array arguments after the first become tensors too (a numpy mask)
                args = (inputs,) + arrays_to_tensors(args[1:], self)
            else:
                args = (inputs,)
            if kwargs:
                kwargs = arrays_to_tensors(kwargs, self)
            in_masks = map_structure(lambda t: getattr(t, "_keras_mask", None), inputs)
            if all(m is None for m in flatten(in_masks)):
                in_masks = None
        mask = kwargs.get("mask")
        several = (len(args) > 1 or kwargs) and tensor_arguments(self, args, kwargs)
        if several:
            fill_argument_masks(self, several, kwargs)
        if mask is None and in_masks is not None:  # the inputs' own masks
            mask = in_masks
            if self._call_has_mask and not several:
                kwargs["mask"] = mask
        training = kwargs.get("training")
        if training is None:
            training = enclosing_training()
            if training is None:
                training = self._call_training_default
        if self._call_has_training and training is not None:
            kwargs["training"] = training
        else:
            kwargs.pop("training", None)
        pushed = enter_scope(self)  # sub-layers built in build or call nest their paths here
        try:
            if not self.built:
                if self.input_spec is not None:  # Keras checks before building and after
                    self._check_input(inputs)
                self._maybe_build(inputs, args, kwargs)
            if self.input_spec is not None:
                self._check_input(inputs)
            self._losses = []
            if self._autocast_to is None:
                with call_training(training):
                    outputs = self.call(*args, **kwargs)
            else:  # a mixed policy: own float variables are read in the compute dtype
                replaced = self._cast_own_variables(self._autocast_to)
                try:
                    with call_training(training):
                        outputs = self.call(*args, **kwargs)
                finally:
                    self._restore_own_variables(replaced)
        finally:
            exit_scope(pushed)
        out_mask = self.compute_mask(inputs, mask) if self.supports_masking else None
        if not self.supports_masking and mask is not None and _has_mask(mask):
            warnings.warn(  # Keras 3's warning, word for word
                f"Layer '{self.name}' (of type {type(self).__name__}) was passed an input with a "
                "mask attached to it. However, this layer does not support masking and will "
                "therefore destroy the mask information. Downstream layers will not see the mask.",
                stacklevel=2,
            )
        if out_mask is not None:
            attach_masks(outputs, out_mask)
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

    # -- config ------------------------------------------------------------------------------
    def get_config(self):
        """The constructor arguments as a JSON-friendly dict (Keras 3 form). A subclass that does
        not define `get_config` gets the plain-valued arguments it was constructed with."""
        config = {"name": self.name}
        if getattr(self.get_config, "_is_default", False):
            config = auto_config.merge(self, config)
        config["trainable"] = self.trainable
        config["dtype"] = serialize_policy(self._dtype_policy)
        if self.activity_regularizer is not None:  # Keras 3 writes it only when set
            from .. import regularizers

            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    get_config._is_default = True  # overridden in a subclass: no automatic arguments

    @classmethod
    def from_config(cls, config):
        """Creates a layer from `get_config()` output."""
        return cls(**config)  # a `dtype` config dict is read by the constructor

    def get_build_config(self):
        if self._build_shapes is None:
            return None
        return {"input_shape": shape_to_list(self._build_shapes)}

    def build_from_config(self, config):
        if config and "input_shape" in config and not self.built:
            shape = as_shape_structure(config["input_shape"])
            if build_parameter_names(self):
                self.build(shape)
            else:  # `build(self)`: Keras saves the call's shape and builds with none
                self.build()
            self._build_shapes = shape
            self.built = True

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _has_mask(mask):
    return any(m is not None for m in flatten(mask))


def _layers_in(container, depth):
    """The layers in a list/tuple/dict (and those nested in it, `depth` levels down)."""
    values = container.values() if isinstance(container, dict) else container
    for v in values:
        if isinstance(v, Layer):
            yield v
        elif depth > 1 and isinstance(v, (list, tuple, dict)) and len(v) <= 10000:
            yield from _layers_in(v, depth - 1)


def _positional_training(names, args, kwargs):
    """`layer(x, True)` where call's second parameter is `training`: Keras 3 binds the call's
    arguments to its signature, so a positional `training` (and any after it) counts as the
    keyword; minikeras resolves `training` from the keywords."""
    if "training" not in names or names.index("training") >= len(args):
        return args, kwargs
    i = names.index("training")
    rest = {n: a for n, a in zip(names[i:], args[i:])}
    return args[:i], {**kwargs, **rest}
