"""Recurrent layers: cells, the generic `RNN` loop, SimpleRNN/LSTM/GRU and `Bidirectional`."""

from .bidirectional import Bidirectional
from .gru import GRU, GRUCell
from .lstm import LSTM, LSTMCell
from .rnn import RNN
from .simple_rnn import SimpleRNN, SimpleRNNCell
from .stacked_rnn_cells import StackedRNNCells

__all__ = [
           "GRU",
           "LSTM",
           "RNN",
           "Bidirectional",
           "GRUCell",
           "LSTMCell",
           "SimpleRNN",
           "SimpleRNNCell",
           "StackedRNNCells",
]  # fmt: skip
