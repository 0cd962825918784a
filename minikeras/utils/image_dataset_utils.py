"""Images from files: `image_dataset_from_directory`, `load_img`, `img_to_array`,
`array_to_img` and `save_img`.

Decoding and encoding image files needs Pillow (`pip install pillow`, or the `image` extra:
`pip install minikeras[image]`); it is imported only when one of these functions runs.
`image_dataset_from_directory` resizes with Keras's half-pixel rule without antialiasing for
"bilinear" and "nearest" (as TensorFlow's `resize`); "bicubic", "area" and "lanczos3" use
Pillow's antialiased filters, so their values differ slightly from Keras's. Grayscale
conversion is Pillow's (ITU-R 601-2 luma).
"""

import os
import pathlib
import warnings

import numpy as np

from .directory_utils import from_directory

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}
_PIL_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
_PIL_FILTERS = {"bicubic": "BICUBIC", "area": "BOX", "lanczos3": "LANCZOS"}
PIL_INTERPOLATION_METHODS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def _pil():
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError(
            "Reading and writing image files needs Pillow, which is not installed. Install it "
            "with `pip install pillow` (or `pip install minikeras[image]`)."
        ) from e
    return Image


def _data_format(value):
    from .. import config

    value = config.image_data_format() if value is None else str(value).lower()
    if value not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be one of 'channels_first', 'channels_last'. "
            f"Received: data_format={value!r}"
        )
    return value


def _resize(img, height, width, interpolation):
    """A float32 `(h, w, c)` image resized to `(height, width, c)`."""
    h, w = img.shape[:2]
    if (h, w) == (height, width):
        return img
    if interpolation in _PIL_FILTERS:  # Pillow's filters, one float channel ("F" mode) at a time
        Image = _pil()
        flt = getattr(Image.Resampling, _PIL_FILTERS[interpolation])
        planes = [np.ascontiguousarray(img[..., c]) for c in range(img.shape[2])]
        planes = [np.asarray(Image.fromarray(p, "F").resize((width, height), flt)) for p in planes]
        return np.stack(planes, axis=-1).astype("float32")
    from ..layers.preprocessing.image_utils import linear_weights, nearest_indices

    if interpolation == "nearest":
        return img[nearest_indices(h, height)][:, nearest_indices(w, width)]
    img = np.einsum("oh,hwc->owc", linear_weights(h, height), img)
    return np.einsum("pw,owc->opc", linear_weights(w, width), img).astype("float32")


def _load_for_dataset(path, color_mode, image_size, interpolation, crop, pad, data_format):
    Image = _pil()
    with Image.open(path) as img:  # a GIF gives its first frame
        x = np.asarray(img.convert(_PIL_MODES[color_mode]), dtype="float32")
    x = x.reshape(x.shape[0], x.shape[1], -1)
    height, width = image_size
    h, w = x.shape[:2]
    if crop:  # the largest centred window of the target aspect ratio, then resize
        from ..layers.preprocessing.image_utils import aspect_crop

        top, left, ch, cw = aspect_crop(h, w, height, width)
        x = _resize(x[top : top + ch, left : left + cw], height, width, interpolation)
    elif pad:  # fit inside the target keeping the aspect ratio, centred on zeros
        ratio = max(w / width, h / height)
        nh, nw = max(int(h / ratio), 1), max(int(w / ratio), 1)
        out = np.zeros((height, width, x.shape[2]), "float32")
        top, left = (height - nh) // 2, (width - nw) // 2
        out[top : top + nh, left : left + nw] = _resize(x, nh, nw, interpolation)
        x = out
    else:
        x = _resize(x, height, width, interpolation)
    return np.ascontiguousarray(x.transpose(2, 0, 1) if data_format == "channels_first" else x)


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode="rgb",
    batch_size=32,
    image_size=(256, 256),
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    interpolation="bilinear",
    follow_links=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    data_format=None,
    verbose=True,
):
    """A dataset of image batches from a directory with one subdirectory per class.

    `main_directory/class_a/a_image_1.jpg`, `main_directory/class_b/b_image_1.png`, ... give
    images labelled 0 (class_a) and 1 (class_b): classes are the subdirectories in
    alphanumeric order. Formats: .bmp, .gif (first frame), .jpeg, .jpg, .png. Needs Pillow.

    Args:
        directory: the data directory.
        labels: `"inferred"` (from the subdirectories), None (no labels), or a list/tuple of
            int labels, one per image file in the alphanumeric order of their paths.
        label_mode: `"int"` (int32 `(batch,)`), `"categorical"` (float32 one-hot),
            `"binary"` (float32 `(batch, 1)`, exactly two classes) or None (images only).
        class_names: with `labels="inferred"`, the subdirectories to use, in label order.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"` (1, 3 or 4 channels).
        batch_size: images per batch; None yields single images.
        image_size: `(height, width)` every image is resized to.
        shuffle: shuffle the files (and reshuffle the training files after each epoch).
        seed: the shuffling seed (needed with `validation_split` and `shuffle`).
        validation_split: fraction of the files set aside for validation (the last ones).
        subset: `"training"`, `"validation"` or `"both"` (returns both datasets).
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"area"` or `"lanczos3"`.
        follow_links: follow symbolic links to subdirectories.
        crop_to_aspect_ratio: crop the largest centred window of the target aspect ratio first.
        pad_to_aspect_ratio: resize keeping the aspect ratio and pad with zeros instead.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.
        verbose: print how many files and classes were found.

    Returns:
        A `PyDataset` of float32 `(batch, height, width, channels)` arrays (values 0-255) with
        their labels, and attributes `class_names` and `file_paths`; with `subset="both"`, the
        pair `(training, validation)`.

    >>> import os, shutil, tempfile, numpy as np, minikeras as keras
    >>> root = tempfile.mkdtemp()
    >>> for name in ("cats", "dogs"):
    ...     os.makedirs(os.path.join(root, name))
    ...     keras.utils.save_img(os.path.join(root, name, "0.png"), np.zeros((4, 4, 3)))
    >>> ds = keras.utils.image_dataset_from_directory(root, image_size=(2, 2), shuffle=False)
    Found 2 files belonging to 2 classes.
    >>> images, labels = ds[0]
    >>> images.shape, labels.tolist(), ds.class_names
    ((2, 2, 2, 3), [0, 1], ['cats', 'dogs'])
    >>> shutil.rmtree(root)
    """
    if color_mode not in _CHANNELS:
        raise ValueError(
            '`color_mode` must be one of {"rgb", "rgba", "grayscale"}. Received: '
            f"color_mode={color_mode!r}"
        )
    interpolation = str(interpolation).lower()
    if interpolation not in ("bilinear", "nearest", *_PIL_FILTERS):
        raise ValueError(
            "`interpolation` must be one of 'bilinear', 'nearest', 'bicubic', 'area', "
            f"'lanczos3' (minikeras does not support 'lanczos5', 'gaussian', 'mitchellcubic'). "
            f"Received: interpolation={interpolation!r}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True."
        )
    height, width = (int(v) for v in image_size)
    if height < 1 or width < 1:
        raise ValueError(f"`image_size` must be two positive ints. Received: {image_size}")
    data_format = _data_format(data_format)
    _pil()  # fail now, not at the first batch, if Pillow is missing

    def load(path):
        crop, pad = crop_to_aspect_ratio, pad_to_aspect_ratio
        return _load_for_dataset(
            path, color_mode, (height, width), interpolation, crop, pad, data_format
        )

    return from_directory(
        directory,
        labels,
        label_mode,
        class_names,
        batch_size,
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
        ALLOWLIST_FORMATS,
        load,
        np.stack,
        "images",
    )


def load_img(
    path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False
):
    """Loads an image file as a PIL image (needs Pillow).

    Args:
        path: a path (str, bytes or `pathlib.Path`) or a binary file object.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        target_size: None (original size) or `(height, width)`.
        interpolation: Pillow resampling filter: "nearest", "bilinear", "bicubic", "hamming",
            "box" or "lanczos".
        keep_aspect_ratio: crop the centred window of the target aspect ratio before resizing.

    Returns:
        A PIL image.

    >>> import os, tempfile, numpy as np, minikeras as keras
    >>> path = os.path.join(tempfile.mkdtemp(), "x.png")
    >>> keras.utils.save_img(path, np.zeros((4, 6, 3)))
    >>> keras.utils.load_img(path, target_size=(2, 3)).size  # PIL sizes are (width, height)
    (3, 2)
    >>> os.remove(path)
    """
    Image = _pil()
    if isinstance(path, (str, bytes, os.PathLike)):
        with open(path, "rb") as f:
            img = Image.open(f)
            img.load()
    elif hasattr(path, "read"):
        img = Image.open(path)
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):  # keep 8-, 16- and 32-bit grayscale as is
            img = img.convert("L")
    elif color_mode in ("rgb", "rgba"):
        if img.mode != color_mode.upper():
            img = img.convert(color_mode.upper())
    else:
        raise ValueError(
            f'color_mode must be "grayscale", "rgb", or "rgba". Received: color_mode={color_mode!r}'
        )
    if target_size is not None:
        size = (int(target_size[1]), int(target_size[0]))  # PIL sizes are (width, height)
        if img.size != size:
            if interpolation not in PIL_INTERPOLATION_METHODS:
                raise ValueError(
                    f"Invalid interpolation method {interpolation!r} specified. Supported "
                    f"methods are {', '.join(PIL_INTERPOLATION_METHODS)}"
                )
            resample = getattr(Image.Resampling, interpolation.upper())
            box = None
            if keep_aspect_ratio:
                w, h = img.size
                crop_h = min(h, (w * size[1]) // size[0])
                crop_w = min(w, (h * size[0]) // size[1])
                top, left = (h - crop_h) // 2, (w - crop_w) // 2
                box = (left, top, left + crop_w, top + crop_h)
            img = img.resize(size, resample, box=box)
    return img


def img_to_array(img, data_format=None, dtype=None):
    """Converts a PIL image to a numpy array `(height, width, channels)` (or channels first).

    Args:
        img: a PIL image (or anything `numpy.asarray` accepts).
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.
        dtype: the array dtype; default `floatx`.

    Returns:
        A 3-D numpy array (grayscale images get a channel axis of size 1).

    >>> import numpy as np, minikeras as keras
    >>> img = keras.utils.array_to_img(np.zeros((2, 3, 1)))
    >>> keras.utils.img_to_array(img).shape
    (2, 3, 1)
    """
    from ..config import floatx

    x = np.asarray(img, dtype=dtype or floatx())
    if x.ndim == 2:
        x = x[..., None]
    elif x.ndim != 3:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    return x.transpose(2, 0, 1) if _data_format(data_format) == "channels_first" else x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """Converts a 3-D array (1, 3 or 4 channels) to a PIL image (needs Pillow).

    Args:
        x: the array, `(height, width, channels)` (or channels first).
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.
        scale: whether to map the array's range onto 0-255 first.
        dtype: the dtype used for the conversion; default `floatx`.

    Returns:
        A PIL image: mode "L" for one channel, "RGB" for 3, "RGBA" for 4.

    >>> import numpy as np, minikeras as keras
    >>> img = keras.utils.array_to_img(np.ones((2, 3, 3)))
    >>> img.mode, img.size
    ('RGB', (3, 2))
    """
    from ..config import floatx

    Image = _pil()
    x = np.array(x, dtype=dtype or floatx())
    if x.ndim != 3:
        raise ValueError(
            f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}"
        )
    if _data_format(data_format) == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        if np.max(x) != 0:
            x = x / np.max(x)
        x = x * 255
    channels = x.shape[2]
    if channels in (3, 4):
        return Image.fromarray(x.astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if np.max(x) > 255:  # 32-bit signed integer grayscale
            return Image.fromarray(x[:, :, 0].astype("int32"), "I")
        return Image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves a 3-D array as an image file (needs Pillow).

    Args:
        path: the file path (or a binary file object, with `file_format`).
        x: the array, `(height, width, channels)` (or channels first), 1, 3 or 4 channels.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.
        file_format: `"png"`, `"jpeg"`, ...; default from the path's suffix.
        scale: whether to map the array's range onto 0-255 first.
        **kwargs: passed to `PIL.Image.save`.

    >>> import os, tempfile, numpy as np, minikeras as keras
    >>> path = os.path.join(tempfile.mkdtemp(), "x.png")
    >>> keras.utils.save_img(path, np.zeros((4, 6, 3)))
    >>> keras.utils.load_img(path).size
    (6, 4)
    >>> os.remove(path)
    """
    if file_format is None and isinstance(path, (str, os.PathLike)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format and file_format.lower() == "jpeg":
        warnings.warn(
            "The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2
        )
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)
