"""`Sequential`: a plain stack of layers, each feeding the next."""

import numpy as np

from ..core.tensor import Tensor
from ..layers.core_layers.input_layer import InputLayer
from ..layers.layer import Layer
from ..layers.node import KerasTensor
from ..serialization import registry
from ..utils import naming
from . import inference_fusion, sequential_config
from .model import Model


class Sequential(Model):
    """A linear stack of layers.

    Give the input shape with `keras.Input(shape)` as the first entry to build it at once;
    otherwise it builds on the first data it sees.

    Args:
        layers: list of layers (optionally starting with `keras.Input(...)`).
        name: the model's name.

    >>> import minikeras as keras
    >>> model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    >>> model.output_shape
    (None, 1)
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._seq_layers = []
        self._input_layer = None
        self._inputs = self._outputs = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Appends a layer (or `keras.Input(...)`, which sets the input shape)."""
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history[0]
        if isinstance(layer, InputLayer):
            if self._seq_layers:
                raise ValueError(
                    f"An Input can only be the first entry of Sequential model '{self.name}'."
                )
            self._input_layer = layer
        elif not isinstance(layer, Layer):
            raise TypeError(
                "Sequential.add() takes a keras.layers.Layer instance. Received: "
                f"{layer!r} of type {type(layer).__name__}"
            )
        else:
            if any(layer.name == l.name for l in self._seq_layers):
                raise ValueError(
                    f"All layers added to a Sequential model should have unique names. Name "
                    f"'{layer.name}' is already the name of a layer in this model."
                )
            if not self._seq_layers and self._input_layer is None and layer._batch_input_shape:
                self._input_layer = InputLayer(
                    batch_shape=layer._batch_input_shape,
                    dtype=layer._dtype if layer._dtype else None,
                )
            self._seq_layers.append(layer)
            self._tracked_layers.append(layer)
        self.built = False
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self._seq_layers:
            raise TypeError("There are no layers in the model.")
        layer = self._seq_layers.pop()
        self._tracked_layers.remove(layer)
        self.built = False
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        if self._input_layer is not None and self._seq_layers:
            self.build(self._input_layer.batch_shape)

    @property
    def layers(self):
        return list(self._seq_layers)

    def build(self, input_shape=None):
        if input_shape is None:
            raise ValueError(f"Sequential model '{self.name}' needs an input shape to build.")
        shape = (None,) + tuple(input_shape[1:])
        if self._input_layer is None or self._input_layer.batch_shape != tuple(input_shape):
            dtype = self._input_layer._dtype if self._input_layer is not None else None
            self._input_layer = InputLayer(
                batch_shape=shape if self._input_layer is None else tuple(input_shape), dtype=dtype
            )
        x = self._input_layer.output
        self._inputs = [x]
        for layer in self._seq_layers:
            x = layer(x)
        self._outputs = [x]
        self._build_shapes = self._input_layer.batch_shape
        self.built = True
        # Keras 3 builds a Sequential into an inner Functional, which takes the next default
        # "functional" name: a keras.Model made afterwards is named as it would be in Keras
        naming.uniquify("functional")

    # Before it knows its input shape, a Sequential has no inputs/outputs: AttributeError, as
    # Keras 3 (hasattr(model, "inputs") is False; messages as Keras prints them)
    @property
    def inputs(self):
        if not self._inputs:
            raise AttributeError(f"Sequential model '{self.name}' has no defined inputs yet.")
        return self._inputs

    @property
    def outputs(self):
        if not self._outputs:
            raise AttributeError(f"Sequential model '{self.name}' has no defined outputs yet.")
        return self._outputs

    @property
    def input_shape(self):
        if not self._inputs:
            raise AttributeError(f"Sequential model '{self.name}' has no defined input shape yet.")
        return self._inputs[0].shape

    @property
    def output_shape(self):
        if not self._outputs:
            raise AttributeError(f"Sequential model '{self.name}' has no defined output shape yet.")
        return self._outputs[0].shape

    @property
    def input(self):
        if not self._inputs:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined input."
            )
        return self._inputs[0]

    @property
    def output(self):
        if not self._outputs:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined output."
            )
        return self._outputs[0]

    @property
    def output_names(self):
        return [self._seq_layers[-1].name] if self._seq_layers else ["output"]

    def call(self, inputs, training=None, mask=None):
        x = inputs
        if self._inputs:
            if isinstance(x, (list, tuple)) and len(x) == 1:
                x = x[0]  # Keras 3 runs a one-input model on a one-element list (with a warning)
            elif isinstance(x, dict):  # and on a dict keyed by its input's name
                name = self.inputs[0].name
                if name not in x:
                    raise ValueError(
                        f"Sequential model '{self.name}' got a dict of inputs with keys "
                        f"{sorted(x)}; it expects one input, named '{name}'."
                    )
                x = x[name]
            if not isinstance(x, (list, tuple, dict)):
                # as Keras 3: the rank is adjusted by a trailing axis of size 1, and the sizes
                # are left for the layers to check (a Sequential built on one batch runs on
                # other batch sizes and sequence lengths)
                from .functional import adjust_input_rank

                spec = self.inputs[0]
                x = adjust_input_rank(self, 0, spec.name, spec.shape, x)
                dt = spec.dtype
                if (
                    getattr(x, "dtype", None) is not None
                    and dt.startswith(("int", "uint"))
                    and x.dtype.kind == "f"
                ):
                    from ..core import ops

                    x = ops.cast(x, dt)
        if mask is not None:
            # as Keras 3, an explicit mask goes to the first layer (it rides on the input, so
            # layers without a `mask` argument propagate it through compute_mask)
            x = x if isinstance(x, Tensor) else Tensor(np.asarray(x))
            x._keras_mask = mask if isinstance(mask, Tensor) else Tensor(np.asarray(mask))
        layers = self._seq_layers
        pairs = inference_fusion.sequential_pairs(layers)
        i = 0
        while i < len(layers):
            if i in pairs:  # a Conv2D then MaxPooling2D(2): one kernel in inference
                x, pooled = inference_fusion.call_pooled(layers[i], x)
                i += 2 if pooled else 1
                continue
            x = layers[i](x)
            i += 1
        return x

    def get_config(self):
        """Keras 3's form: `layers` starts with the InputLayer (see `sequential_config.py`)."""
        return sequential_config.sequential_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A Sequential from a Keras 2 or 3 config (a bare list of layers for Keras <= 2.1)."""
        with registry.loading_scope(custom_objects):
            return sequential_config.sequential_from_config(config, custom_objects)
