"""`keras.utils`: random seeds, data helpers and small utilities."""

from .naming import reset_names as clear_session
from .py_dataset import PyDataset, Sequence
from .random import set_random_seed
