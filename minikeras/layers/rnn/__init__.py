"""Recurrent layers: cells, the generic `RNN` loop, SimpleRNN/LSTM/GRU and `Bidirectional`."""

from .bidirectional import Bidirectional
from .conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
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
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "GRUCell",
    "LSTMCell",
    "SimpleRNN",
    "SimpleRNNCell",
    "StackedRNNCells",
]
