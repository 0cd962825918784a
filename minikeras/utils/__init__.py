"""`keras.utils`: random seeds, data helpers and small utilities."""

from ..core.switches import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from .audio_dataset_utils import audio_dataset_from_directory
from .batch_utils import pack_x_y_sample_weight, unpack_x_y_sample_weight
from . import legacy
from .config import Config
from .dataset_utils import split_dataset
from .file_utils import get_file
from .image_dataset_utils import (
    array_to_img,
    image_dataset_from_directory,
    img_to_array,
    load_img,
    save_img,
)
from .model_visualization import model_to_dot, plot_model
from ..backend import clear_session
from .numerical_utils import normalize, to_categorical
from .progbar import Progbar
from .py_dataset import PyDataset, Sequence
from .random import set_random_seed
from .sequence_utils import pad_sequences
from .summary_utils import print_summary
from .tensor_utils import get_source_inputs, is_keras_tensor, standardize_dtype
from .text_dataset_utils import text_dataset_from_directory
from .timeseries_dataset_utils import timeseries_dataset_from_array

__all__ = [
    "PyDataset",
    "audio_dataset_from_directory",
    "Sequence",
    "clear_session",
    "normalize",
    "pad_sequences",
    "print_summary",
    "set_random_seed",
    "split_dataset",
    "to_categorical",
    "array_to_img",
    "get_file",
    "image_dataset_from_directory",
    "img_to_array",
    "load_img",
    "save_img",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "pack_x_y_sample_weight",
    "unpack_x_y_sample_weight",
    "model_to_dot",
    "plot_model",
    "Config",
    "Progbar",
    "get_source_inputs",
    "is_keras_tensor",
    "standardize_dtype",
    "enable_interactive_logging",
    "disable_interactive_logging",
    "is_interactive_logging_enabled",
    "FeatureSpace",
    "legacy",
]

_FROM_SAVING = {
    "register_keras_serializable": "register_keras_serializable",
    "get_custom_objects": "get_custom_objects",
    "custom_object_scope": "CustomObjectScope",
    "CustomObjectScope": "CustomObjectScope",
    "get_registered_name": "get_registered_name",
    "get_registered_object": "get_registered_object",
    "serialize_keras_object": "serialize_keras_object",
    "deserialize_keras_object": "deserialize_keras_object",
}


def __getattr__(name):
    if name == "FeatureSpace":  # it builds on the layers floor, which loads after this package
        from .feature_space import FeatureSpace

        globals()[name] = FeatureSpace
        return FeatureSpace
    # Keras 3 also exposes the serialization helpers under keras.utils; they live in saving,
    # which imports layers, so they load on first use
    if name in _FROM_SAVING:
        from .. import saving
        from ..serialization import registry

        value = getattr(saving, _FROM_SAVING[name], None) or getattr(registry, _FROM_SAVING[name])
        globals()[name] = value
        return value
    raise AttributeError(f"module 'minikeras.utils' has no attribute {name!r}")
