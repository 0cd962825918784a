"""Writes `op_image_k3`, `op_signal_k3` and `op_numpy_k3` (`.keras`, `.h5`, `.npz`): functional
models that call `keras.ops` functions directly on symbolic tensors, saved by real Keras 3.

Keras 3 records each such call as an operation node: `{"module": "keras.src.ops.image",
"class_name": "Resize", "config": {"name": ..., "size": ..., ...}}` whose inbound node holds the
tensors only. The three models cover `keras.ops.image` (resize, extract_patches, crop_images,
pad_images, rgb_to_grayscale, rgb_to_hsv, hsv_to_rgb, affine_transform), the signal ops (fft,
fft2, ifft2, rfft, irfft, stft, istft) and common numpy-style ops (concatenate, expand_dims,
`x[:, 0]`, mean, matmul, softmax, where, ...), each with a Dense or Conv2D so weights load too.
(Keras 3 writes op nodes to `.h5` but cannot read them back; minikeras reads both.) Run from
outside the Keras source tree:

    KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_op_node_fixtures.py

npz keys: `x0`, `x1`, ... the inputs in model order; `y0`, `y1`, ... Keras's `predict` outputs.
"""

import os

import keras
import numpy as np
from keras import ops

HERE = os.path.dirname(os.path.abspath(__file__))


def image_model():
    img = keras.Input((10, 12, 3), name="img")
    transform = keras.Input((8,), name="transform")
    x = ops.image.resize(img, (8, 8))
    x = keras.layers.Conv2D(4, 3, padding="same", name="conv")(x)
    patches = ops.image.extract_patches(x, 2)
    near = ops.image.resize(img, (5, 7), interpolation="nearest")
    crop = ops.image.crop_images(img, 1, 2, target_height=6, target_width=7)
    pad = ops.image.pad_images(crop, 2, 1, target_height=11, target_width=10)
    grey = ops.image.rgb_to_grayscale(pad)
    hsv = ops.image.hsv_to_rgb(ops.image.rgb_to_hsv(ops.abs(near)))
    warped = ops.image.affine_transform(img, transform, interpolation="nearest")
    outputs = [patches, grey, hsv, warped]
    return keras.Model([img, transform], outputs, name="op_image")


def image_inputs(rng):
    img = rng.uniform(0.0, 1.0, (2, 10, 12, 3)).astype("float32")
    transform = np.array(
        [[1.1, 0.1, -1.0, -0.1, 0.9, 0.5, 0.0, 0.0], [0.8, 0.0, 1.5, 0.2, 1.2, -2.0, 0.0, 0.0]],
        "float32",
    )
    return [img, transform]


def signal_model():
    sig = keras.Input((32,), name="sig")
    real, imag = ops.stft(sig, 8, 4, 8)
    mag = ops.sqrt(real * real + imag * imag)
    dense = keras.layers.Dense(3, name="dense")(mag)
    re2, im2 = ops.fft2((real, imag))
    back, _ = ops.ifft2((re2, im2))
    rre, rim = ops.rfft(sig, fft_length=16)
    again = ops.irfft((rre, rim), fft_length=16)
    fre, _ = ops.fft((rre, rim))
    inverse = ops.istft((real, imag), 8, 4, 8)
    return keras.Model(sig, [dense, back, again, fre, inverse], name="op_signal")


def signal_inputs(rng):
    return [rng.uniform(-1.0, 1.0, (2, 32)).astype("float32")]


def numpy_model():
    a = keras.Input((5, 6), name="a")
    ids = keras.Input((3,), dtype="int32", name="ids")
    h = keras.layers.Dense(4, name="dense")(a)
    both = ops.concatenate([h, a[:, :, :2]], axis=-1)
    first = ops.expand_dims(both[:, 0], 1)
    centred = both - ops.mean(both, axis=1, keepdims=True)
    scores = ops.softmax(ops.matmul(centred, ops.transpose(first, (0, 2, 1))), axis=1)
    gated = ops.where(scores > 0.2, scores, ops.zeros_like(scores))
    picked = ops.take(ops.mean(a, axis=-1), ids, axis=1)
    summed = ops.sum(gated * 2.0, axis=(1, 2))
    return keras.Model([a, ids], [gated, picked, summed, a[..., 1:4:2]], name="op_numpy")


def numpy_inputs(rng):
    return [
        rng.standard_normal((3, 5, 6)).astype("float32"),
        rng.integers(0, 5, (3, 3)).astype("int32"),
    ]


def main():
    keras.utils.set_random_seed(4)
    for stem, build, make_inputs in [
        ("op_image_k3", image_model, image_inputs),
        ("op_signal_k3", signal_model, signal_inputs),
        ("op_numpy_k3", numpy_model, numpy_inputs),
    ]:
        model = build()
        inputs = make_inputs(np.random.default_rng(7))
        feed = inputs[0] if len(inputs) == 1 else inputs
        outputs = model.predict(feed, verbose=0)
        arrays = {f"x{i}": x for i, x in enumerate(inputs)}
        arrays.update({f"y{i}": np.asarray(y) for i, y in enumerate(outputs)})
        np.savez(os.path.join(HERE, stem + ".npz"), **arrays)
        model.save(os.path.join(HERE, stem + ".keras"))
        model.save(os.path.join(HERE, stem + ".h5"))
        reloaded = keras.models.load_model(os.path.join(HERE, stem + ".keras"))
        for y, z in zip(outputs, reloaded.predict(feed, verbose=0)):
            np.testing.assert_allclose(np.asarray(z), np.asarray(y), atol=1e-6)
        print("wrote", stem, [tuple(np.shape(y)) for y in outputs])


if __name__ == "__main__":
    main()
