"""`Bidirectional`: runs a recurrent layer forwards and a copy of it backwards, then merges."""

import numpy as np

from ...core import ops
from ..layer import Layer
from ..node import flatten

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _copy_layer(layer, name, go_backwards=None):
    from ...serialization.keras_objects import deserialize_layer, serialize_layer

    if go_backwards is not None and not hasattr(layer, "go_backwards"):
        # Keras 3 fails re-creating it with `go_backwards`: a TypeError
        raise TypeError(
            "Bidirectional expects an RNN layer (with `go_backwards` and `return_sequences`). "
            f"Received: {type(layer).__name__} layer '{layer.name}'"
        )
    config = serialize_layer(layer)
    config.pop("build_config", None)
    config["config"]["name"] = name
    if go_backwards is not None:
        config["config"]["go_backwards"] = go_backwards
    return deserialize_layer(config)


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs.

    Args:
        layer: an `RNN` layer (`LSTM`, `GRU`, ...); a fresh copy named `forward_<name>` runs
            forwards, and another named `backward_<name>` with `go_backwards=True` backwards.
        merge_mode: how the two outputs combine: "concat" (default, `[forward, backward]`),
            "sum", "mul", "ave", or None (a list of both).
        weights: optional initial weights, the forward layer's then the backward layer's.
        backward_layer: an explicit layer for the backward direction.

    With `return_sequences` the backward output is re-reversed to line up with the forward one,
    and masked steps output zeros. `initial_state` is split in two halves (forward, backward).
    With `return_state`, the call returns `(output, *forward_states, *backward_states)`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True))
    >>> layer(np.ones((2, 5, 4), "float32")).shape
    (2, 5, 6)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 (Keras raises ValueError here)
                "Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                f"Received: {layer!r}"
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                f"`backward_layer` needs to be a `keras.layers.Layer` instance. Received: "
                f"{backward_layer!r}"
            )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode for Bidirectional. Received: {merge_mode!r}. Merge mode "
                'should be one of {"sum", "mul", "ave", "concat", None}'
            )
        super().__init__(**kwargs)
        self.forward_layer = _copy_layer(layer, "forward_" + layer.name.removeprefix("forward_"))
        if backward_layer is None:
            backward_layer = _copy_layer(
                layer, "backward_" + layer.name.removeprefix("backward_"), go_backwards=True
            )
        self.backward_layer = backward_layer
        self._verify()
        for rnn in (self.forward_layer, self.backward_layer):
            if getattr(rnn, "zero_output_for_mask", None) is not None:
                rnn.zero_output_for_mask = rnn.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = list(weights) if weights else None
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify(self):
        f, b = self.forward_layer, self.backward_layer
        if f.go_backwards == b.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different `go_backwards` values. "
                f"Received: forward_layer.go_backwards={f.go_backwards}, "
                f"backward_layer.go_backwards={b.go_backwards}"
            )
        for attr in ("stateful", "return_sequences", "return_state"):
            if getattr(f, attr) != getattr(b, attr):
                raise ValueError(
                    f"Forward layer and backward layer are expected to have the same value for "
                    f'attribute "{attr}", got "{getattr(f, attr)}" for forward layer and '
                    f'"{getattr(b, attr)}" for backward layer'
                )

    def build(self, sequences_shape, initial_state_shape=None):
        for rnn in (self.forward_layer, self.backward_layer):
            if not rnn.built:
                rnn.build(sequences_shape)
                rnn.built = True
                rnn._build_shapes = tuple(sequences_shape)
        if self._initial_weights:
            half = len(self._initial_weights) // 2
            self.forward_layer.set_weights(self._initial_weights[:half])
            self.backward_layer.set_weights(self._initial_weights[half:])
            self._initial_weights = None
        self.built = True

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {"training": training, "mask": mask}
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = list(initial_state[:half]), list(initial_state[half:])
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = ops.flip(y_rev, axis=1)
        if self.merge_mode == "concat":
            output = ops.concatenate([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = (y, y_rev)
        if self.return_state:
            return (*output, *states) if self.merge_mode is None else (output, *states)
        return output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = next(iter(flatten(mask)), None)
        out = mask if self.return_sequences else None
        masks = [out, out] if self.merge_mode is None else [out]
        if self.return_state and self.states is not None:  # Keras 3: states of a stateful RNN
            n_states = len(self.forward_layer.state_size) + len(self.backward_layer.state_size)
            masks += [None] * n_states
        return masks if len(masks) > 1 else masks[0]

    @property
    def states(self):
        f, b = self.forward_layer.states, self.backward_layer.states
        return tuple(flatten(f) + flatten(b)) if f and b else None

    def reset_state(self, states=None):
        """Zeroes both directions' stored states, or sets them to `states` (the forward
        layer's values, then the backward layer's, in the order of `states`)."""
        if not self.stateful:
            raise AttributeError(f"Layer '{self.name}' must be stateful to reset its states.")
        if states is None:
            self.forward_layer.reset_state()
            self.backward_layer.reset_state()
            return
        values = flatten(states if isinstance(states, (list, tuple)) else [states])
        n_forward = len(flatten(self.forward_layer.states or []))
        self.forward_layer.reset_state(values[:n_forward])
        self.backward_layer.reset_state(values[n_forward:])

    reset_states = reset_state

    def _trace(self, args, kwargs):
        # tracing runs `call` on placeholder data: keep the sub-layers' stored states out of it
        saved = [
            (rnn, getattr(rnn, "states", None)) for rnn in (self.forward_layer, self.backward_layer)
        ]
        values = [
            [np.array(v.data) for v in flatten(s)] if s is not None else None for _, s in saved
        ]
        try:
            return super()._trace(args, kwargs)
        finally:
            for (rnn, s), vals in zip(saved, values):
                if hasattr(rnn, "states"):
                    rnn.states = s
                for v, value in zip(flatten(s) if s is not None else [], vals or []):
                    v.data[...] = value

    def get_config(self):
        from ...serialization.keras_objects import serialize_layer

        return {
            **super().get_config(),
            "merge_mode": self.merge_mode,
            "layer": serialize_layer(self.forward_layer),
            "backward_layer": serialize_layer(self.backward_layer),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from ...serialization.keras_objects import deserialize_layer

        config = dict(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_layer(backward, custom_objects=custom_objects)
        return cls(**config)
