"""`keras.utils`: random seeds, data helpers and small utilities."""

from .dataset_utils import split_dataset
from .naming import reset_names as clear_session
from .numerical_utils import normalize, to_categorical
from .py_dataset import PyDataset, Sequence
from .random import set_random_seed
from .sequence_utils import pad_sequences
from .summary_utils import print_summary

__all__ = [
    "PyDataset", "Sequence", "clear_session", "normalize", "pad_sequences", "print_summary",
    "set_random_seed", "split_dataset", "to_categorical",
]  # fmt: skip
