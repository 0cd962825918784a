"""`Pipeline`: a plain layer that applies a list of layers in turn (preprocessing, augmentation)."""

from ...serialization.keras_objects import deserialize_layer, serialize_layer
from ..layer import Layer


class Pipeline(Layer):
    """Applies `layers` one after the other, passing each the mask the previous one produced.

    Unlike a `Sequential` model it is just a layer (no compile/fit). As in Keras 3 its `training`
    defaults to True, so augmentation layers in it augment unless called with `training=False`
    (or inside a model's `predict`/`evaluate`).

    Args:
        layers: a list of layers.
        name: the layer's name.

    >>> import numpy as np, minikeras as keras
    >>> pipe = keras.layers.Pipeline([keras.layers.Rescaling(0.5), keras.layers.Rescaling(4.0)])
    >>> pipe(np.ones((1, 2))).numpy().tolist()
    [[2.0, 2.0]]
    """

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self._pipeline_layers = list(layers)
        self.autocast = False  # inputs reach the first layer as given (Keras's _convert_input_args)

    @property
    def layers(self):
        return self._pipeline_layers

    def call(self, inputs, training=True, mask=None):
        outputs = inputs
        for layer in self._pipeline_layers:
            kwargs = {}
            if layer._call_has_mask and mask is not None:
                kwargs["mask"] = mask
            if layer._call_has_training and training is not None:
                kwargs["training"] = training
            outputs = layer(outputs, **kwargs)
            mask = getattr(outputs, "_keras_mask", None)
        return outputs

    def compute_output_shape(self, input_shape):
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def get_config(self):
        return {
            "layers": [serialize_layer(layer) for layer in self._pipeline_layers],
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                "`Pipeline` config must contain a `layers` key mapping to a list of serialized "
                f"layers. Received config with layers={layers}."
            )
        config = {**config}
        config["layers"] = [deserialize_layer(x, custom_objects=custom_objects) for x in layers]
        return cls(**config)
