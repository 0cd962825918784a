"""Writes `resize_k3.npz`: inputs and real Keras 3 outputs of `keras.ops.image.resize`,
`keras.layers.Resizing` and `keras.layers.UpSampling2D` for every interpolation.

Keras's jax backend is the reference (its numpy backend computes the same `scale_and_translate`
weights); "area" exists only in Keras's TensorFlow backend, so those cases are computed by this
same script re-run under TensorFlow. Run from outside the Keras source tree:

    KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_resize_fixtures.py

(`KERAS_TF_PYTHON` names a Python with Keras 3 + TensorFlow, default /work/tfenv/bin/python.)

npz keys: `x_<name>` the inputs; per case `i`: `args<i>` (JSON: "fn" is "resize", "Resizing" or
"UpSampling2D", "x" the input name, "kwargs" the call's or layer's arguments) and `y<i>`, the
Keras output.
"""

import os
import subprocess
import sys
import tempfile

import numpy as np
from _fixture_utils import write_cases

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resize_k3.npz")
INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area")


def inputs():
    rng = np.random.default_rng(15)
    x = rng.uniform(0.0, 1.0, (1, 6, 9, 2)).astype("float32")
    return {
        "b": x,  # batched channels_last
        "s": rng.uniform(-1.0, 1.0, (5, 4, 2)).astype("float32"),  # single image
        "cf": np.ascontiguousarray(np.moveaxis(x, -1, 1)),  # batched channels_first
        "scf": rng.uniform(0.0, 1.0, (2, 5, 4)).astype("float32"),  # single channels_first
        "u8": rng.integers(0, 256, (1, 5, 7, 1)).astype("uint8"),
        "i32": rng.integers(-500, 500, (4, 6, 1)).astype("int32"),
        "up": rng.uniform(0.0, 1.0, (1, 3, 4, 2)).astype("float32"),
        "upcf": rng.uniform(0.0, 1.0, (1, 2, 3, 4)).astype("float32"),
    }


def cases():
    out = []
    for interpolation in INTERPOLATIONS:
        for antialias in (False, True):
            # 6 x 9 -> down, up, mixed, and two targets whose aspect padding total is odd
            for size in ((4, 5), (7, 11), (3, 14), (8, 8), (2, 4)):
                for aspect in ({}, {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True}):
                    kw = {"size": size, "interpolation": interpolation, "antialias": antialias}
                    out.append({"fn": "resize", "x": "b", "kwargs": {**kw, **aspect}})
        kw = {"interpolation": interpolation}
        out += [
            {"fn": "resize", "x": "s", "kwargs": {**kw, "size": (7, 3), "antialias": True}},
            {
                "fn": "resize",
                "x": "cf",
                "kwargs": {**kw, "size": (4, 11), "data_format": "channels_first"},
            },
            {
                "fn": "resize",
                "x": "scf",
                "kwargs": {
                    **kw,
                    "size": (8, 3),
                    "data_format": "channels_first",
                    "pad_to_aspect_ratio": True,
                    "fill_value": 0.25,
                },
            },
            {"fn": "resize", "x": "u8", "kwargs": {**kw, "size": (3, 11)}},
            {"fn": "resize", "x": "i32", "kwargs": {**kw, "size": (7, 4), "antialias": True}},
            {
                "fn": "Resizing",
                "x": "b",
                "kwargs": {
                    **kw,
                    "height": 9,
                    "width": 9,
                    "pad_to_aspect_ratio": True,
                    "fill_value": -1.0,
                },
            },
            {
                "fn": "Resizing",
                "x": "u8",
                "kwargs": {
                    **kw,
                    "height": 4,
                    "width": 3,
                    "crop_to_aspect_ratio": True,
                    "antialias": True,
                },
            },
        ]
        if interpolation != "area":  # UpSampling2D refuses "area" on every backend
            out += [
                {"fn": "UpSampling2D", "x": "up", "kwargs": {**kw, "size": (2, 3)}},
                {
                    "fn": "UpSampling2D",
                    "x": "upcf",
                    "kwargs": {**kw, "size": 3, "data_format": "channels_first"},
                },
            ]
    return out


def run(case, xs):
    import keras

    x, kw = xs[case["x"]], dict(case["kwargs"])
    if case["fn"] == "resize":
        y = keras.ops.image.resize(x, **kw)
    else:
        y = getattr(keras.layers, case["fn"])(**kw)(x)
    return keras.ops.convert_to_numpy(y)


def main():
    import keras

    xs, all_cases = inputs(), cases()
    if keras.backend.backend() == "tensorflow":  # the "area" half, written to argv[1]
        ys = {
            f"y{i}": run(c, xs)
            for i, c in enumerate(all_cases)
            if c["kwargs"]["interpolation"] == "area"
        }
        np.savez(sys.argv[1], **ys)
        return
    assert keras.backend.backend() == "jax", "run with KERAS_BACKEND=jax"
    ys = {
        f"y{i}": run(c, xs)
        for i, c in enumerate(all_cases)
        if c["kwargs"]["interpolation"] != "area"
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "area.npz")
        env = {**os.environ, "KERAS_BACKEND": "tensorflow"}
        tf_python = os.environ.get("KERAS_TF_PYTHON", "/work/tfenv/bin/python")
        subprocess.run([tf_python, os.path.abspath(__file__), path], env=env, check=True, cwd=tmp)
        with np.load(path) as area:
            ys.update(area)
    assert len(ys) == len(all_cases)
    write_cases(OUT, xs, all_cases, [ys[f"y{i}"] for i in range(len(all_cases))])
    print(
        f"wrote {len(all_cases)} cases to {OUT} ({os.path.getsize(OUT)} bytes), "
        f"Keras {keras.__version__}"
    )


if __name__ == "__main__":
    main()
