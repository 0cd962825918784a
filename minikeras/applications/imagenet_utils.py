"""Shared helpers of `keras.applications`: input checks, preprocessing, decoding, weight files.

Nothing here downloads by default. Pretrained ImageNet weights are looked up in the local cache
(`$MINIKERAS_HOME/models`, `~/.minikeras/models`, `$KERAS_HOME/models`, `~/.keras/models`); a
missing file raises an error naming the Keras URL and the folder to put it in, unless downloads
were allowed with `MINIKERAS_DOWNLOAD_WEIGHTS=1`.
"""

import json
import os
import warnings

import numpy as np

from .. import backend
from ..layers.node import KerasTensor

BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"
CLASS_INDEX_URL = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
)
_CLASS_INDEX_CACHE = {}
_CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
_TORCH_MEAN, _TORCH_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)

__all__ = ["decode_predictions", "preprocess_input"]


# ---- preprocessing --------------------------------------------------------------------------


def preprocess_input(x, data_format=None, mode="caffe"):
    """Preprocesses a batch of images (values in [0, 255]) the way a model was trained.

    Args:
        x: numpy array, Tensor or KerasTensor, 3-D or 4-D with 3 colour channels. A float numpy
            array is modified in place (as Keras does); pass `np.copy(x)` to keep it.
        data_format: "channels_last" or "channels_first"; None means
            `keras.backend.image_data_format()`.
        mode: "caffe" (RGB -> BGR, minus the ImageNet BGR mean, no scaling), "tf" (scale to
            [-1, 1]) or "torch" (scale to [0, 1], then normalise by the ImageNet mean and std).

    Returns:
        The preprocessed array (float32 when the input was not floating point) or tensor.

    >>> preprocess_input(np.array([[0.0, 127.5, 255.0]]), mode="tf").tolist()
    [[-1.0, 0.0, 1.0]]
    """
    if mode not in ("caffe", "tf", "torch"):
        raise ValueError(
            f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}"
        )
    if data_format is None:
        data_format = backend.image_data_format()
    elif data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "Expected data_format to be one of `channels_first` or `channels_last`. "
            f"Received: data_format={data_format}"
        )
    if isinstance(x, (list, tuple)) or np.isscalar(x):
        x = np.asarray(x)
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _channel_shape(ndim, data_format):
    # shape that broadcasts a per-channel vector of 3 against the image batch
    if data_format == "channels_first":
        return (3,) + (1,) * (ndim - 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)
    return (1,) * (ndim - 1) + (3,)


def _preprocess_numpy(x, data_format, mode):
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(backend.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        channel_axis = (0 if x.ndim == 3 else 1) if data_format == "channels_first" else -1
        x = np.flip(x, axis=channel_axis)  # RGB -> BGR (a view, as Keras's x[..., ::-1])
        mean, std = _CAFFE_MEAN_BGR, None
    shape = _channel_shape(x.ndim, data_format)
    x -= np.asarray(mean, dtype=x.dtype).reshape(shape)
    if std is not None:
        x /= np.asarray(std, dtype=x.dtype).reshape(shape)
    return x


def _preprocess_tensor(x, data_format, mode):
    from ..core import ops

    if mode == "tf":
        return x / 127.5 - 1.0
    ndim = len(x.shape)
    dtype = x.dtype if isinstance(x.dtype, str) else getattr(x.dtype, "name", "float32")
    if not dtype.startswith(("float", "bfloat")):
        x, dtype = ops.cast(x, backend.floatx()), backend.floatx()
    shape = _channel_shape(ndim, data_format)
    if mode == "torch":
        x = x / 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        channel_axis = (0 if ndim == 3 else 1) if data_format == "channels_first" else -1
        x = ops.flip(x, axis=channel_axis)
        mean, std = _CAFFE_MEAN_BGR, None
    x = x - np.asarray(mean, dtype=dtype).reshape(shape)
    if std is not None:
        x = x / np.asarray(std, dtype=dtype).reshape(shape)
    return x


# ---- decoding -------------------------------------------------------------------------------


def decode_predictions(preds, top=5, class_index_path=None):
    """Decodes ImageNet predictions into `(class_id, class_name, score)` tuples.

    Args:
        preds: array (or tensor) of shape (samples, 1000).
        top: how many top guesses to return per sample.
        class_index_path: path to `imagenet_class_index.json` (maps "0".."999" to
            `[wnid, name]`). None looks for that file in the local model cache; nothing is
            downloaded.

    Returns:
        One list of `top` tuples per sample, highest score first.

    >>> import json, os, tempfile, numpy as np
    >>> from minikeras.applications import imagenet_utils
    >>> path = os.path.join(tempfile.mkdtemp(), "imagenet_class_index.json")
    >>> with open(path, "w") as f:
    ...     json.dump({str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}, f)
    >>> preds = np.zeros((1, 1000), "float32")
    >>> preds[0, [3, 9]] = 0.25, 0.75
    >>> best = imagenet_utils.decode_predictions(preds, top=2, class_index_path=path)[0]
    >>> [name for _, name, _ in best]
    ['class_9', 'class_3']
    >>> os.remove(path)
    """
    preds = np.asarray(getattr(preds, "data", preds))
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError(
            "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
            f"(samples, 1000)). Received array with shape: {preds.shape}"
        )
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"Expected `top` to be a positive integer. Received: top={top!r}")
    index = _class_index(class_index_path)
    results = []
    for row in preds:
        best = np.argsort(row, kind="stable")[::-1][:top]
        results.append([tuple(index[str(i)]) + (row[i],) for i in best])
    return results


def _class_index(path):
    if path is None:
        path = find_cached_file("imagenet_class_index.json")
        if path is None:
            raise FileNotFoundError(
                "decode_predictions needs imagenet_class_index.json, which is not in the local "
                f"cache ({', '.join(cache_dirs())}). Download it from {CLASS_INDEX_URL} into one "
                "of those folders, or pass class_index_path=<path to the file>."
            )
    path = os.fspath(path)
    if path not in _CLASS_INDEX_CACHE:
        with open(path, encoding="utf-8") as f:
            index = json.load(f)
        missing = [str(i) for i in range(1000) if str(i) not in index]
        if missing:
            raise ValueError(
                f"'{path}' is not an ImageNet class index: expected keys '0'..'999', "
                f"{len(missing)} are missing (first: '{missing[0]}')."
            )
        _CLASS_INDEX_CACHE[path] = index
    return _CLASS_INDEX_CACHE[path]


# ---- argument checks shared by the model builders ------------------------------------------


def check_weights_arg(weights, include_top, classes):
    """Keras's checks of `weights` and `classes`, before anything is built."""
    if not (weights in ("imagenet", None) or _is_existing_path(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded. Received: weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights="imagenet"` with `include_top=True`, `classes` should be 1000. '
            f"Received: classes={classes}"
        )


def _is_existing_path(weights):
    return isinstance(weights, (str, os.PathLike)) and os.path.exists(weights)


def obtain_input_shape(
    input_shape, default_size, min_size, data_format, require_flatten, weights=None
):
    """Validates `input_shape` (or picks the default) as Keras's applications do.

    Returns a 3-tuple (rows, cols, channels) for channels_last, possibly with None sizes.
    """
    channels_first = data_format == "channels_first"
    if input_shape is not None:
        input_shape = tuple(input_shape)
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in (1, 3):
            warnings.warn(
                "This model usually expects 1 or 3 input channels. However, it was passed an "
                f"input_shape with {channels} input channels.",
                stacklevel=3,
            )
        sizes = (default_size, default_size)
        default_shape = (channels,) + sizes if channels_first else sizes + (channels,)
    else:
        default_shape = (
            (3, default_size, default_size) if channels_first else (default_size, default_size, 3)
        )
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError(
                "When setting `include_top=True` and loading `imagenet` weights, `input_shape` "
                f"should be {default_shape}. Received: input_shape={input_shape}"
            )
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError(
                f"`input_shape` must be a tuple of three integers. Received: "
                f"input_shape={input_shape}"
            )
        channels = input_shape[0] if channels_first else input_shape[-1]
        rows, cols = input_shape[1:] if channels_first else input_shape[:2]
        if channels != 3 and weights == "imagenet":
            raise ValueError(
                f"The input must have 3 channels; Received `input_shape={input_shape}`"
            )
        if (rows is not None and rows < min_size) or (cols is not None and cols < min_size):
            raise ValueError(
                f"Input size must be at least {min_size}x{min_size}; Received: "
                f"input_shape={input_shape}"
            )
    else:
        if require_flatten:
            input_shape = default_shape
        else:
            input_shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(
            "If `include_top` is True, you should specify a static `input_shape`. "
            f"Received: input_shape={input_shape}"
        )
    return input_shape


def validate_activation(classifier_activation, weights):
    """Pretrained classifiers only allow `None` or "softmax" as their final activation."""
    if weights is None:
        return
    from .. import activations

    fn = activations.get(classifier_activation)
    if fn not in (activations.get("softmax"), activations.get(None)):
        raise ValueError(
            "Only `None` and `softmax` activations are allowed for the `classifier_activation` "
            f"argument when using pretrained weights, with `include_top=True`; Received: "
            f"classifier_activation={classifier_activation}"
        )


def correct_pad(inputs, kernel_size):
    """Zero padding ((top, bottom), (left, right)) that makes a stride-2 'valid' conv act like
    TensorFlow's 'same' padding."""
    rows, cols = (
        inputs.shape[2:4]
        if backend.image_data_format() == "channels_first"
        else (inputs.shape[1:3])
    )
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if rows is None else (1 - rows % 2, 1 - cols % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))


def image_input(input_tensor, input_shape):
    """The model's image input: a new `keras.Input`, or `input_tensor` if given."""
    from ..layers import Input

    if input_tensor is None:
        return Input(shape=input_shape)
    if not isinstance(input_tensor, KerasTensor):
        raise ValueError(  # noqa: TRY004 (Keras raises ValueError here)
            "input_tensor must be a symbolic Keras tensor (from keras.Input or a layer call). "
            f"Received: input_tensor of type {type(input_tensor).__name__}"
        )
    return input_tensor


def source_inputs(tensor):
    """The `keras.Input` tensors that `tensor` was computed from, in first-visit order."""
    found, seen, stack = [], set(), [tensor]
    while stack:
        t = stack.pop()
        layer, node_index, _ = t._keras_history
        node = layer._inbound_nodes[node_index]
        if node.is_input:
            if id(t) not in seen:
                seen.add(id(t))
                found.append(t)
            continue
        stack.extend(reversed(node.input_tensors))
    return found[0] if len(found) == 1 else found


def functional_model(img_input, input_tensor, outputs, name, weights_path):
    """The application's model: from `img_input` (or, when the caller gave `input_tensor`, the
    Inputs it comes from) to `outputs`, with the weights file loaded when there is one."""
    from ..models import Functional

    inputs = img_input if input_tensor is None else source_inputs(input_tensor)
    model = Functional(inputs, outputs, name=name)
    if weights_path is not None:
        model.load_weights(weights_path)
    return model


# ---- pretrained weight files ----------------------------------------------------------------


def cache_dirs():
    """Folders searched for pretrained weight files, in order."""
    dirs = []
    for env, default in (("MINIKERAS_HOME", "~/.minikeras"), ("KERAS_HOME", "~/.keras")):
        if os.environ.get(env):
            dirs.append(os.path.join(os.path.expanduser(os.environ[env]), "models"))
        dirs.append(os.path.join(os.path.expanduser(default), "models"))
    return list(dict.fromkeys(dirs))


def find_cached_file(file_name):
    for folder in cache_dirs():
        path = os.path.join(folder, file_name)
        if os.path.isfile(path):
            return path
    return None


def _downloads_allowed():
    return os.environ.get("MINIKERAS_DOWNLOAD_WEIGHTS", "").lower() in ("1", "true", "yes")


def pretrained_weights_path(file_name, origin, file_hash=None):
    """Local path of a Keras pretrained weights file; never downloads unless allowed."""
    path = find_cached_file(file_name)
    if path is not None:
        return path
    if _downloads_allowed():
        from ..utils import file_utils  # written separately; only needed for downloads

        return file_utils.get_file(file_name, origin, cache_subdir="models", file_hash=file_hash)
    raise FileNotFoundError(
        f"The ImageNet weights file '{file_name}' is not in the local cache. minikeras does not "
        f"download it on its own: download {origin} and put it in "
        f"{cache_dirs()[0]} (or ~/.keras/models), or set MINIKERAS_DOWNLOAD_WEIGHTS=1 to let "
        "keras.utils.get_file fetch it, or pass weights=<path to the file>."
    )


def weights_file(weights, file_name, origin, file_hash=None):
    """The file to load into a new model: None, the path given, or the cached ImageNet file.

    Called before the model is built, so a missing ImageNet file fails fast.
    """
    if weights == "imagenet":
        return pretrained_weights_path(file_name, origin, file_hash)
    return weights
