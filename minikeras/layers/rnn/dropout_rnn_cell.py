"""`DropoutRNNCell`: dropout masks that stay fixed across the time steps of one sequence."""

from ...core.tensor import Tensor
from ...random.seed_generator import SeedGenerator, draw_rng


class DropoutRNNCell:
    """Mixin for cells with `dropout` and `recurrent_dropout` (and `seed`).

    A mask is drawn on first use and reused at every step until `RNN` resets it after the
    sequence ("variational" dropout: the same units are dropped at each step). Kept entries are
    scaled by `1 / (1 - rate)`. One mask is shared by all gates. Masks are drawn from
    `self.seed_generator`, a `keras.random.SeedGenerator(seed)` the cell makes in `__init__`
    (as Keras 3's cells do, whatever the dropout rates).
    """

    def _make_mask(self, like, rate):
        if getattr(self, "seed_generator", None) is None:  # a cell that did not make one
            self.seed_generator = SeedGenerator(getattr(self, "seed", None))
        keep = draw_rng(self.seed_generator).random(tuple(like.shape)) >= rate
        return Tensor((keep / (1.0 - rate)).astype(like.dtype))

    def get_dropout_mask(self, step_input):
        if getattr(self, "_dropout_mask", None) is None:
            self._dropout_mask = self._make_mask(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_state):
        if getattr(self, "_recurrent_dropout_mask", None) is None:
            self._recurrent_dropout_mask = self._make_mask(step_state, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None

    def _dropped(self, inputs, state, training):
        """`(inputs, state)` with the dropout masks applied when training."""
        if training and 0.0 < self.dropout < 1.0:
            inputs = inputs * self.get_dropout_mask(inputs)
        if training and 0.0 < self.recurrent_dropout < 1.0:
            state = state * self.get_recurrent_dropout_mask(state)
        return inputs, state
