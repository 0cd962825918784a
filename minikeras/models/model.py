"""`Model`: a layer with training (`compile`/`fit`/...), saving and `summary`.

`Model(inputs, outputs)` gives a functional model; subclassing `Model` and writing `call` gives
a subclassed model, as in Keras 3.
"""

from ..layers.layer import Layer
from .trainer import Trainer


class Model(Trainer, Layer):
    """A trainable group of layers: `compile`, `fit`, `evaluate`, `predict`, saving, `summary`.

    Functional: `keras.Model(inputs, outputs)`. Subclassed: override `__init__` (create layers as
    attributes) and `call(inputs, training=False)`.

    Args:
        inputs: for a functional model, a KerasTensor from `keras.Input` (or a list or dict).
        outputs: for a functional model, the KerasTensor(s) computed from `inputs`.
        name: the model's name.
        trainable: whether the weights are updated by training.

    >>> import minikeras as keras
    >>> class TwoLayer(keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = keras.layers.Dense(4, activation="relu")
    ...         self.out = keras.layers.Dense(1)
    ...     def call(self, x):
    ...         return self.out(self.hidden(x))
    >>> TwoLayer()(keras.ops.ones((2, 3))).shape
    (2, 1)
    """

    _takes_none = True  # a functional model's optional inputs may be None (its input check decides)

    def __new__(cls, *args, **kwargs):
        from .functional import Functional

        if cls is Model and (len(args) >= 2 or "inputs" in kwargs or "outputs" in kwargs):
            return Functional.__new__(Functional)
        # as Keras 3, no constructor arguments reach the automatic config of a subclassed model:
        # it keeps the defaults of an __init__ that binds without them (and None otherwise)
        return Layer.__new__(cls)

    def __init__(self, *args, **kwargs):
        if _functional_init_arguments(args, kwargs):
            # a subclass that passes inputs/outputs to Model.__init__ is a functional model (as
            # Keras 3: Functional is put in the class's bases in place of Model)
            from .functional import Functional

            _inject_functional(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        Layer.__init__(self, *args, **kwargs)
        self._init_trainer()

    def _sublayers(self):
        self._sync_layer_containers()
        return list(self._tracked_layers)

    @property
    def layers(self):
        self._sync_layer_containers()
        return [l for l in self._tracked_layers if not getattr(l, "_is_operation", False)]

    def get_layer(self, name=None, index=None):
        """The layer with this `name` (or at this `index` of `layers`)."""
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(
                    f"get_layer(index={index}) is out of range: model '{self.name}' has "
                    f"{len(self.layers)} layers."
                )
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No such layer: {name}. Existing layers are: {[l.name for l in self.layers]}."
        )

    def compute_mask(self, inputs, mask=None):
        return None

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        """Prints a table of the layers, their output shapes and parameter counts."""
        from ..utils.summary_utils import print_summary

        print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    def quantize(self, mode=None, config=None, filters=None, **kwargs):
        """Quantizes the weights of the model's `Dense`, `EinsumDense` and `Embedding` layers
        (Keras 3.15.1's post-training quantization); other layers are skipped, those that
        refuse (convolutions, float8 `Embedding`) with a warning.

        Args:
            mode: `"int8"`, `"int4"` or `"float8"` (optional when `config` is given).
            config: a `keras.quantizers.QuantizationConfig`.
            filters: a regex (searched in layer names), a list of them, or a callable on the
                layer: only matching layers are quantized.
            **kwargs: `type_check` (as Keras); `include_conv=True`, a minikeras extension,
                also quantizes `Conv1D`/`Conv2D`/`Conv3D` to int8 (Keras 3.15.1 quantizes no
                convolution and cannot load such a model back).
        """
        from .quantize import quantize_model

        quantize_model(self, mode, config=config, filters=filters, **kwargs)

    # -- saving (implemented in minikeras.saving) ------------------------------------------
    def save(self, filepath, overwrite=True, include_optimizer=True, **kwargs):
        """Saves the whole model: `.keras` (Keras 3 zip) or `.h5` (legacy HDF5)."""
        from ..saving import api

        return api.save_model(
            self, filepath, overwrite=overwrite, include_optimizer=include_optimizer, **kwargs
        )

    def save_weights(self, filepath, overwrite=True, **kwargs):
        """Saves the weights: `.weights.h5` (Keras 3 layout) or `.h5` (Keras 2 layout)."""
        from ..saving import api

        return api.save_weights(self, filepath, overwrite=overwrite, **kwargs)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False, **kwargs):
        """Loads weights saved by minikeras, Keras 3 or Keras 2 (`.weights.h5`, `.h5`, `.keras`)."""
        from ..saving import api

        return api.load_weights(
            self, filepath, skip_mismatch=skip_mismatch, by_name=by_name, **kwargs
        )

    def to_json(self, **kwargs):
        """The model's architecture as a JSON string (`keras.models.model_from_json` reads it)."""
        from ..saving import api

        return api.model_to_json(self, **kwargs)

    def get_compile_config(self):
        """The arguments `compile` was given; `{}` before `compile`, as Keras 3."""
        return getattr(self, "_compile_config", None) or {}

    def get_config(self):
        config = Layer.get_config(self)
        return config

    get_config._is_default = True  # Keras 3's Model has Layer's

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A model from its config, as Keras 3's `Model.from_config`: a functional graph config
        (`name`, `layers`, `input_layers`, `output_layers`) revives a `Functional` (or `cls`,
        if its `__init__` takes a functional model's arguments); otherwise `cls(**config)`."""
        from .functional import Functional, functional_like_constructor

        keys = ("name", "layers", "input_layers", "output_layers")
        if all(k in config for k in keys) and (cls is Model or functional_like_constructor(cls)):
            target = Functional if cls is Model else cls
            return Functional.from_config.__func__(target, config, custom_objects)
        return _from_init_arguments(cls, config)


def _from_init_arguments(cls, config):
    """`cls(**config)`, or Keras 3's 'Unable to revive model' TypeError naming the keys."""
    try:
        return cls(**config)
    except TypeError as e:
        raise TypeError(
            f"Unable to revive model {cls.__name__} from its config: its __init__ does not "
            f"take {sorted(config)}. Return its arguments from get_config() or define a "
            f"from_config(cls, config) classmethod. Error: {e}"
        ) from None


def _functional_init_arguments(args, kwargs):
    """Whether `Model.__init__` got a functional model's inputs and outputs (Keras 3's test)."""
    return (
        len(args) == 2
        or (len(args) == 1 and "outputs" in kwargs)
        or ("inputs" in kwargs and "outputs" in kwargs)
    )


def _inject_functional(cls):
    """Replaces `Model` by `Functional` among the bases of `cls` and its Model ancestors."""
    from .functional import Functional

    if cls is Model:
        return Functional
    if not issubclass(cls, Model) or issubclass(cls, Functional):
        return cls
    cls.__bases__ = tuple(_inject_functional(base) for base in cls.__bases__)
    return cls
