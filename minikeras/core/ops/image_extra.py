"""`keras.ops.image`'s `scale_and_translate`, `sobel_edges` and `ssim`.

`scale_and_translate` resamples each spatial axis with a fixed (out, in) weight matrix (the
triangle, Keys cubic or Lanczos kernel of `image.py`, widened by 1 / scale when antialiasing),
as `jax.image.scale_and_translate` does; `sobel_edges` convolves with the 3x3 Sobel kernels over
zero padding (Keras's jax and torch backends); `ssim` follows Wang et al. (2004) with an
`filter_size`-wide Gaussian window and "valid" borders, as Keras's backend-independent code does.
All are composed from differentiable ops (or `image.py`'s resampling op), so gradients flow.
"""

import numpy as np

from .. import dtypes
from . import conversion as _conversion
from . import indexing as _indexing
from . import joining as _joining
from . import reduce as _reduce
from ._base import to_tensor
from .image import _KERNELS, _resample
from .linalg import tensordot
from .shape import expand_dims, moveaxis, reshape

__all__ = ["scale_and_translate", "sobel_edges", "ssim"]

_METHODS = {
    "linear": "bilinear",
    "bilinear": "bilinear",
    "trilinear": "bilinear",
    "triangle": "bilinear",
    "cubic": "bicubic",
    "bicubic": "bicubic",
    "tricubic": "bicubic",
    "keyscubic": "bicubic",
    "lanczos3": "lanczos3",
    "lanczos5": "lanczos5",
}


def _weights(in_size, out_size, scale, translation, kernel, antialias):
    """(out, in) resampling matrix: output pixel centre o + 0.5 maps to input (o + 0.5 - t) / s;
    outputs sampling outside [-0.5, in - 0.5] get no weight."""
    inv = 1.0 / scale
    width = max(inv, 1.0) if antialias else 1.0
    src = (np.arange(out_size) + 0.5) * inv - translation * inv - 0.5
    w = kernel(np.abs(src[:, None] - np.arange(in_size)[None, :]) / width)
    total = w.sum(axis=1, keepdims=True)
    ok = np.abs(total) > 1000.0 * np.finfo(np.float32).eps
    w = np.where(ok, w / np.where(total != 0, total, 1.0), 0.0)
    inside = (src >= -0.5) & (src <= in_size - 0.5)
    return np.where(inside[:, None], w, 0.0)


def scale_and_translate(
    images, output_shape, scale, translation, spatial_dims, method, antialias=True
):
    """Resamples `images` along `spatial_dims` to `output_shape` with a scale and a shift.

    As `jax.image.scale_and_translate` (which Keras 3 follows): the input is scaled by `scale`
    and shifted by `translation` (in output pixels), so output pixel centre `o + 0.5` samples
    the input at `(o + 0.5 - translation) / scale`.

    Args:
        images: a float tensor of any rank.
        output_shape: the full output shape (only `spatial_dims` may differ from the input's).
        scale, translation: one float per spatial dim.
        spatial_dims: the axes to resample.
        method: "linear" (also "bilinear", "trilinear", "triangle"), "cubic" (also "bicubic",
            "tricubic", "keyscubic"), "lanczos3" or "lanczos5".
        antialias: widen the kernel by 1 / scale when downsampling.

    Returns:
        The resampled tensor of shape `output_shape`.

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(4.0).reshape(1, 4, 1)
    >>> keras.ops.image.scale_and_translate(x, (1, 2, 1), [0.5], [0.0], [1], "linear").shape
    (1, 2, 1)
    """
    if method not in _METHODS:
        raise ValueError(
            f"scale_and_translate: invalid value for argument `method`. Expected one of "
            f"{sorted(_METHODS)}. Received: method={method!r}"
        )
    x = to_tensor(images, op="scale_and_translate")
    if x.dtype.kind != "f":
        x = _conversion.cast(x, dtypes.floatx())
    scale = np.asarray(scale, dtype=np.float64).reshape(-1)
    translation = np.asarray(translation, dtype=np.float64).reshape(-1)
    kernel = _KERNELS[_METHODS[method]]
    for i, axis in enumerate(spatial_dims):
        axis = axis % len(x.shape)
        w = _weights(
            x.shape[axis], int(output_shape[axis]), scale[i], translation[i], kernel, antialias
        )
        x = _resample(x, w, axis)
    return x


def _channels_last(op, images, data_format):
    x = to_tensor(images, op=op)
    if len(x.shape) != 4:
        raise ValueError(
            f"{op}: expected a 4-D batch of images. Received: images.shape={tuple(x.shape)}"
        )
    if data_format is None:
        from ..image_format import image_data_format  # keras.config's, channels_last by default

        data_format = image_data_format()
    first = data_format == "channels_first"
    return (moveaxis(x, 1, -1) if first else x), first


def sobel_edges(images, data_format=None):
    """Sobel gradients of each channel: `(..., 2)` holding `[dy, dx]` (3x3 kernels, zero border).

    Args:
        images: `(batch, height, width, channels)` (or channels first).
        data_format: `"channels_last"` or `"channels_first"`; `None` reads the config.

    Returns:
        `(batch, height, width, channels, 2)` (channels first: `(batch, channels, h, w, 2)`).

    >>> import numpy as np, minikeras as keras
    >>> img = np.zeros((1, 4, 4, 1), "float32"); img[0, :, 2:] = 1.0
    >>> keras.ops.image.sobel_edges(img)[0, 1, :, 0, 1].numpy().tolist()
    [0.0, 4.0, 4.0, -4.0]
    """
    x, first = _channels_last("sobel_edges", images, data_format)
    p = _joining.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)])
    h, w = x.shape[1], x.shape[2]

    def shifted(dy, dx):  # p[:, i + dy, j + dx] for every output pixel (i, j)
        return p[:, dy : dy + h, dx : dx + w, :]

    # smoothing [1, 2, 1] across, difference [-1, 0, 1] along the gradient's axis
    rows = [shifted(dy, 0) + 2.0 * shifted(dy, 1) + shifted(dy, 2) for dy in (0, 2)]
    cols = [shifted(0, dx) + 2.0 * shifted(1, dx) + shifted(2, dx) for dx in (0, 2)]
    edges = _joining.stack([rows[1] - rows[0], cols[1] - cols[0]], axis=-1)
    return moveaxis(edges, 3, 1) if first else edges


def ssim(
    image1,
    image2,
    max_val=1.0,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
    data_format=None,
):
    """Structural similarity (SSIM, Wang et al., 2004) of two images or batches of images.

    The SSIM map is computed over "valid" Gaussian windows and averaged over the windows and
    the channels.

    Args:
        image1, image2: `(h, w, c)` or `(batch, h, w, c)` (or channels first), of one shape.
        max_val: the dynamic range of the pixels (1.0 or 255.0).
        filter_size: the Gaussian window's width (odd).
        filter_sigma: its standard deviation.
        k1, k2: the stabilizing constants.
        data_format: `"channels_last"` or `"channels_first"`; `None` reads the config.

    Returns:
        A scalar per image pair: `(batch,)`, or `()` for single images. 1 for identical images.

    >>> import numpy as np, minikeras as keras
    >>> img = np.random.default_rng(0).random((16, 16, 3)).astype("float32")
    >>> round(float(keras.ops.image.ssim(img, img)), 4)
    1.0
    """
    a, b = to_tensor(image1, op="ssim"), to_tensor(image2, op="ssim")
    for name, t in (("image1", a), ("image2", b)):
        if len(t.shape) not in (3, 4):
            raise ValueError(
                f"ssim: invalid {name} rank: expected rank 3 (single image) or rank 4 (batch "
                f"of images). Received input with shape: {name}.shape={tuple(t.shape)}"
            )
    dtype = a.dtype if a.dtype.kind == "f" else np.dtype(dtypes.floatx())
    a, b = _conversion.cast(a, dtype), _conversion.cast(b, dtype)
    single = len(a.shape) == 3
    if single:
        a, b = expand_dims(a, 0), expand_dims(b, 0)
    a, _ = _channels_last("ssim", a, data_format)
    b, _ = _channels_last("ssim", b, data_format)
    x = np.arange(filter_size, dtype=np.float64) - (filter_size - 1) / 2.0
    g = np.exp(-(x**2) / (2.0 * filter_sigma**2))
    g = (g / g.sum()).astype(dtype)
    n, c = a.shape[0], a.shape[3]

    def blur(t):  # separable Gaussian, "valid": (n, h, w, c) -> (n * c, h - f + 1, w - f + 1)
        t = reshape(moveaxis(t, 3, 1), (n * c, t.shape[1], t.shape[2]))
        for axis in (1, 2):
            idx = np.arange(t.shape[axis] - filter_size + 1)[:, None] + np.arange(filter_size)
            t = tensordot(_indexing.take(t, idx, axis=axis), g, axes=[[axis + 1], [0]])
        return t

    mu1, mu2 = blur(a), blur(b)
    s11 = blur(a * a) - mu1 * mu1
    s22 = blur(b * b) - mu2 * mu2
    s12 = blur(a * b) - mu1 * mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    num = (2.0 * mu1 * mu2 + c1) * (2.0 * s12 + c2)
    den = (mu1 * mu1 + mu2 * mu2 + c1) * (s11 + s22 + c2)
    per_channel = _reduce.mean(num / den, axis=(1, 2))  # (n * c,)
    out = _reduce.mean(reshape(per_channel, (n, c)), axis=-1)
    return out[0] if single else out
