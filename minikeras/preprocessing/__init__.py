"""`keras.preprocessing`: Keras 3's older names for the dataset utilities in `keras.utils`.

>>> import minikeras as keras
>>> keras.preprocessing.timeseries_dataset_from_array is keras.utils.timeseries_dataset_from_array
True
"""

from ..utils import (
    image_dataset_from_directory,
    text_dataset_from_directory,
    timeseries_dataset_from_array,
)
from . import image, sequence

__all__ = [
    "image",
    "image_dataset_from_directory",
    "sequence",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
]
