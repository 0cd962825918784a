"""`Wrapper`: the base of layers that hold and augment another layer (`TimeDistributed`, ...)."""

from ..layer import Layer


class Wrapper(Layer):
    """Abstract base of wrappers: holds `layer` (saved under `layer/`) and builds it.

    `trainable=False` on the wrapper freezes the wrapped layer too. Subclasses implement `call`.

    Args:
        layer: the `keras.layers.Layer` (or model) to wrap.

    >>> import numpy as np, minikeras as keras
    >>> class Twice(keras.layers.Wrapper):
    ...     def call(self, x):
    ...         return self.layer(self.layer(x))
    >>> layer = Twice(keras.layers.Dense(2, kernel_initializer="ones"))
    >>> layer(np.ones((1, 2), "float32")).numpy().tolist()
    [[4.0, 4.0]]
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 (Keras raises ValueError here)
                f"Layer {layer!r} supplied to {type(self).__name__} isn't a supported layer type. "
                "Please ensure the wrapped layer is a valid Keras layer."
            )
        super().__init__(**kwargs)
        self.layer = layer
        if not self._trainable:
            self.layer.trainable = False

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
            if self.layer._build_shapes is None:
                self.layer._build_shapes = input_shape
        if not self._trainable:  # layers created by the build inherit the frozen state
            self.trainable = False
        self.built = True

    def get_config(self):
        from ...serialization.keras_objects import serialize_layer

        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from ...serialization.keras_objects import deserialize_layer

        config = dict(config)
        layer = deserialize_layer(config.pop("layer"), custom_objects=custom_objects, build=True)
        return cls(layer, **config)
