"""Keras 3.15.1 numbers for minikeras's int8 convolutions and a Keras-written quantized `.h5`.

Keras quantizes no convolution. minikeras's opt-in int8 convolution is defined as Keras's int8
`Dense` applied to every window of the input (`kernels/conv_int8.py`), so its fixture is made
with Keras's own int8 `Dense`: for each case a float kernel `(*k, c, f)` is drawn, a Keras
`Dense(f)` gets it reshaped to `(prod(k) * c, f)` and is quantized with `quantize("int8")`; the
windows of `x` (numpy slices of the zero-padded input, values in `(kd, kh, kw, c)` order) go
through the quantized Dense; the outputs are reshaped to the convolution's output and `+ bias`,
ReLU applied in numpy as the layer does. Written to `fixtures/conv_int8_cases.npz`: per case
`<name>_x`, `_kernel`, `_bias`, Keras's `_q` (int8 kernel) and `_scale`, `_y`, and `_geometry`
(JSON: filters, kernel_size, strides, padding, dilation_rate, for the tests to build the layer).

Also `fixtures/dense_int8_legacy.h5`: an int8-quantized Dense model saved by Keras as a legacy
`.h5`, with its inputs and outputs in `dense_int8_legacy.npz`.

Run with the Keras venv: KERAS_BACKEND=torch /work/anchors/bin/python
tests/quantization/make_conv_int8_fixtures.py
"""

import itertools
import json
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

# name: (input shape without batch, filters, kernel_size, strides, padding, dilation)
CASES = {
    "conv2d_valid": ((9, 8, 3), 5, (3, 3), (1, 1), "valid", (1, 1)),
    "conv2d_same_s2": ((9, 10, 4), 6, (3, 2), (2, 2), "same", (1, 1)),
    "conv2d_dilated": ((10, 9, 2), 3, (3, 3), (1, 1), "same", (2, 2)),
    "conv1d_causal": ((12, 3), 4, (3,), (1,), "causal", (2,)),
    "conv3d_valid": ((4, 5, 5, 2), 3, (2, 2, 2), (1, 1, 1), "valid", (1, 1, 1)),
}


def pads(n, k, s, d, padding):
    """Keras/TensorFlow padding: (before, after, out) for one axis."""
    k_eff = (k - 1) * d + 1
    if padding == "valid":
        return 0, 0, (n - k_eff) // s + 1
    if padding == "causal":
        return k_eff - 1, 0, n
    out = -(-n // s)
    total = max((out - 1) * s + k_eff - n, 0)
    return total // 2, total - total // 2, out


def windows(x, ksize, strides, padding, dilation):
    """(b, *out, prod(k) * c) windows of channels-last `x`, values in (taps..., c) order."""
    geo = [pads(n, k, s, d, padding) for n, k, s, d in zip(x.shape[1:-1], ksize, strides, dilation)]
    xp = np.pad(x, [(0, 0)] + [(b, a) for b, a, _ in geo] + [(0, 0)])
    outs = [o for _, _, o in geo]
    taps = []
    for tap in itertools.product(*[range(k) for k in ksize]):
        index = [slice(None)]
        for t, d, s, o in zip(tap, dilation, strides, outs):
            index.append(slice(t * d, t * d + (o - 1) * s + 1, s))
        taps.append(xp[tuple(index)])
    return np.concatenate(taps, axis=-1), outs


def main():
    rng = np.random.default_rng(20)
    arrays = {}
    for name, (shape, filters, ksize, strides, padding, dilation) in CASES.items():
        x = rng.normal(size=(3,) + shape).astype("float32")
        x[0, ..., 0] *= 8.0  # windows of very different ranges
        kernel = rng.normal(scale=0.3, size=ksize + (shape[-1], filters)).astype("float32")
        bias = rng.normal(scale=0.1, size=(filters,)).astype("float32")
        dense = keras.layers.Dense(filters, use_bias=False)
        dense.build((None, kernel.size // filters))
        dense.kernel.assign(kernel.reshape(-1, filters))
        dense.quantize("int8")
        patches, outs = windows(x, ksize, strides, padding, dilation)
        flat = patches.reshape(-1, patches.shape[-1])
        y = keras.ops.convert_to_numpy(dense(flat)).reshape(3, *outs, filters)
        y = np.maximum(y + bias, 0.0)
        arrays.update(
            {
                f"{name}_x": x,
                f"{name}_kernel": kernel,
                f"{name}_bias": bias,
                f"{name}_q": keras.ops.convert_to_numpy(dense._kernel).reshape(kernel.shape),
                f"{name}_scale": keras.ops.convert_to_numpy(dense.kernel_scale),
                f"{name}_y": y.astype("float32"),
                f"{name}_geometry": np.array(
                    json.dumps(
                        {
                            "filters": filters,
                            "kernel_size": ksize,
                            "strides": strides,
                            "padding": padding,
                            "dilation_rate": dilation,
                        }
                    )
                ),
            }
        )
    np.savez(os.path.join(OUT, "conv_int8_cases.npz"), **arrays)

    keras.utils.set_random_seed(5)
    inputs = keras.Input((12,))
    h = keras.layers.Dense(16, activation="relu", name="dense_a")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(3, name="dense_b")(h))
    model.quantize("int8")
    model.save(os.path.join(OUT, "dense_int8_legacy.h5"))
    x = rng.normal(size=(6, 12)).astype("float32")
    y = np.asarray(model.predict(x, verbose=0))
    np.savez(os.path.join(OUT, "dense_int8_legacy.npz"), x=x, y=y)
    print("written", sorted(arrays)[:3], "...", y.shape)


if __name__ == "__main__":
    main()
