"""Tests for minikeras/core/ops/image.py: `keras.ops.image.resize` against real Keras 3 outputs
(`tests/data/keras/resize_k3.npz`, made by `make_resize_fixtures.py` with Keras 3.15.1 on jax,
and on TensorFlow for "area"), hand-worked weights, and float64 gradients."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad, randn
from keras_ops_fixtures import assert_matches_keras, ops_cases
from minikeras import ops

pytestmark = pytest.mark.filterwarnings("error")

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras", "resize_k3.npz")
INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area")


def keras_cases(fn):
    """(case id, input, kwargs, Keras output) of the fixture's cases for `fn`."""
    with np.load(FIXTURE) as data:
        n = sum(k.startswith("args") for k in data.files)
        out = []
        for i in range(n):
            case = json.loads(str(data[f"args{i}"]))
            if case["fn"] == fn:
                tag = "-".join(f"{k}={v}" for k, v in case["kwargs"].items())
                out.append(
                    pytest.param(
                        data["x_" + case["x"]],
                        case["kwargs"],
                        data[f"y{i}"],
                        id=f"{i}-{case['x']}-{tag}",
                    )
                )
    return out


@pytest.mark.parametrize("x,kwargs,expected", keras_cases("resize"))
def test_resize_matches_keras(x, kwargs, expected):
    """Every interpolation x antialias x up/down/mixed sizes x crop/pad, 3-D and 4-D,
    channels_first, uint8 and int32: Keras 3's own outputs within 1e-5 (integers exactly)."""
    y = ops.image.resize(x, **kwargs).numpy()
    assert y.shape == expected.shape and y.dtype == expected.dtype
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(y, expected, rtol=0, atol=1e-5)
    else:
        np.testing.assert_array_equal(y, expected)


def test_resize_weights_worked_by_hand():
    """Keras's scale_and_translate weights, worked out: output pixel o sits at
    (o + 0.5) * in / out - 0.5 and each row is renormalised over the pixels inside the image."""
    from minikeras.core.ops.image import resize_weights

    # 2 -> 4 bilinear: centres -0.25, 0.25, 0.75, 1.25
    np.testing.assert_allclose(
        resize_weights(2, 4), [[1, 0], [0.75, 0.25], [0.25, 0.75], [0, 1]], atol=1e-12
    )
    # 8 -> 4 bilinear with antialias: the triangle is 2 wide, so output 1 (at 2.5) takes
    # pixels 1..4 with (1, 3, 3, 1) / 8; output 0 (at 0.5) loses pixel -1: (3, 3, 1) / 7
    w = resize_weights(8, 4, "bilinear", antialias=True)
    np.testing.assert_allclose(w[1], [0, 1 / 8, 3 / 8, 3 / 8, 1 / 8, 0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(w[0], [3 / 7, 3 / 7, 1 / 7, 0, 0, 0, 0, 0], atol=1e-12)
    # without antialias the same downsample is a plain average of the two nearest pixels
    np.testing.assert_allclose(resize_weights(8, 4)[1], [0, 0, 0.5, 0.5, 0, 0, 0, 0], atol=1e-12)
    # Keys cubic (a = -0.5) at distances 1.25, 0.25, 0.75, 1.75 (4 -> 8, output 3 at 1.25)
    cubic = resize_weights(4, 8, "bicubic")[3]
    np.testing.assert_allclose(cubic, [-0.0703125, 0.8671875, 0.2265625, -0.0234375], atol=1e-12)
    # area: 3 -> 2 averages [0, 1.5) and [1.5, 3)
    np.testing.assert_allclose(resize_weights(3, 2, "area"), [[2 / 3, 1 / 3, 0], [0, 1 / 3, 2 / 3]])


@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
def test_resize_rows_sum_to_one_and_dtype_kept(interpolation):
    """A constant image stays constant (weights sum to 1) and float64 stays float64."""
    x = np.full((2, 5, 7, 3), 2.5)
    for size in ((3, 4), (9, 11)):
        y = ops.image.resize(x, size, interpolation=interpolation, antialias=True)
        assert y.dtype == np.float64 and y.shape == (2, *size, 3)
        np.testing.assert_allclose(y.numpy(), 2.5, rtol=1e-12)


@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
@pytest.mark.parametrize("antialias", [False, True])
def test_resize_grad(interpolation, antialias):
    """float64 central differences: the gradient is the transposed interpolation matrix."""
    check_grad(
        lambda x: ops.image.resize(x, (3, 7), interpolation=interpolation, antialias=antialias),
        (2, 5, 4, 2),
    )


@pytest.mark.parametrize("option", ["crop_to_aspect_ratio", "pad_to_aspect_ratio"])
def test_resize_grad_with_aspect_and_channels_first(option):
    kwargs = {"interpolation": "bicubic", "data_format": "channels_first", option: True}
    check_grad(lambda x: ops.image.resize(x, (4, 3), **kwargs), (3, 5, 8))


def test_pad_to_aspect_ratio_odd_total_as_keras():
    """Observed with Keras 3.15.1 (jax): 2 x 5 padded to a square gets floor(3 / 2) = 1 row of
    fill above and below (4 x 5), then is resized to 5 x 5, so a row repeats; no remainder row."""
    x = np.arange(1.0, 11.0, dtype="float32").reshape(2, 5, 1)
    y = ops.image.resize(
        x, (5, 5), interpolation="nearest", pad_to_aspect_ratio=True, fill_value=-1.0
    )
    row0, row1, fill = [1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [-1] * 5
    np.testing.assert_array_equal(y.numpy()[..., 0], [fill, row0, row1, row1, fill])


def test_resize_errors():
    x = np.ones((1, 4, 4, 1), "float32")
    with pytest.raises(ValueError, match=r"interpolation.*Received: interpolation='cubic'"):
        ops.image.resize(x, (2, 2), interpolation="cubic")
    with pytest.raises(ValueError, match=r"size must be 2 positive.*size=\(2, 0\)"):
        ops.image.resize(x, (2, 0))
    with pytest.raises(ValueError, match="fill_mode='reflect'"):
        ops.image.resize(x, (2, 2), pad_to_aspect_ratio=True, fill_mode="reflect")
    with pytest.raises(ValueError, match="only one of crop_to_aspect_ratio"):
        ops.image.resize(x, (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match=r"rank 3.*or 4.*\(4, 4\)"):
        ops.image.resize(np.ones((4, 4)), (2, 2))


def test_resize_in_a_functional_model():
    """Called on a KerasTensor, `ops.image.resize` records an operation node (named "resize",
    as Keras) that the model replays."""
    inputs = keras.Input((6, 8, 3))
    outputs = ops.image.resize(inputs, (3, 5), interpolation="lanczos3", antialias=True)
    assert outputs.shape == (None, 3, 5, 3)
    model = keras.Model(inputs, outputs)
    x = randn(2, 6, 8, 3, dtype="float32")
    expected = ops.image.resize(x, (3, 5), interpolation="lanczos3", antialias=True).numpy()
    np.testing.assert_allclose(model(x).numpy(), expected, rtol=1e-6)
    assert model._all_layers[-1].name.startswith("resize")


# -- extract_patches, crop/pad, colour, affine_transform, map_coordinates -----------------------
@pytest.mark.parametrize("args,kwargs,expected", ops_cases("image.extract_patches"))
def test_extract_patches_matches_keras(args, kwargs, expected):
    """2-D and 3-D patches, int and tuple sizes, strides, dilation, "same" padding with odd
    totals, unbatched, channels_first and int32 images: Keras 3's outputs (the flattening order
    of its identity-kernel convolution) within 1e-5."""
    assert_matches_keras(ops.image.extract_patches(*args, **kwargs), expected)


def test_extract_patches_order_by_hand():
    """Keras's documented layout: each patch is its rows, then columns, then channels."""
    x = np.arange(2 * 4 * 4 * 2, dtype="float32").reshape(2, 4, 4, 2)
    p = ops.image.extract_patches(x, 2).numpy()
    assert p.shape == (2, 2, 2, 8)
    np.testing.assert_array_equal(p[1, 0, 1], x[1, 0:2, 2:4, :].reshape(-1))
    assert ops.image.extract_patches(np.ones((2, 20, 20, 3)), (5, 5)).shape == (2, 4, 4, 75)
    assert ops.image.extract_patches(np.ones((10, 10, 10, 3)), (3, 3, 3)).shape == (3, 3, 3, 81)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"size": 2},
        {"size": (3, 2), "strides": 1, "padding": "same"},
        {"size": 2, "strides": 1, "dilation_rate": 2},
        {"size": (2, 2, 2), "strides": 1},
    ],
)
def test_extract_patches_grad(kwargs):
    """Overlapping windows sum their gradients back into the pixels they copied."""
    shape = (1, 3, 5, 4, 2) if len(np.atleast_1d(kwargs["size"])) == 3 else (2, 5, 4, 3)
    check_grad(lambda x: ops.image.extract_patches(x, **kwargs), shape)


def test_extract_patches_errors():
    """Keras's TypeError for a non-int/tuple size and ValueError for a size of length 4."""
    with pytest.raises(TypeError, match="size"):
        ops.image.extract_patches(np.ones((1, 4, 4, 1)), "2")
    with pytest.raises(ValueError, match="length 2 or 3"):
        ops.image.extract_patches(np.ones((1, 4, 4, 1)), (1, 1, 1, 1))
    with pytest.raises(ValueError, match="larger than the images"):
        ops.image.extract_patches(np.ones((1, 4, 4, 1)), 5)


def test_extract_patches_in_a_custom_layer_of_a_functional_model():
    """keras.io's ViT `Patches` layer: extract_patches then reshape inside `call`, traced on a
    KerasTensor and replayed by the model, with a gradient reaching the Dense kernel."""

    class Patches(keras.layers.Layer):
        def __init__(self, patch_size):
            super().__init__()
            self.patch_size = patch_size

        def call(self, images):
            batch = ops.shape(images)[0]
            patches = ops.image.extract_patches(images, size=self.patch_size)
            return ops.reshape(patches, (batch, -1, patches.shape[-1]))

    inputs = keras.Input((6, 6, 3))
    encoded = keras.layers.Dense(4)(Patches(3)(inputs))
    assert encoded.shape == (None, 4, 4)
    direct = ops.image.extract_patches(inputs, 2, strides=(2, 2))
    assert direct.shape == (None, 3, 3, 12)
    model = keras.Model(inputs, [encoded, direct])
    x = randn(2, 6, 6, 3, dtype="float32")
    y, d = model(x)
    np.testing.assert_allclose(d.numpy()[0, 1, 2], x[0, 2:4, 4:6].ravel())
    model.compile(optimizer="sgd", loss=["mse", None])
    model.fit(x, [np.zeros((2, 4, 4), "float32"), None], epochs=1, verbose=0)


@pytest.mark.parametrize(
    "fn",
    [
        "image.crop_images",
        "image.pad_images",
        "image.rgb_to_grayscale",
        "image.rgb_to_hsv",
        "image.hsv_to_rgb",
        "image.affine_transform",
        "image.map_coordinates",
    ],
)
def test_image_ops_match_keras(fn):
    """Each fixture case - crop/pad from every pair of arguments, channels_first, single
    images; grayscale/HSV incl. grey, primary and black pixels and hues outside [0, 1];
    affine_transform and map_coordinates with nearest and bilinear sampling in every fill mode,
    coordinates on exact halves and far outside - within 1e-5 of Keras 3.15.1 (jax)."""
    cases = ops_cases(fn)
    assert cases
    for case in cases:
        args, kwargs, expected = case.values
        assert_matches_keras(getattr(ops.image, fn.split(".")[1])(*args, **kwargs), expected)


def test_crop_pad_and_grayscale_by_hand():
    """Keras's docstring examples. Its crop_images(x, 0, 0, 2, 2) is printed as the top-left
    2 x 2, but the arguments are (top, left, bottom, right) and Keras 3.15.1 returns [[1.]]; the
    2 x 2 comes from the targets. pad_images(x, 2, 3, target_height=20, target_width=30) on
    15 x 25 gives 20 x 30. Integer grayscale is truncated (10, 21, 30 -> 18.74 -> 18, observed)."""
    x = np.arange(1, 28, dtype="float32").reshape(3, 3, 3)
    assert ops.image.crop_images(x, 0, 0, 2, 2).numpy()[:, :, 0].tolist() == [[1.0]]
    np.testing.assert_array_equal(
        ops.image.crop_images(x, 0, 0, target_height=2, target_width=2).numpy()[:, :, 0],
        [[1, 4], [10, 13]],
    )
    padded = ops.image.pad_images(np.ones((15, 25, 3)), 2, 3, target_height=20, target_width=30)
    assert padded.shape == (20, 30, 3) and padded.numpy()[2:17, 3:28].min() == 1.0
    assert padded.numpy().sum() == 15 * 25 * 3
    grey = ops.image.rgb_to_grayscale(np.array([[[10, 21, 30]]], "uint8")).numpy()
    assert grey.dtype == np.uint8 and grey.tolist() == [[[18]]]


def test_map_coordinates_and_affine_by_hand():
    """Nearest rounds halves away from zero (jax's lax.round); the fill modes read
    `mirror` as (c b | a b c d) and `reflect` as (b a | a b c d), Keras's documented layouts."""
    x = np.array([1.0, 2.0, 3.0, 4.0], "float32")  # a b c d
    at = np.array([[-2.0, -1.0, 4.0, 5.0]])
    read = lambda mode: ops.image.map_coordinates(x, at, 0, fill_mode=mode).numpy().tolist()  # noqa: E731
    assert read("mirror") == [3.0, 2.0, 3.0, 2.0]
    assert read("reflect") == [2.0, 1.0, 4.0, 3.0]
    assert read("wrap") == [3.0, 4.0, 1.0, 2.0]
    assert read("nearest") == [1.0, 1.0, 4.0, 4.0]
    assert read("constant") == [0.0, 0.0, 0.0, 0.0]
    half = ops.image.map_coordinates(x, [[0.5, 1.5, -0.5]], 0, fill_value=9.0).numpy().tolist()
    assert half == [2.0, 3.0, 9.0]
    img = np.arange(9, dtype="float32").reshape(3, 3, 1)
    shifted = ops.image.affine_transform(img, [1, 0, 1, 0, 1, 0, 0, 0]).numpy()[..., 0]
    np.testing.assert_array_equal(shifted, [[1, 2, 0], [4, 5, 0], [7, 8, 0]])


@pytest.mark.parametrize(
    "fn,kwargs",
    [
        (
            "crop_images",
            {"top_cropping": 1, "left_cropping": 0, "target_height": 2, "target_width": 3},
        ),
        (
            "pad_images",
            {"top_padding": 1, "bottom_padding": 2, "left_padding": 0, "right_padding": 1},
        ),
        ("rgb_to_grayscale", {}),
        ("rgb_to_hsv", {}),
        ("hsv_to_rgb", {}),
    ],
)
def test_crop_pad_colour_grads(fn, kwargs):
    x = np.random.default_rng(3).uniform(0.1, 0.9, (2, 4, 5, 3))
    check_grad(lambda t: getattr(ops.image, fn)(t, **kwargs), x)


@pytest.mark.parametrize("mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
def test_map_coordinates_grads(mode):
    """Linear in the input for both orders; for order 1 also piecewise linear in the
    coordinates (checked away from integer coordinates, where it has kinks)."""
    rng = np.random.default_rng(4)
    coords = rng.uniform(-2.0, 6.0, (2, 3, 4))
    coords = np.where(np.abs(coords - np.round(coords)) < 0.05, coords + 0.2, coords)
    for order in (0, 1):
        check_grad(
            lambda a: ops.image.map_coordinates(a, coords, order, fill_mode=mode, fill_value=0.7),
            (4, 5),
        )
    grid = randn(4, 5)
    check_grad(
        lambda c: ops.image.map_coordinates(grid, c, 1, fill_mode=mode, fill_value=0.7), coords
    )


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_affine_transform_grad(interpolation):
    transform = np.array([[0.9, 0.3, 0.4, -0.2, 1.1, 0.6, 0, 0], [1, 0, -1.3, 0, 1, 0.7, 0, 0]])
    check_grad(
        lambda t: ops.image.affine_transform(t, transform, interpolation, fill_mode="reflect"),
        (2, 4, 5, 2),
    )


def test_image_ops_errors_as_keras():
    """Keras's ValueErrors: two of three crop/pad arguments, negative sizes, 1-channel or
    integer images where RGB floats are needed, unknown modes and orders."""
    x = np.ones((4, 4, 3), "float32")
    with pytest.raises(ValueError, match="exactly two"):
        ops.image.crop_images(x, 1, 1, 1, 1, target_height=2, target_width=2)
    with pytest.raises(ValueError, match="top_padding must be >= 0"):
        ops.image.pad_images(x, bottom_padding=3, left_padding=0, target_height=5, target_width=4)
    with pytest.raises(ValueError, match="channel size"):
        ops.image.rgb_to_grayscale(np.ones((4, 4, 2)))
    with pytest.raises(ValueError, match="float dtype"):
        ops.image.rgb_to_hsv(np.ones((4, 4, 3), "int32"))
    with pytest.raises(ValueError, match="fill_mode"):
        ops.image.affine_transform(x, np.eye(3).ravel()[:8], fill_mode="edge")
    with pytest.raises(ValueError, match="interpolation"):
        ops.image.affine_transform(x, np.eye(3).ravel()[:8], interpolation="bicubic")
    with pytest.raises(ValueError, match="order"):
        ops.image.map_coordinates(x[..., 0], np.zeros((2, 3)), 3)
    with pytest.raises(ValueError, match="leading dim"):
        ops.image.map_coordinates(x, np.zeros((2, 3)), 1)


def test_image_ops_on_keras_tensors():
    """Called on KerasTensors they record operation nodes the model replays (two symbolic
    inputs for map_coordinates)."""
    images = keras.Input((5, 6, 3))
    coords = keras.Input((2, 7), batch_size=2)
    outs = [
        ops.image.crop_images(images, 1, 2, target_height=3, target_width=3),
        ops.image.pad_images(images, 1, 1, target_height=8, target_width=8),
        ops.image.rgb_to_hsv(images),
        ops.image.affine_transform(images, [1, 0, 0.5, 0, 1, 0, 0, 0]),
    ]
    assert [tuple(o.shape) for o in outs] == [
        (None, 3, 3, 3),
        (None, 8, 8, 3),
        (None, 5, 6, 3),
        (None, 5, 6, 3),
    ]
    model = keras.Model(images, outs)
    x = np.random.default_rng(0).uniform(0, 1, (2, 5, 6, 3)).astype("float32")
    for got, want in zip(
        model(x),
        [
            ops.image.crop_images(x, 1, 2, target_height=3, target_width=3),
            ops.image.pad_images(x, 1, 1, target_height=8, target_width=8),
            ops.image.rgb_to_hsv(x),
            ops.image.affine_transform(x, [1, 0, 0.5, 0, 1, 0, 0, 0]),
        ],
    ):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)
    grid = np.arange(35, dtype="float32").reshape(5, 7)
    sampled = ops.image.map_coordinates(grid, coords[0], 1)
    assert tuple(sampled.shape) == (7,)


def test_extract_patches_3d_as_keras_docstring():
    """Keras's examples: (2, 10, 10, 10, 3) -> (2, 3, 3, 3, 81) and unbatched (3, 3, 3, 81); an
    int size is a cube, the same patches as extract_patches with a 3-tuple (fixture-checked)."""
    vol = randn(2, 10, 10, 10, 3, dtype="float32")
    patches = ops.image.extract_patches_3d(vol, 3)
    assert patches.shape == (2, 3, 3, 3, 81)
    assert ops.image.extract_patches_3d(vol[0], (3, 3, 3)).shape == (3, 3, 3, 81)
    np.testing.assert_array_equal(
        patches.numpy(), ops.image.extract_patches(vol, (3, 3, 3)).numpy()
    )
    inputs = keras.Input((4, 4, 4, 1))
    assert ops.image.extract_patches_3d(inputs, 2).shape == (None, 2, 2, 2, 8)


@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic", "lanczos3", "lanczos5", "area"])
@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("size", [(7, 30), (13, 5), (20, 20)])
def test_resize_taps_match_the_dense_matrices(interpolation, antialias, size):
    # the taps path (gathers and multiply-adds) against the (out, in) matrices applied densely
    # in float64, and its gradient against the transposed matrices
    from minikeras.core.ops.image import resize_weights

    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 11, 17, 3))
    wh = resize_weights(11, size[0], interpolation, antialias)
    ww = resize_weights(17, size[1], interpolation, antialias)
    expected = np.einsum("oh,bhwc,pw->bopc", wh, x, ww)
    t = keras.ops.convert_to_tensor(x)
    with keras.GradientTape() as tape:
        tape.watch(t)
        y = keras.ops.image.resize(t, size, interpolation=interpolation, antialias=antialias)
        loss = keras.ops.sum(y * y)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-10, atol=1e-12)
    grad = tape.gradient(loss, t).numpy()
    np.testing.assert_allclose(
        grad, np.einsum("oh,bopc,pw->bhwc", wh, 2 * expected, ww), atol=1e-10
    )
