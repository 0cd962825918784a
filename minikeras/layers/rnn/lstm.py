"""`LSTMCell` and `LSTM` (Hochreiter 1997): gates i, f, c, o in the kernels' column blocks."""

import numpy as np

from ... import initializers
from ...core import ops
from ...core.ops import fused_rnn
from .rnn_cell import CellRNN, RecurrentCell


class LSTMCell(RecurrentCell):
    """One LSTM step, the cell that `LSTM` runs over time.

    z = x @ kernel + h @ recurrent_kernel + bias, split into i, f, g, o;
    c = sigmoid(f) c_prev + sigmoid(i) tanh(g); h = sigmoid(o) tanh(c).

    Args:
        units: size of the output and of both states `[h, c]`.
        activation: default `tanh`; recurrent_activation: default `sigmoid` (for the gates).
        unit_forget_bias: initialise the forget-gate block of the bias to ones.
        use_bias, initializers, regularizers, constraints, dropout, recurrent_dropout, seed:
            as `SimpleRNNCell`.

    Weights: `kernel` (input_dim, 4 units), `recurrent_kernel` (units, 4 units), `bias` (4 units,).

    >>> import numpy as np, minikeras as keras
    >>> cell = keras.layers.LSTMCell(3)
    >>> out, (h, c) = cell(np.ones((2, 4), "float32"), cell.get_initial_state(2))
    >>> out.shape, c.shape
    ((2, 3), (2, 3))
    """

    gates = 4

    def __init__(
        self,
        units,
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
        kwargs.pop("implementation", None)
        super().__init__(**kwargs)
        self._configure(
            units,
            activation,
            recurrent_activation,
            use_bias,
            kernel_initializer,
            recurrent_initializer,
            bias_initializer,
            kernel_regularizer,
            recurrent_regularizer,
            bias_regularizer,
            kernel_constraint,
            recurrent_constraint,
            bias_constraint,
            dropout,
            recurrent_dropout,
            seed,
        )
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [units, units]

    def _bias_init(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, init, ones = self.units, self.bias_initializer, initializers.get("ones")

        def forget_ones(shape, dtype=None):  # blocks i, f, c, o: f starts at 1
            parts = [init((units,), dtype), ones((units,), dtype), init((2 * units,), dtype)]
            return np.concatenate([np.asarray(p) for p in parts])

        return forget_ones

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        x, h = self._dropped(inputs, h_prev, training)
        z = ops.matmul(x, self.kernel) + ops.matmul(h, self.recurrent_kernel)
        if self.bias is not None:
            z = z + self.bias
        zi, zf, zc, zo = ops.split(z, 4, axis=-1)
        act, rec = self.activation, self.recurrent_activation
        c = rec(zf) * c_prev + rec(zi) * act(zc)
        h = rec(zo) * act(c)
        return h, [h, c]

    def get_config(self):
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}


class LSTM(CellRNN):
    """Long Short-Term Memory layer (Hochreiter 1997) over `(batch, timesteps, features)`.

    Args:
        units, activation, recurrent_activation, use_bias, initializers, unit_forget_bias,
        regularizers, constraints, dropout, recurrent_dropout, seed: as `LSTMCell` (the layer
            holds one as `cell`).
        activity_regularizer: penalty on the outputs.
        return_sequences, return_state, go_backwards, stateful, unroll: as `RNN`.
        use_cudnn: accepted and ignored.

    With `return_state=True` the call returns `(output, h, c)`. With tanh/sigmoid and no
    recurrent dropout while training, the whole sequence runs in one numba kernel.

    >>> import numpy as np, minikeras as keras
    >>> out, h, c = keras.layers.LSTM(4, return_state=True)(np.ones((2, 3, 5), "float32"))
    >>> out.shape, c.shape
    ((2, 4), (2, 4))
    """

    def __init__(
        self,
        units,
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
        unroll=False,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = LSTMCell(
            units,
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
            name="lstm_cell",
            **self.cell_kwargs(kwargs),
        )
        super().__init__(
            cell,
            activity_regularizer=activity_regularizer,
            use_cudnn=use_cudnn,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            **kwargs,
        )

    def _fused_call(self, sequences, states, mask, training):
        if not self._fast_path_ok(sequences, training):
            return None
        c = self.cell
        return fused_rnn.lstm(
            self._dropped_inputs(sequences, training),
            c.kernel,
            c.recurrent_kernel,
            c.bias,
            states,
            mask,
            self.go_backwards,
            self.zero_output_for_mask,
            self.return_sequences,
        )
