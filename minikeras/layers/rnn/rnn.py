"""`RNN`: runs any cell over the time axis, with Keras's masking, initial and stateful states."""

import numpy as np

from ...core import ops
from ...core.autodiff import no_grad
from ...core.tensor import Tensor
from ...core.variable import Variable
from ..layer import InputSpec, Layer
from ..node import flatten
from .stacked_rnn_cells import StackedRNNCells


def pack_like(structure, flat):
    """Rebuilds the nesting of `structure` (lists/tuples) from the leaves in `flat`."""
    it = iter(flat)

    def build(s):
        if isinstance(s, (list, tuple)):
            return type(s)(build(x) for x in s)
        return next(it)

    return build(structure)


def _state_shape(batch, size):
    return (batch,) + (tuple(size) if isinstance(size, (list, tuple)) else (int(size),))


class RNN(Layer):
    """Base class for recurrent layers: applies `cell` to every time step of a sequence.

    Args:
        cell: an RNN cell (a layer with `call(inputs, states)` returning `(output, new_states)`,
            a `state_size` and optionally `output_size` and `get_initial_state(batch_size)`),
            or a list of cells (stacked with `StackedRNNCells`).
        return_sequences: return the whole output sequence instead of the last output.
        return_state: also return the last states: the call returns `(output, *states)`.
        go_backwards: process the sequence backwards (the output sequence is reversed too).
        stateful: the last states of a batch are the initial states of the next one.
        unroll: accepted for Keras compatibility (the loop is always a Python loop).
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Call arguments:
        sequences: `(batch, timesteps, ...)`.
        initial_state: a tensor or list of tensors, one per state of the cell.
        mask: `(batch, timesteps)` booleans; a masked step keeps the states unchanged.
        training: passed to the cell (dropout).

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RNN(keras.layers.SimpleRNNCell(4), return_sequences=True)
    >>> layer(np.ones((2, 3, 5), "float32")).shape
    (2, 3, 4)
    """

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ):
        if isinstance(cell, (list, tuple)):
            dtype = kwargs.get("dtype") or getattr(cell[0], "dtype", None) if cell else None
            cell = StackedRNNCells(cell, dtype=dtype)
        if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
            raise ValueError(
                "Argument `cell` of RNN should have a `call` method and a `state_size` "
                f"attribute. Received: cell={cell!r}"
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)
        self.states = None
        size = cell.state_size
        self.single_state = not isinstance(size, (list, tuple))
        self.state_size = [size] if self.single_state else list(size)

    # -- states ---------------------------------------------------------------------------------
    def get_initial_state(self, batch_size):
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is None:
            return [
                ops.zeros(_state_shape(batch_size, s), dtype=self.compute_dtype)
                for s in self.state_size
            ]
        state = fn(batch_size=batch_size)
        return list(state) if isinstance(state, (list, tuple)) else [state]

    def build(self, sequences_shape, initial_state_shape=None):
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            self.cell.built = True
        if self.stateful and sequences_shape[0] is not None and self.states is None:
            self._create_state_variables(sequences_shape[0])
        self.built = True

    def _create_state_variables(self, batch_size):
        with no_grad():
            init = self.get_initial_state(batch_size)
        leaves = [
            Variable(
                np.array(s.data if isinstance(s, Tensor) else s), trainable=False, name="rnn_state"
            )
            for s in flatten(init)
        ]
        self.states = pack_like(init, leaves)

    def reset_state(self, states=None):
        """Zeroes the stored states of a stateful layer, or sets them to `states` (arrays)."""
        if self.states is None:
            if states is not None:
                raise ValueError(
                    f"Layer '{self.name}' has no stored states to set yet: build it (call it on "
                    "data) before `reset_state(states)`."
                )
            return
        variables = flatten(self.states)
        if states is None:
            values = [np.zeros(v.shape, v.dtype) for v in variables]
        else:
            values = flatten(states if isinstance(states, (list, tuple)) else [states])
            if len(values) != len(variables):
                raise ValueError(
                    f"Layer '{self.name}' has {len(variables)} states; reset_state received "
                    f"{len(values)} values."
                )
        for v, value in zip(variables, values):
            v.assign(np.asarray(getattr(value, "data", value)))

    reset_states = reset_state

    def _check_initial_state(self, initial_state, batch, dtype):
        states = initial_state if isinstance(initial_state, (list, tuple)) else [initial_state]
        expected = [_state_shape(batch, s) for s in flatten(self.state_size)]
        flat = flatten(list(states))
        got = [tuple(np.shape(getattr(s, "data", s))) for s in flat]
        if len(states) != len(self.state_size) or got != expected:
            raise ValueError(
                f"Layer '{self.name}' expects initial_state to be {len(self.state_size)} "
                f"tensor(s) of shapes {expected}. Received {len(states)} with shapes {got}."
            )
        cast = [
            ops.cast(s if isinstance(s, Tensor) else Tensor(np.asarray(s)), dtype) for s in flat
        ]
        return pack_like(list(states), cast)

    def _standardize_mask(self, mask, batch, steps):
        if mask is None:
            return None
        if isinstance(mask, (list, tuple)):
            mask = next(iter(flatten(mask)), None)
            if mask is None:
                return None
        m = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
        if m.shape != (batch, steps):
            raise ValueError(
                f"Layer '{self.name}' expects a mask of shape (batch, timesteps) = "
                f"{(batch, steps)}. Received a mask of shape {m.shape}."
            )
        return m.astype(bool)

    # -- call -----------------------------------------------------------------------------------
    def call(self, sequences, initial_state=None, mask=None, training=False):
        batch, steps = sequences.shape[0], sequences.shape[1]
        if steps == 0:
            raise ValueError(
                f"Layer '{self.name}' needs at least one timestep. "
                f"Received inputs of shape {sequences.shape}."
            )
        mask = self._standardize_mask(mask, batch, steps)
        if initial_state is None:
            if self.stateful:
                if self.states is None:
                    self._create_state_variables(batch)
                if flatten(self.states)[0].shape[0] != batch:
                    raise ValueError(
                        f"Stateful layer '{self.name}' holds states for batch size "
                        f"{flatten(self.states)[0].shape[0]}; received a batch of {batch}."
                    )
                initial_state = self.states
            else:
                initial_state = self.get_initial_state(batch)
        states = self._check_initial_state(initial_state, batch, sequences.dtype)
        result = self._fused_call(sequences, states, mask, training)
        if result is None:
            result = self._loop(sequences, states, mask, training)
        last_output, outputs, new_states = result
        self._reset_dropout_masks(self.cell)
        if self.stateful:
            for v, s in zip(flatten(self.states), flatten(new_states)):
                v.assign(s.data)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *new_states)
        return output

    def _fused_call(self, sequences, states, mask, training):
        """A whole-sequence implementation for built-in cells; None means use the loop."""

    def _loop(self, sequences, states, mask, training):
        """Keras's `rnn` loop: returns (last_output, outputs or None, final states)."""
        cell = self.cell
        kwargs = {}
        if isinstance(cell, Layer) and cell._call_has_training:
            kwargs["training"] = training
        call = cell if callable(cell) else cell.call
        steps = sequences.shape[1]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs, prev = [], None
        for t in order:
            out, new = call(sequences[:, t], states, **kwargs)
            new = list(new) if isinstance(new, (list, tuple)) else [new]
            if mask is not None:  # a masked step keeps the states and repeats the last output
                m = mask[:, t]
                fill = ops.zeros_like(out) if self.zero_output_for_mask or prev is None else prev
                out = ops.where(m.reshape((-1,) + (1,) * (out.ndim - 1)), out, fill)
                flat = [
                    ops.where(m.reshape((-1,) + (1,) * (o.ndim - 1)), n, o)
                    for n, o in zip(flatten(new), flatten(states))
                ]
                new = pack_like(states, flat)
            states, prev = new, out
            outputs.append(out)
        sequence = ops.stack(outputs, axis=1) if self.return_sequences else None
        return outputs[-1], sequence, list(states)

    @staticmethod
    def _reset_dropout_masks(cell):
        for c in [cell] + list(getattr(cell, "cells", [])):
            if hasattr(c, "reset_dropout_mask"):
                c.reset_dropout_mask()
                c.reset_recurrent_dropout_mask()

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = next(iter(flatten(mask)), None)
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    def _trace(self, args, kwargs):
        # tracing runs `call` on placeholder data: keep the stored states out of it
        saved = self.states
        values = [np.array(v.data) for v in flatten(saved)] if saved is not None else None
        try:
            return super()._trace(args, kwargs)
        finally:
            self.states = saved
            if saved is not None:
                for v, value in zip(flatten(saved), values):
                    v.data[...] = value

    def get_config(self):
        from ...serialization.keras_objects import serialize_layer

        config = {
            **super().get_config(),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }
        config["cell"] = serialize_layer(self.cell)  # subclasses holding their own cell drop it
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from ...serialization.keras_objects import deserialize_layer

        config = dict(config)
        cell = deserialize_layer(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)
