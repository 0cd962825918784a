"""`keras.preprocessing.image`: image file helpers, as in `keras.utils`."""

from ..utils import array_to_img, img_to_array, load_img, save_img
from ..utils.image_utils import smart_resize

__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]
