"""`ContrastLimitedAdaptiveHistogramEqualization` (CLAHE): per-tile histogram equalization with
a clipped histogram, blended between tiles bilinearly."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer


def _to_range(x, source, target):
    """Keras's `_transform_value_range` in float32."""
    x = x.astype(np.float32)
    if tuple(source) == tuple(target):
        return x
    low, high = np.float32(source[0]), np.float32(source[1])
    scaled = (x - low) / (high - low)
    return scaled * np.float32(target[1] - target[0]) + np.float32(target[0])


def clahe(images, clip_limit, tile_grid_size):
    """CLAHE of `(batch, h, w, channels)` float32 images in [0, 255] (Keras 3's algorithm).

    The image is padded (symmetric) to a whole number of tiles; each tile's 256-bin histogram of
    the integer pixel values is clipped at `clip_limit * tile_pixels / 256` and the excess spread
    evenly; its normalized cumulative histogram maps values. A pixel's output blends the maps of
    the four nearest tile centres bilinearly (edge tiles repeated).
    """
    n, height, width, channels = images.shape
    grid_h, grid_w = tile_grid_size
    tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
    pad_h, pad_w = tile_h * grid_h - height, tile_w * grid_w - width
    padded = np.pad(images, [(0, 0), (0, pad_h), (0, pad_w), (0, 0)], mode="symmetric")
    pixels = np.clip(padded.astype(np.int32), 0, 255)  # the bin of each pixel
    tiles = pixels.reshape(n, grid_h, tile_h, grid_w, tile_w, channels)
    tiles = tiles.transpose(0, 1, 3, 5, 2, 4).reshape(-1, tile_h * tile_w)
    offsets = np.arange(tiles.shape[0])[:, None] * 256
    hists = np.bincount((tiles + offsets).ravel(), minlength=tiles.shape[0] * 256)
    hists = hists.reshape(n, grid_h, grid_w, channels, 256).astype(np.float32)
    count = np.float32(tile_h * tile_w)
    if clip_limit > 0:
        limit = np.float32(clip_limit * (tile_h * tile_w) / 256.0)
        clipped = np.clip(hists, 0, limit)
        hists = clipped + (hists - clipped).sum(axis=-1, keepdims=True) / np.float32(256.0)
    cdf = np.cumsum(hists, axis=-1, dtype=np.float32)
    cdf_min = cdf.min(axis=-1, keepdims=True)
    denominator = count - cdf_min
    denominator = np.where(denominator == 0, np.float32(1.0), denominator)
    maps = np.clip((cdf - cdf_min) * np.float32(255.0) / denominator, 0, 255)
    maps = np.pad(maps, [(0, 0), (1, 1), (1, 1), (0, 0), (0, 0)], mode="edge")
    # tile-centre coordinates of every row and column (+1 for the repeated edge tiles)
    y = (np.arange(tile_h * grid_h, dtype=np.float32) - tile_h / 2.0) / tile_h + 1.0
    x = (np.arange(tile_w * grid_w, dtype=np.float32) - tile_w / 2.0) / tile_w + 1.0
    y0, x0 = np.floor(y), np.floor(x)
    wy, wx = (y - y0)[None, :, None, None], (x - x0)[None, None, :, None]
    y0, y1 = (np.clip(v, 0, grid_h + 1).astype(int) for v in (y0, y0 + 1))
    x0, x1 = (np.clip(v, 0, grid_w + 1).astype(int) for v in (x0, x0 + 1))
    b = np.arange(n)[:, None, None, None]
    c = np.arange(channels)[None, None, None, :]

    def lookup(rows, cols):
        return maps[b, rows[None, :, None, None], cols[None, None, :, None], c, pixels]

    top = lookup(y0, x0) * (1.0 - wx) + lookup(y0, x1) * wx
    bottom = lookup(y1, x0) * (1.0 - wx) + lookup(y1, x1) * wx
    out = top * (1.0 - wy) + bottom * wy
    return out[:, :height, :width, :].astype(np.float32)


class ContrastLimitedAdaptiveHistogramEqualization(ImageAugmentationLayer):
    """Contrast Limited Adaptive Histogram Equalization of each image channel.

    As Keras 3: values are mapped from `value_range` to [0, 255], equalized tile by tile
    (`tile_grid_size` tiles, histograms clipped at `clip_limit` times the mean bin count, maps
    blended bilinearly between tile centres, see `clahe`), mapped back and cast to the input's
    dtype. Not random, and applied at inference too (Keras's `transform_images` ignores
    `training`). A lookup of integer pixel values: no gradient flows through it.

    Args:
        value_range: (low, high) of the pixel values (default (0, 255)).
        clip_limit: histogram clip factor (4.0); 0 or less disables clipping.
        tile_grid_size: (rows, columns) of tiles (8, 8).
        data_format: "channels_last" (default from the config) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> x = np.random.default_rng(0).integers(0, 256, (1, 16, 16, 1)).astype("float32")
    >>> keras.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))(x).shape
    (1, 16, 16, 1)
    """

    def __init__(
        self,
        value_range=(0, 255),
        clip_limit=4.0,
        tile_grid_size=(8, 8),
        data_format=None,
        **kwargs,
    ):
        super().__init__(None, data_format, **kwargs)
        self.value_range = value_range
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def call(self, inputs, training=True):
        return super().call(inputs, training=True)  # applied whatever `training` is

    def apply(self, images, transformation):
        x = np.asarray(images.data)
        dtype = x.dtype
        x = _to_range(x, self.value_range, (0, 255))
        out = clahe(x, self.clip_limit, tuple(self.tile_grid_size))
        out = _to_range(out, (0, 255), self.value_range)
        return ops.convert_to_tensor(out.astype(dtype))

    def apply_inference(self, images):
        return self.apply(images, None)

    def get_config(self):
        config = {
            **super().get_config(),
            "value_range": self.value_range,
            "clip_limit": self.clip_limit,
            "tile_grid_size": self.tile_grid_size,
        }
        config.pop("seed", None)
        return config
