"""`keras.utils`: random seeds, data helpers and small utilities."""

from .dataset_utils import split_dataset
from .file_utils import get_file
from .image_dataset_utils import (array_to_img, image_dataset_from_directory, img_to_array,
                                  load_img, save_img)  # fmt: skip
from .naming import reset_names as clear_session
from .numerical_utils import normalize, to_categorical
from .py_dataset import PyDataset, Sequence
from .random import set_random_seed
from .sequence_utils import pad_sequences
from .summary_utils import print_summary
from .text_dataset_utils import text_dataset_from_directory

__all__ = [
    "PyDataset", "Sequence", "clear_session", "normalize", "pad_sequences", "print_summary",
    "set_random_seed", "split_dataset", "to_categorical",
    "array_to_img", "get_file", "image_dataset_from_directory", "img_to_array", "load_img",
    "save_img", "text_dataset_from_directory",
]  # fmt: skip
