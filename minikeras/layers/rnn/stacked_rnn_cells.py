"""`StackedRNNCells`: several cells run as one, each feeding its output to the next."""

from ..layer import Layer
from ..node import flatten


class StackedRNNCells(Layer):
    """Wraps a list of RNN cells into one cell (what `RNN([cell1, cell2])` builds).

    Args:
        cells: the cells, applied in order at every step.

    Its `state_size` is the list of the cells' state sizes; the states passed to `call` are one
    entry (a list of tensors) per cell.

    >>> import numpy as np, minikeras as keras
    >>> cells = [keras.layers.LSTMCell(4), keras.layers.GRUCell(3)]
    >>> keras.layers.RNN(cells)(np.ones((2, 5, 6), "float32")).shape
    (2, 3)
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
                raise ValueError(
                    "All cells of StackedRNNCells must have a `call` method and a `state_size` "
                    f"attribute. Received cell={cell!r}"
                )
        self.cells = list(cells)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        size = last.state_size
        return size[0] if isinstance(size, (list, tuple)) else size

    def get_initial_state(self, batch_size=None):
        from ...core import ops

        states = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn is not None:
                s = fn(batch_size=batch_size)
            else:
                sizes = (
                    cell.state_size
                    if isinstance(cell.state_size, (list, tuple))
                    else [cell.state_size]
                )
                s = [ops.zeros((batch_size, n), dtype=self.compute_dtype) for n in sizes]
            states.append(list(s) if isinstance(s, (list, tuple)) else [s])
        return states

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            is_list = isinstance(cell_states, (list, tuple))
            cell_states = list(cell_states) if is_list else [cell_states]
            kwargs = {"training": training} if getattr(cell, "_call_has_training", False) else {}
            fn = cell if callable(cell) else cell.call
            inputs, out_states = fn(inputs, cell_states, **kwargs)
            out_states = list(out_states) if isinstance(out_states, (list, tuple)) else [out_states]
            new_states.append(out_states if is_list else out_states[0])
        return inputs, new_states

    def build(self, input_shape):
        batch = flatten(input_shape)[0] if isinstance(input_shape, (list, tuple)) else None
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            size = getattr(cell, "output_size", None)
            if size is None:
                size = (
                    cell.state_size[0]
                    if isinstance(cell.state_size, (list, tuple))
                    else cell.state_size
                )
            input_shape = (batch, size)
        self.built = True

    def get_config(self):
        from ...serialization.keras_objects import serialize_layer

        return {**super().get_config(), "cells": [serialize_layer(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from ...serialization.keras_objects import deserialize_layer

        config = dict(config)
        cells = [deserialize_layer(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
