"""`SimpleRNNCell` and `SimpleRNN`: h = activation(x @ kernel + h_prev @ recurrent_kernel + bias)."""

from ...core import ops
from ...core.ops import fused_rnn
from .rnn_cell import CellRNN, RecurrentCell


class SimpleRNNCell(RecurrentCell):
    """One step of a fully-connected RNN whose output is its state.

    Args:
        units: size of the output and state.
        activation: default `tanh`.
        use_bias, kernel_initializer ("glorot_uniform"), recurrent_initializer ("orthogonal"),
        bias_initializer ("zeros"), *_regularizer, *_constraint: as `Dense`.
        dropout, recurrent_dropout: fractions of the inputs / state dropped while training.
        seed: seed of the dropout masks.

    Weights: `kernel` (input_dim, units), `recurrent_kernel` (units, units), `bias` (units,).

    >>> import numpy as np, minikeras as keras
    >>> cell = keras.layers.SimpleRNNCell(3)
    >>> out, states = cell(np.ones((2, 4), "float32"), [np.zeros((2, 3), "float32")])
    >>> out.shape, len(states)
    ((2, 3), 1)
    """

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
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
        self._configure(
            units,
            activation,
            None,
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
        self.state_size = units

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        prev = states[0] if nested else states
        x, h = self._dropped(inputs, prev, training)
        y = ops.matmul(x, self.kernel)
        if self.bias is not None:
            y = y + self.bias
        output = self.activation(y + ops.matmul(h, self.recurrent_kernel))
        return output, ([output] if nested else output)


class SimpleRNN(CellRNN):
    """Fully-connected RNN where the output is fed back as the next input.

    Args:
        units, activation, use_bias, initializers, regularizers, constraints, dropout,
        recurrent_dropout, seed: as `SimpleRNNCell` (the layer holds one as `cell`).
        activity_regularizer: penalty on the outputs.
        return_sequences, return_state, go_backwards, stateful, unroll: as `RNN`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.SimpleRNN(4)(np.ones((2, 3, 5), "float32")).shape
    (2, 4)
    """

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        **kwargs,
    ):
        cell = SimpleRNNCell(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            name="simple_rnn_cell",
            **self.cell_kwargs(kwargs),
        )
        super().__init__(
            cell,
            activity_regularizer=activity_regularizer,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            **kwargs,
        )

    def get_config(self):
        # Keras 3.15.1's SimpleRNN saves no `seed` (its cell does); LSTM and GRU do save it
        return {k: v for k, v in super().get_config().items() if k != "seed"}

    def _fused_call(self, sequences, states, mask, training):
        if not self._fast_path_ok(sequences, training):
            return None
        c = self.cell
        return fused_rnn.simple_rnn(
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
