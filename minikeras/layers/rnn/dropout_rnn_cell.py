"""`DropoutRNNCell`: dropout masks that stay fixed across the time steps of one sequence."""

from ...core.tensor import Tensor
from ...utils import random as _random


class DropoutRNNCell:
    """Mixin for cells with `dropout` and `recurrent_dropout` (and `seed`).

    A mask is drawn on first use and reused at every step until `RNN` resets it after the
    sequence ("variational" dropout: the same units are dropped at each step). Kept entries are
    scaled by `1 / (1 - rate)`. One mask is shared by all gates.
    """

    def _dropout_rng(self):
        rng = getattr(self, "_rng", None)
        if rng is None:
            rng = self._rng = _random.make_rng(self.seed)
        return rng

    def _make_mask(self, like, rate):
        keep = self._dropout_rng().random(tuple(like.shape)) >= rate
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
