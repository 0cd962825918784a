"""Convolutional LSTMs (Shi et al. 2015): `ConvLSTM1D`, `ConvLSTM2D`, `ConvLSTM3D` and their cell.

An LSTM whose matrix products are convolutions: inputs `(batch, time, *spatial, channels)`, states
`h` and `c` of shape `(batch, *out_spatial, filters)`. The input convolution uses the layer's
strides, padding and dilation; the recurrent one stride 1, "same" padding and no dilation, so the
state keeps its spatial shape. Gate blocks along the last kernel axis are i, f, c, o, as `LSTM`.
"""

import numpy as np

from ... import activations, constraints, initializers, regularizers
from ...core import ops
from ...core.tensor import Tensor
from ...random import SeedGenerator
from ..convolutional.conv_utils import (
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
    window_output_shape,
)
from ..layer import InputSpec, Layer
from ..node import flatten
from .dropout_rnn_cell import DropoutRNNCell
from .rnn import RNN
from .rnn_cell import CellRNN, _forward

# the cell's arguments that are objects, with the module that (de)serializes each
_OBJECTS = {
    "activation": activations,
    "recurrent_activation": activations,
    "kernel_initializer": initializers,
    "recurrent_initializer": initializers,
    "bias_initializer": initializers,
    "kernel_regularizer": regularizers,
    "recurrent_regularizer": regularizers,
    "bias_regularizer": regularizers,
    "kernel_constraint": constraints,
    "recurrent_constraint": constraints,
    "bias_constraint": constraints,
}


def _per_gate(x, masks):
    """`x` for all gates, or `x` times each gate's dropout mask."""
    return x if masks is None else [x * m for m in masks]


class ConvLSTMCell(Layer, DropoutRNNCell):
    """One ConvLSTM step: `z = conv(x, kernel) + conv(h, recurrent_kernel) + bias` split into
    i, f, g, o along the channels; `c = sigmoid(f) c_prev + sigmoid(i) tanh(g)`,
    `h = sigmoid(o) tanh(c)`.

    Args:
        rank: number of spatial axes (1, 2 or 3).
        filters, kernel_size, strides, padding, data_format, dilation_rate: as `Conv2D`; strides,
            padding and dilation apply to the input convolution only.
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, unit_forget_bias, *_regularizer, *_constraint: as `LSTMCell`.
        dropout, recurrent_dropout, seed: variational dropout with one mask per gate.

    Weights: `kernel` (*kernel_size, channels, 4 filters), `recurrent_kernel`
    (*kernel_size, filters, 4 filters), `bias` (4 filters,). The states' shape is known once the
    cell is built (`state_shape`).

    >>> import numpy as np
    >>> cell = ConvLSTMCell(2, filters=3, kernel_size=3, padding="same")
    >>> cell.build((None, 5, 5, 2))
    >>> out, (h, c) = cell(np.ones((1, 5, 5, 2), "float32"), cell.get_initial_state(1))
    >>> c.shape
    (1, 5, 5, 3)
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if rank not in (1, 2, 3):
            raise ValueError(f"ConvLSTM supports rank 1, 2 or 3. Received: rank={rank!r}")
        if not isinstance(filters, (int, np.integer)) or isinstance(filters, bool) or filters < 1:
            raise ValueError(
                "Invalid value for argument `filters` of ConvLSTM: expected a positive integer. "
                f"Received: filters={filters!r}"
            )
        self.rank, self.filters = rank, int(filters)
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` is not compatible with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        args = locals()
        for name, module in _OBJECTS.items():
            setattr(self, name, module.get(args[name]))
        self.use_bias, self.unit_forget_bias, self.seed = use_bias, unit_forget_bias, seed
        self.seed_generator = SeedGenerator(seed)  # the dropout masks' random state, as Keras 3
        self.dropout = float(min(1.0, max(0.0, dropout)))
        self.recurrent_dropout = float(min(1.0, max(0.0, recurrent_dropout)))
        self.state_size = [-1, -1]  # the state shapes depend on the input's spatial shape
        self.state_shape = None

    @property
    def channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def check_step_shape(self, shape, owner=None):
        """The channel count of one step `shape`; ValueError naming `owner` if it does not fit."""
        owner = owner or self
        what = f"Layer '{owner.name}' ({type(owner).__name__})"
        if len(shape) != self.rank + 2:
            raise ValueError(
                f"{what} expects steps of rank {self.rank + 2} (batch, {self.rank} "
                f"spatial axes, channels); received shape {tuple(shape)}."
            )
        last = self.data_format == "channels_last"
        spatial, channels = (shape[1:-1], shape[-1]) if last else (shape[2:], shape[1])
        if channels is None or None in spatial:
            raise ValueError(
                f"{what} needs known spatial and channel sizes "
                f"({self.data_format}); received step shape {tuple(shape)}."
            )
        for n, k, d in zip(spatial, self.kernel_size, self.dilation_rate):
            if self.padding == "valid" and n < (k - 1) * d + 1:
                raise ValueError(
                    f"{what}: kernel_size {self.kernel_size} (dilation_rate {self.dilation_rate})"
                    f" is larger than the spatial size {tuple(spatial)} with padding='valid'. "
                    f"Received step shape {tuple(shape)}."
                )
        return channels

    def build(self, input_shape):
        channels = self.check_step_shape(input_shape)
        n = 4 * self.filters
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels, n),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, n),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
            name="recurrent_kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(n,),
                initializer=self._bias_init(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        out = window_output_shape(
            tuple(input_shape),
            self.rank,
            self.data_format,
            self.kernel_size,
            self.strides,
            self.dilation_rate,
            self.padding,
            self.filters,
        )
        self.state_shape = tuple(out[1:])
        self.state_size = [self.state_shape, self.state_shape]
        self.input_spec = InputSpec(ndim=self.rank + 2, shape=(None,) + tuple(input_shape[1:]))

    def _bias_init(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        f, init, ones = self.filters, self.bias_initializer, initializers.get("ones")

        def forget_ones(shape, dtype=None):  # blocks i, f, c, o: f starts at 1
            parts = [init((f,), dtype), ones((f,), dtype), init((2 * f,), dtype)]
            return np.concatenate([np.asarray(p) for p in parts])

        return forget_ones

    def get_initial_state(self, batch_size=None):
        if self.state_shape is None:
            raise ValueError(f"Cell '{self.name}' must be built before its states exist.")
        return [ops.zeros((batch_size,) + self.state_shape, dtype=self.compute_dtype)] * 2

    # -- the step ---------------------------------------------------------------------------
    def get_dropout_mask(self, step_input):
        if getattr(self, "_dropout_mask", None) is None:
            self._dropout_mask = [self._make_mask(step_input, self.dropout) for _ in range(4)]
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_state):
        if getattr(self, "_recurrent_dropout_mask", None) is None:
            masks = [self._make_mask(step_state, self.recurrent_dropout) for _ in range(4)]
            self._recurrent_dropout_mask = masks
        return self._recurrent_dropout_mask

    def input_conv(self, inputs):
        """Input part of the 4 gates, with the bias. `inputs`: a tensor, or 4 (one per gate)."""
        z = self._gate_conv(inputs, self.kernel, self.strides, self.padding, self.dilation_rate)
        if self.bias is None:
            return z
        if self.data_format == "channels_last":
            return z + self.bias
        return z + ops.reshape(self.bias, (-1,) + (1,) * self.rank)

    def recurrent_conv(self, h):
        """Recurrent part of the 4 gates (stride 1, "same" padding, no dilation)."""
        return self._gate_conv(h, self.recurrent_kernel, 1, "same", 1)

    def _gate_conv(self, x, kernel, strides, padding, dilation_rate):
        def conv(x, kernel):
            return ops.conv(
                x,
                kernel,
                strides=strides,
                padding=padding,
                data_format=self.data_format,
                dilation_rate=dilation_rate,
            )

        if not isinstance(x, list):  # one convolution for the four gates
            return conv(x, kernel)
        kernels = ops.split(kernel, 4, axis=-1)
        return ops.concatenate([conv(xg, k) for xg, k in zip(x, kernels)], axis=self.channel_axis)

    def dropout_masks(self, step_input, h, training):
        """(input masks, recurrent masks), 4 each, for this sequence; None without dropout."""
        masks = rec_masks = None
        if training and 0.0 < self.dropout < 1.0:
            masks = self.get_dropout_mask(step_input)
        if training and 0.0 < self.recurrent_dropout < 1.0:
            rec_masks = self.get_recurrent_dropout_mask(h)
        return masks, rec_masks

    def gates(self, z, c_prev):
        """`(h, [h, c])` from the summed gate pre-activations `z`."""
        zi, zf, zc, zo = ops.split(z, 4, axis=self.channel_axis)
        act, rec = self.activation, self.recurrent_activation
        c = rec(zf) * c_prev + rec(zi) * act(zc)
        h = rec(zo) * act(c)
        return h, [h, c]

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        masks, rec_masks = self.dropout_masks(inputs, h_prev, training)
        z_in = self.input_conv(_per_gate(inputs, masks))
        z = z_in + self.recurrent_conv(_per_gate(h_prev, rec_masks))
        return self.gates(z, c_prev)

    def get_config(self):
        config = {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": tuple(self.kernel_size),
            "strides": tuple(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": tuple(self.dilation_rate),
            "use_bias": self.use_bias,
            "unit_forget_bias": self.unit_forget_bias,
        }
        config.update(
            {name: module.serialize(getattr(self, name)) for name, module in _OBJECTS.items()}
        )
        config.update(
            dropout=self.dropout, recurrent_dropout=self.recurrent_dropout, seed=self.seed
        )
        return config


class ConvLSTM(CellRNN):
    """Base of `ConvLSTM1D/2D/3D`: an `RNN` over a `ConvLSTMCell` (saved under `cell/`).

    The input convolutions of all time steps run as one batched convolution before the loop.
    """

    rank = None

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        **kwargs,
    ):
        cell = ConvLSTMCell(
            self.rank,
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            name="conv_lstm_cell",
            **self.cell_kwargs(kwargs),
        )
        super().__init__(
            cell,
            activity_regularizer=activity_regularizer,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            **kwargs,
        )
        self.input_spec = InputSpec(ndim=self.rank + 3)

    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) != self.rank + 3:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expects inputs of rank "
                f"{self.rank + 3} (batch, time, {self.rank} spatial axes, channels); received "
                f"shape {tuple(sequences_shape)}."
            )
        step = (sequences_shape[0],) + tuple(sequences_shape[2:])
        self.cell.check_step_shape(step, owner=self)
        RNN.build(self, sequences_shape, initial_state_shape)
        # every axis but batch and time is fixed: the states' shape depends on it
        fixed = {axis: n for axis, n in enumerate(sequences_shape) if axis > 1}
        self.input_spec = InputSpec(ndim=self.rank + 3, axes=fixed)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        """By arithmetic, as Keras 3 (unknown spatial sizes stay unknown; a traced run would
        build the states for one size)."""
        cell = self.cell
        batch, steps = sequences_shape[0], sequences_shape[1]
        step = window_output_shape(
            (batch,) + tuple(sequences_shape[2:]),
            self.rank,
            cell.data_format,
            cell.kernel_size,
            cell.strides,
            cell.dilation_rate,
            cell.padding,
            cell.filters,
        )
        out = (batch, steps) + step[1:] if self.return_sequences else step
        return (out, step, step) if self.return_state else out

    def _check_initial_state(self, initial_state, batch, dtype):
        states = initial_state if isinstance(initial_state, (list, tuple)) else [initial_state]
        expected = [(batch,) + self.cell.state_shape] * 2
        got = [tuple(np.shape(getattr(s, "data", s))) for s in states]
        if got != expected:
            raise ValueError(
                f"Layer '{self.name}' expects initial_state to be 2 tensors [h, c] of shapes "
                f"{expected}. Received {len(states)} with shapes {got}."
            )
        return [
            ops.cast(s if isinstance(s, Tensor) else Tensor(np.asarray(s)), dtype) for s in states
        ]

    def _fused_call(self, sequences, states, mask, training):
        """The loop of `RNN._loop`, with the input convolution of every step done at once."""
        cell, (batch, steps) = self.cell, sequences.shape[:2]
        masks, rec_masks = cell.dropout_masks(sequences[:, 0], states[0], training)
        masks = None if masks is None else [ops.expand_dims(m, 1) for m in masks]  # all steps
        # the inputs of all steps as one batch: (batch * steps, *spatial, channels)
        flat = [
            ops.reshape(x, (batch * steps,) + tuple(sequences.shape[2:]))
            for x in flatten([_per_gate(sequences, masks)])
        ]
        z_in = cell.input_conv(flat if masks is not None else flat[0])
        z_in = ops.reshape(z_in, (batch, steps) + tuple(z_in.shape[1:]))
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs, prev = [], None
        for t in order:
            z = z_in[:, t] + cell.recurrent_conv(_per_gate(states[0], rec_masks))
            out, new = cell.gates(z, states[1])
            if mask is not None:  # a masked step keeps the states and repeats the last output
                m = mask[:, t].reshape((-1,) + (1,) * (out.ndim - 1))
                fill = ops.zeros_like(out) if self.zero_output_for_mask or prev is None else prev
                out = ops.where(m, out, fill)
                new = [ops.where(m, n, o) for n, o in zip(new, states)]
            states, prev = new, out
            outputs.append(out)
        sequence = ops.stack(outputs, axis=1) if self.return_sequences else None
        return outputs[-1], sequence, list(states)


for _name in (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "state_shape",
):
    setattr(ConvLSTM, _name, _forward(_name))


_ARGS = """
    Args:
        filters: number of output channels (of `h` and `c`).
        kernel_size, strides, dilation_rate: an int or one int per spatial axis (strides and
            dilation apply to the input convolution; `strides > 1` excludes `dilation_rate > 1`).
        padding: "valid" or "same", for the input convolution (the recurrent one is "same").
        data_format: "channels_last" (`(batch, time, *spatial, channels)`) or "channels_first"
            (`(batch, time, channels, *spatial)`); None means `image_data_format()`.
        activation: default `tanh`; recurrent_activation: default `sigmoid` (for the gates).
        use_bias, kernel_initializer ("glorot_uniform"), recurrent_initializer ("orthogonal"),
        bias_initializer ("zeros"), unit_forget_bias, *_regularizer, activity_regularizer,
        *_constraint: as `LSTM`.
        dropout, recurrent_dropout, seed: fractions of the inputs / states dropped while training.
        return_sequences, return_state, go_backwards, stateful: as `RNN`.

    Weights (under `cell`): `kernel` (*kernel_size, channels, 4 filters), `recurrent_kernel`
    (*kernel_size, filters, 4 filters), `bias` (4 filters,); gate blocks i, f, c, o.
    With `return_state=True` the call returns `(output, h, c)`.
"""


class ConvLSTM1D(ConvLSTM):
    __doc__ = f"""1-D convolutional LSTM over `(batch, time, steps, channels)`.
    {_ARGS}
    >>> import numpy as np, minikeras as keras
    >>> keras.layers.ConvLSTM1D(4, 3)(np.ones((2, 5, 8, 3), "float32")).shape
    (2, 6, 4)
    """

    rank = 1


class ConvLSTM2D(ConvLSTM):
    __doc__ = f"""2-D convolutional LSTM over `(batch, time, rows, cols, channels)`.
    {_ARGS}
    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.ConvLSTM2D(4, 3, padding="same", return_sequences=True)
    >>> layer(np.ones((2, 5, 8, 8, 3), "float32")).shape
    (2, 5, 8, 8, 4)
    """

    rank = 2


class ConvLSTM3D(ConvLSTM):
    __doc__ = f"""3-D convolutional LSTM over `(batch, time, depth, rows, cols, channels)`.
    {_ARGS}
    >>> import numpy as np, minikeras as keras
    >>> keras.layers.ConvLSTM3D(2, 2)(np.ones((1, 3, 4, 4, 4, 2), "float32")).shape
    (1, 3, 3, 3, 2)
    """

    rank = 3
