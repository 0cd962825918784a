"""Winograd F(2x2, 3x3) (`kernels/winograd.py`) against its numpy reference and against the
direct convolution in float64; `conv.conv` runs it for inference 3x3 layers of 16+ channels
(8+ before a 2x2 pooling)."""

import importlib.util
import os

import numpy as np
import pytest

from helpers import randn
from minikeras.kernels import blas, conv as kc, winograd

HERE = os.path.dirname(os.path.abspath(__file__))
# measured max |winograd - float64 direct| / max |float64 direct| on these cases: 1.1e-7 to
# 2.6e-7 (the im2col GEMM's float32 result: 0.6e-7 to 5.5e-7); the bound leaves 4x room
REL_ERROR = 1e-6


def _direct64(x, k, bias, relu, pad, out_shape):
    """The float64 direct correlation (`conv.conv_ref`), bias and ReLU."""
    x5, k5 = x[:, None].astype(np.float64), k[None].astype(np.float64)
    geom = ((1, 1, 1), (1, 1, 1), (0, *pad), (1, *out_shape))
    y = kc.conv_ref(x5, k5, *geom)[:, 0] + bias
    return np.maximum(y, 0) if relu else y


CASES = [  # (x shape, filters, pad, out shape): valid, "same", odd and even sizes, more chunks
    ((2, 13, 13, 32), 64, (0, 0), (11, 11)),
    ((3, 7, 8, 5), 6, (1, 1), (7, 8)),
    ((2, 6, 5, 4), 3, (0, 0), (4, 3)),
    ((3, 14, 14, 8), 5, (1, 1), (14, 14)),  # 3 * 49 tiles: two chunks, one mid-image
    ((1, 3, 3, 2), 2, (1, 1), (3, 3)),
]


def test_kernel_transform_matches_reference():
    k = randn(3, 3, 5, 7, dtype="float32")
    np.testing.assert_array_equal(winograd.kernel_transform(k), winograd.kernel_transform_ref(k))


@pytest.mark.parametrize("relu", [True, False])
@pytest.mark.parametrize("x_shape, filters, pad, out_shape", CASES)
def test_conv3x3_matches_reference_and_direct_float64(x_shape, filters, pad, out_shape, relu):
    x = randn(*x_shape, dtype="float32")
    k = randn(3, 3, x_shape[-1], filters, seed=1, dtype="float32")
    bias = randn(filters, seed=2, dtype="float32")
    got = winograd.conv3x3(x, k, bias, relu, pad, out_shape)
    ref = winograd.conv3x3_ref(x, k, bias, relu, pad, out_shape)
    direct = _direct64(x, k, bias, relu, pad, out_shape)
    assert got.shape == direct.shape and got.dtype == np.float32
    scale = np.abs(direct).max()
    assert np.abs(got - direct).max() <= REL_ERROR * scale
    assert np.abs(ref - direct).max() <= REL_ERROR * scale
    if relu:
        assert (got == 0).any()


def test_threads_split_images_to_the_same_bits():
    x, k = randn(5, 9, 9, 6, dtype="float32"), randn(3, 3, 6, 4, seed=1, dtype="float32")
    bias = randn(4, seed=2, dtype="float32")
    one = winograd.conv3x3(x, k, bias, True, (1, 1), (9, 9), n_threads=1)
    two = winograd.conv3x3(x, k, bias, True, (1, 1), (9, 9), n_threads=2)
    np.testing.assert_array_equal(one, two)


def test_a_strided_kernel_gives_the_numbers_of_its_copy():
    x, k = randn(2, 6, 6, 4, dtype="float32"), randn(3, 3, 8, 5, seed=1, dtype="float32")
    bias = randn(5, seed=2, dtype="float32")
    strided = k[:, :, ::2]
    got = winograd.conv3x3(x, strided, bias, True, (1, 1), (6, 6))
    np.testing.assert_array_equal(
        got, winograd.conv3x3(x, strided.copy(), bias, True, (1, 1), (6, 6))
    )


def test_loop_without_blas_gives_the_same_numbers():
    """With no BLAS address (`blas.gemm_address` 0) the products run as plain loops."""
    x, k = randn(2, 6, 7, 3, dtype="float32"), randn(3, 3, 3, 4, seed=1, dtype="float32")
    bias = randn(4, seed=2, dtype="float32")
    u = winograd.kernel_transform(k)
    out = np.empty((2, 4, 5, 4), np.float32)
    winograd._conv3x3_images(x, u, bias, False, False, 0, 0, out, 0, 2, 0)
    want = winograd.conv3x3(x, k, bias, False, (0, 0), (4, 5))
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)


def test_conv3x3_rejects_a_kernel_that_does_not_fit():
    x = randn(1, 5, 5, 3, dtype="float32")
    with pytest.raises(ValueError, match="kernel"):
        winograd.conv3x3(x, randn(3, 3, 4, 2, dtype="float32"), np.zeros(2, np.float32), True,
                         (0, 0), (3, 3))  # fmt: skip


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("padding", [(0, 0, 0), (0, 1, 1)])
def test_conv_runs_winograd_for_inference_layers_of_16_channels(monkeypatch, threads, padding):
    """`conv(epilogue=...)` on a 3x3 stride-1 layer of 16+ channels (8+ before a pooling) is
    `winograd.conv3x3`; with fewer channels, strides, or without the epilogue (training),
    im2col + GEMM."""
    monkeypatch.setattr(kc, "PARALLEL_MIN", 1)
    monkeypatch.setattr(kc.threads, "num_threads", lambda: threads)
    assert winograd.available(np.float32) == (blas.gemm_address(np.float32) != 0)
    x, w = randn(3, 1, 9, 8, 32, dtype="float32"), randn(1, 3, 3, 32, 8, seed=1, dtype="float32")
    bias = randn(8, seed=2, dtype="float32")
    out_shape = (1, 9 - 2 + 2 * padding[1], 8 - 2 + 2 * padding[2])
    geom = ((1, 1, 1), (1, 1, 1), padding)
    got = kc.conv(x, w, *geom, out_shape, epilogue=(bias, True))
    want = winograd.conv3x3(x[:, 0], w[0], bias, True, padding[1:], out_shape[1:])
    if winograd.available(np.float32):
        np.testing.assert_array_equal(got[:, 0], want)
    np.testing.assert_allclose(got, kc.conv_ref(x, w, *geom, out_shape, 1, (bias, True)),
                               rtol=1e-5, atol=1e-5)  # fmt: skip
    # 15 channels (7 before a pooling), strides: the im2col path
    assert not kc._winograd(x[..., :15], (1, 3, 3), *geom, 1)
    assert kc._winograd(x[..., :8], (1, 3, 3), *geom, 1, pool=True)
    assert not kc._winograd(x[..., :7], (1, 3, 3), *geom, 1, pool=True)
    assert not kc._winograd(x, (1, 3, 3), (1, 2, 2), (1, 1, 1), padding, 1)


def test_cnn_predict_matches_keras(monkeypatch):
    """Keras 3's predict of a CNN whose 32 -> 64 and 64 -> 32 ("same") 3x3 layers run Winograd
    here (`fixtures/make_cnn_predict.py`): within 1e-5."""
    import minikeras as keras

    spec = importlib.util.spec_from_file_location(
        "make_cnn_predict", os.path.join(HERE, "fixtures", "make_cnn_predict.py")
    )
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    calls = []
    conv3x3 = winograd.conv3x3
    monkeypatch.setattr(winograd, "conv3x3", lambda *a, **k: calls.append(1) or conv3x3(*a, **k))
    data = np.load(os.path.join(HERE, "fixtures", "cnn_predict.npz"))
    model = maker.build(keras)
    model.set_weights([data[f"w{i}"] for i in range(len(model.get_weights()))])
    got = model.predict(data["x"], verbose=0)
    np.testing.assert_allclose(got, data["y"], rtol=1e-5, atol=1e-5)
    assert bool(calls) == winograd.available(np.float32)  # both layers, each predict call


def _pool2_ref(y):
    """2x2 max pooling, stride 2, "valid", of (b, H, W, F)."""
    b, h, w, f = y.shape
    return y[:, : h // 2 * 2, : w // 2 * 2].reshape(b, h // 2, 2, w // 2, 2, f).max(axis=(2, 4))


@pytest.mark.parametrize("relu", [True, False])
@pytest.mark.parametrize("x_shape, filters, pad, out_shape", CASES)
def test_conv3x3_pooled_is_the_pooled_output(x_shape, filters, pad, out_shape, relu):
    """`pool=True`: the 2x2 maxima of the unpooled output, bit for bit (max, then bias and ReLU,
    which are monotonic), and the reference's within float32 rounding."""
    x = randn(*x_shape, dtype="float32")
    k = randn(3, 3, x_shape[-1], filters, seed=1, dtype="float32")
    bias = randn(filters, seed=2, dtype="float32")
    got = winograd.conv3x3(x, k, bias, relu, pad, out_shape, pool=True)
    full = winograd.conv3x3(x, k, bias, relu, pad, out_shape)
    np.testing.assert_array_equal(got, _pool2_ref(full))
    ref = winograd.conv3x3_ref(x, k, bias, relu, pad, out_shape, pool=True)
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("channels, strides", [(1, (1, 1, 1)), (3, (1, 2, 2)), (32, (1, 1, 1))])
def test_conv_pool_is_the_pooled_conv(monkeypatch, threads, channels, strides):
    """`conv(epilogue, pool=True)` is the 2x2 max pooling of `conv(epilogue)`: bit for bit on
    the im2col path (3 channels; chunks of one image) and Winograd's (32); one channel runs
    `direct3x3`, whose sums round in another order (within float32 rounding)."""
    monkeypatch.setattr(kc, "CHUNK_BYTES", 1)
    monkeypatch.setattr(kc, "PARALLEL_MIN", 1)
    monkeypatch.setattr(kc.threads, "num_threads", lambda: threads)
    x = randn(3, 1, 12, 11, channels, dtype="float32")
    w = randn(1, 3, 3, channels, 8, seed=1, dtype="float32")
    bias = randn(8, seed=2, dtype="float32")
    geom = (strides, (1, 1, 1), (0, 1, 1))
    out_shape = (1, (12 - 1) // strides[1] + 1, (11 - 1) // strides[2] + 1)
    full = kc.conv(x, w, *geom, out_shape, epilogue=(bias, True))
    got = kc.conv(x, w, *geom, out_shape, epilogue=(bias, True), pool=True)
    if channels == 1:
        np.testing.assert_allclose(got[:, 0], _pool2_ref(full[:, 0]), rtol=1e-6, atol=1e-6)
    else:
        np.testing.assert_array_equal(got[:, 0], _pool2_ref(full[:, 0]))
    with pytest.raises(ValueError, match="pool"):
        kc.conv(x, w, *geom, out_shape, pool=True)


def test_conv_reference_takes_pool():
    """The cold-cache placeholder runs' `conv` (`kernels._conv_ref`) takes `pool` too."""
    import minikeras.kernels as kernels

    x, w = randn(2, 1, 7, 6, 3, dtype="float32"), randn(1, 3, 3, 3, 4, seed=1, dtype="float32")
    bias, geom = randn(4, seed=2, dtype="float32"), ((1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 5, 4))
    got = kernels._conv_ref(kc)(x, w, *geom, 1, epilogue=(bias, True), pool=True)
    want = kc.conv(x, w, *geom, 1, epilogue=(bias, True), pool=True)
    assert got.shape == want.shape == (2, 1, 2, 2, 4)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


_PREDICT = """
import json
import numpy as np
from numba.core import event
compiled = []
class Listener(event.Listener):
    def on_start(self, ev):
        compiled.append(ev.data["dispatcher"].py_func.__qualname__)
    def on_end(self, ev):
        pass
event.register("numba:compile", Listener())
import minikeras as keras
layers = keras.layers
x = keras.Input(shape=(12, 12, 1))
h = layers.MaxPooling2D(2)(layers.Conv2D(16, 3, activation="relu")(x))  # direct3x3
h = layers.Conv2D(4, 3, activation="relu", padding="same")(h)  # Winograd
h = layers.MaxPooling2D(2)(layers.Conv2D(8, 3, activation="relu", padding="same")(h))  # im2col
model = keras.Model(x, layers.Dense(3)(layers.Flatten()(h)))
model.predict(np.random.default_rng(0).random((4, 12, 12, 1), np.float32), verbose=0)
print(json.dumps(sorted(set(compiled))))
"""


@pytest.mark.slow
def test_a_warmed_cache_compiles_nothing_in_predict(tmp_path):
    """The warm-up's conv and pool recipes (drained into an empty cache) compile the inference
    kernels predict calls: Winograd, the one-channel direct loop, the pooled im2col path."""
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(HERE))
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path), "MINIKERAS_PREWARM": "0"}
    env["MINIKERAS_NUM_THREADS"] = "1"
    where = "from minikeras.kernels import warmup; print(warmup.cache_dir())"
    out = subprocess.run([sys.executable, "-c", where], env=env, capture_output=True, check=True)
    folder = out.stdout.decode().strip()
    os.makedirs(folder, exist_ok=True)
    lines = "conv\nconv:conv\nbias_act\nbias_act:bias_act\npool\npool:max_pool\n"
    script = os.path.join(root, "minikeras", "kernels", "warmup.py")
    drain = [sys.executable, script, root, folder, "--drain"]
    subprocess.run(drain, input=lines.encode(), env=env, timeout=600, check=True)
    run = subprocess.run(
        [sys.executable, "-c", _PREDICT], env=env, capture_output=True, timeout=600, check=True
    )
    assert run.stdout.decode().strip().splitlines()[-1] == "[]"
