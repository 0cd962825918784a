"""What SimpleRNNCell/LSTMCell/GRUCell and SimpleRNN/LSTM/GRU share: arguments, weights, config."""

from ... import activations, constraints, initializers, regularizers
from ...core import ops
from ...random import SeedGenerator
from ..layer import InputSpec, Layer
from .dropout_rnn_cell import DropoutRNNCell
from .rnn import RNN

_FAST_DTYPES = ("float32", "float64")


def is_activation(fn, name):
    """True when `fn` is Keras's activation `name` (the whole-sequence kernels hard-code them)."""
    try:
        return activations.serialize(fn) == name
    except (ValueError, TypeError):
        return False


class RecurrentCell(Layer, DropoutRNNCell):
    """Base of the built-in cells: `kernel`, `recurrent_kernel`, `bias` with `gates` column blocks.

    Subclasses call `_configure` from `__init__` (after `Layer.__init__`) and define `call`.
    """

    gates = 1

    def _configure(
        self,
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
    ):
        if not isinstance(units, (int, float)):  # Keras 3 fails comparing it: a TypeError
            raise TypeError(
                f"Invalid type for argument `units` of {type(self).__name__}: expected a positive "
                f"integer. Received: units={units!r} of type {type(units).__name__}"
            )
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"Received an invalid value for argument `units` of {type(self).__name__}, "
                f"expected a positive integer. Received: units={units!r}"
            )
        self.units = units
        self.activation = activations.get(activation)
        if recurrent_activation is not None:
            self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = float(min(1.0, max(0.0, dropout)))
        self.recurrent_dropout = float(min(1.0, max(0.0, recurrent_dropout)))
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)  # the dropout masks' random state, as Keras 3
        self.output_size = units

    def build(self, input_shape):
        if not input_shape:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects inputs of shape (batch, features). "
                "Received a scalar (shape ())."
            )
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"The last dimension of the input to {type(self).__name__} '{self.name}' must be "
                f"known. Received input_shape={tuple(input_shape)}"
            )
        n = self.gates * self.units
        self.kernel = self.add_weight(
            shape=(input_dim, n),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, n),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
            name="recurrent_kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self._bias_shape(),
                initializer=self._bias_init(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self.input_spec = InputSpec(axes={-1: input_dim})

    def _bias_shape(self):
        return (self.gates * self.units,)

    def _bias_init(self):
        return self.bias_initializer

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, list) else [self.state_size]
        return [ops.zeros((batch_size, s), dtype=self.compute_dtype) for s in sizes]

    def get_config(self):
        config = {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
        }
        if hasattr(self, "recurrent_activation"):
            config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config.update(
            use_bias=self.use_bias,
            kernel_initializer=initializers.serialize(self.kernel_initializer),
            recurrent_initializer=initializers.serialize(self.recurrent_initializer),
            bias_initializer=initializers.serialize(self.bias_initializer),
            kernel_regularizer=regularizers.serialize(self.kernel_regularizer),
            recurrent_regularizer=regularizers.serialize(self.recurrent_regularizer),
            bias_regularizer=regularizers.serialize(self.bias_regularizer),
            kernel_constraint=constraints.serialize(self.kernel_constraint),
            recurrent_constraint=constraints.serialize(self.recurrent_constraint),
            bias_constraint=constraints.serialize(self.bias_constraint),
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            seed=self.seed,
        )
        return config


_CELL_ATTRS = (
    "units",
    "activation",
    "recurrent_activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "unit_forget_bias",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "reset_after",
)


class CellRNN(RNN):
    """Base of SimpleRNN, LSTM and GRU: an `RNN` over its own cell, saved under `cell/`.

    The cell's arguments read through (`layer.units`, ...) and the config is flat, as Keras's.
    With the default activations, and no recurrent dropout while training, `_fused_call` runs the
    whole sequence, forward and backward, as one op (see `minikeras/core/ops/fused_rnn.py`).
    """

    def __init__(self, cell, activity_regularizer=None, use_cudnn="auto", **kwargs):
        kwargs.pop("implementation", None)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                "Invalid value for argument `use_cudnn`: expected one of 'auto', True, False. "
                f"Received: use_cudnn={use_cudnn!r}"
            )
        super().__init__(cell, **kwargs)
        self.use_cudnn = use_cudnn  # accepted for Keras compatibility; there is no GPU here
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.input_spec = InputSpec(ndim=3)

    @staticmethod
    def cell_kwargs(kwargs):
        """The Layer arguments a new cell shares with its RNN layer."""
        return {"dtype": kwargs.get("dtype"), "trainable": kwargs.get("trainable", True)}

    def build(self, sequences_shape, initial_state_shape=None):
        super().build(sequences_shape, initial_state_shape)
        self.input_spec = InputSpec(ndim=3, axes={-1: sequences_shape[-1]})

    def _fast_path_ok(self, sequences, training):
        cell = self.cell
        if training and 0.0 < cell.recurrent_dropout < 1.0:
            return False
        if sequences.dtype.name not in _FAST_DTYPES or cell.kernel.dtype != sequences.dtype:
            return False
        if not is_activation(cell.activation, "tanh"):
            return False
        return not hasattr(cell, "recurrent_activation") or is_activation(
            cell.recurrent_activation, "sigmoid"
        )

    def _dropped_inputs(self, sequences, training):
        cell = self.cell
        if training and 0.0 < cell.dropout < 1.0:  # one mask for all steps, as the cell does
            mask = cell.get_dropout_mask(sequences[:, 0])
            return sequences * ops.expand_dims(mask, 1)
        return sequences

    def get_config(self):
        config = super().get_config()
        config.pop("cell")
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key)
        config.update(cell_config)
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


def _forward(name):
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


for _name in _CELL_ATTRS:
    setattr(CellRNN, _name, _forward(_name))
