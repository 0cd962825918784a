"""`GRUCell` and `GRU` (Cho et al. 2014): gates z, r, h; h = z h_prev + (1 - z) candidate."""

from ...core import ops
from ...core.ops import fused_rnn
from .rnn_cell import CellRNN, RecurrentCell


class GRUCell(RecurrentCell):
    """One GRU step with blocks z (update), r (reset), h (candidate) in the kernels' columns.

    `reset_after=True` (default, cuDNN-compatible): n = tanh(x W_h + b_h + r (h U_h + b'_h)),
    with a `(2, 3 units)` bias (row 0 for the inputs, row 1 for the recurrent product).
    `reset_after=False`: n = tanh(x W_h + (r h) U_h + b_h) with a `(3 units,)` bias.

    Args:
        units, activation ("tanh"), recurrent_activation ("sigmoid"), use_bias, initializers,
        regularizers, constraints, dropout, recurrent_dropout, seed: as `LSTMCell`.
        reset_after: where the reset gate applies (see above).

    >>> import numpy as np, minikeras as keras
    >>> cell = keras.layers.GRUCell(3)
    >>> cell(np.ones((2, 4), "float32"), [np.zeros((2, 3), "float32")])[0].shape
    (2, 3)
    """

    gates = 3

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
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
        reset_after=True,
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
        self.reset_after = reset_after
        self.state_size = units

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        h_prev = states[0] if nested else states
        x, h = self._dropped(inputs, h_prev, training)
        u = self.units
        xz, xr, xh = ops.split(ops.matmul(x, self.kernel), 3, axis=-1)
        rk = self.recurrent_kernel
        if self.bias is not None:
            b = self.bias[0] if self.reset_after else self.bias
            xz, xr, xh = xz + b[:u], xr + b[u : 2 * u], xh + b[2 * u :]
        if self.reset_after:
            inner = ops.matmul(h, rk)
            if self.bias is not None:
                inner = inner + self.bias[1]
            hz, hr, hh = inner[:, :u], inner[:, u : 2 * u], inner[:, 2 * u :]
        else:
            hz, hr = ops.matmul(h, rk[:, :u]), ops.matmul(h, rk[:, u : 2 * u])
        z = self.recurrent_activation(xz + hz)
        r = self.recurrent_activation(xr + hr)
        if self.reset_after:
            n = self.activation(xh + r * hh)
        else:
            n = self.activation(xh + ops.matmul(r * h, rk[:, 2 * u :]))
        out = z * h_prev + (1 - z) * n
        return out, ([out] if nested else out)

    def get_config(self):
        return {**super().get_config(), "reset_after": self.reset_after}


class GRU(CellRNN):
    """Gated Recurrent Unit layer (Cho et al. 2014) over `(batch, timesteps, features)`.

    Args:
        units, activation, recurrent_activation, use_bias, initializers, regularizers,
        constraints, dropout, recurrent_dropout, seed, reset_after: as `GRUCell` (the layer holds
            one as `cell`).
        activity_regularizer: penalty on the outputs.
        return_sequences, return_state, go_backwards, stateful, unroll: as `RNN`.
        use_cudnn: accepted and ignored.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.GRU(4, return_sequences=True)(np.ones((2, 3, 5), "float32")).shape
    (2, 3, 4)
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
        reset_after=True,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
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
            reset_after=reset_after,
            seed=seed,
            name="gru_cell",
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
        return fused_rnn.gru(
            self._dropped_inputs(sequences, training),
            c.kernel,
            c.recurrent_kernel,
            c.bias,
            states,
            mask,
            self.go_backwards,
            self.zero_output_for_mask,
            self.return_sequences,
            reset_after=c.reset_after,
        )
