"""Writes api16a_ops_k3.npz: outputs (values and dtypes) of the keras.ops that minikeras added in
issue 16's second batch (adaptive pooling, special functions, windows, integer math, statistics,
sequence ops, rearrange, keras.ops.image's scale_and_translate / sobel_edges / ssim), from Keras
3.15.1 on the jax backend, and for differentiable cases the gradient with respect to the first
input (jax.grad of sum(output * W) for a fixed W, through Keras's ops).

Layout (`_fixture_utils.write_cases`): case i is `{"fn", "x", "kwargs", "parts", "grad"}`; `fn`
is a `keras.ops` name (`image.<name>` for keras.ops.image), `x` the positional inputs (names of
`x_<name>` arrays, or `{"lit": value}` for a literal), its outputs are `y<i>_<k>`: the `parts`
outputs, then the gradient when `grad` is true.

Run: KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_api16a_ops_fixtures.py
"""

import os

import _fixture_utils
import jax
import numpy as np
from keras import ops

rng = np.random.default_rng(1616)
INPUTS = {
    "v": rng.normal(size=(7,)).astype("float32"),
    "m": rng.normal(size=(3, 4)).astype("float32"),
    "m2": rng.normal(size=(3, 4)).astype("float32"),
    "pts": rng.normal(size=(5, 4)).astype("float32"),
    "t": rng.normal(size=(2, 3, 4)).astype("float32"),
    "u": rng.uniform(-0.9, 0.9, size=(3, 4)).astype("float32"),
    "seq1": rng.normal(size=(2, 11)).astype("float32"),
    "k3": np.array([0.5, -1.0, 2.0], "float32"),
    "a3": rng.normal(size=(4, 3)).astype("float32"),
    "b3": rng.normal(size=(4, 3)).astype("float32"),
    "i1": np.array([[12, -18, 7], [0, 25, 9]], "int32"),
    "i2": np.array([[8, 24, -21], [5, 10, 6]], "int32"),
    "e": np.array([[1, -2, 0, 3], [4, -1, 2, 0], [-3, 1, 5, -2]], "int32"),
    "counts": np.array([0, 1, 1, 3, 2, 1, 7], "int32"),
    "wts": rng.uniform(0.0, 1.0, size=(7,)).astype("float32"),
    "flat": np.array([0, 5, 11, 7], "int32"),
    "ids": np.array([0, 0, 1, 2, 2, 2], "int32"),
    "rows": rng.uniform(0.5, 1.5, size=(6, 3)).astype("float32"),
    "big": (rng.normal(size=(3, 4)) * 300).astype("float32"),
    "img1": rng.normal(size=(2, 7, 9, 3)).astype("float32"),
    "img1d": rng.normal(size=(2, 10, 3)).astype("float32"),
    "img3d": rng.normal(size=(1, 5, 6, 7, 2)).astype("float32"),
    "nchw": rng.normal(size=(2, 3, 6, 5)).astype("float32"),
    "cols": rng.normal(size=(2, 12, 12)).astype("float32"),
    "pic": rng.uniform(0, 1, size=(2, 16, 16, 3)).astype("float32"),
    "pic2": rng.uniform(0, 1, size=(2, 16, 16, 3)).astype("float32"),
}
GRAD = {
    "v",
    "m",
    "m2",
    "pts",
    "t",
    "u",
    "seq1",
    "a3",
    "rows",
    "img1",
    "img1d",
    "img3d",
    "nchw",
    "cols",
    "pic",
}


# histogram's edges and view's bits are not differentiable functions of the input in Keras
NO_GRAD = {"histogram", "view", "isreal"}


def lit(value):
    return {"lit": value}


CASES = [
    # adaptive pooling (keras.ops.nn)
    ("adaptive_average_pool", ["img1d"], {"output_size": 4}),
    ("adaptive_average_pool", ["img1"], {"output_size": [3, 4]}),
    ("adaptive_average_pool", ["img1"], {"output_size": [5, 2], "data_format": "channels_first"}),
    ("adaptive_average_pool", ["img3d"], {"output_size": [2, 4, 3]}),
    ("adaptive_max_pool", ["img1d"], {"output_size": 4}),
    ("adaptive_max_pool", ["img1"], {"output_size": [3, 4]}),
    ("adaptive_max_pool", ["img1"], {"output_size": [2, 11]}),
    ("adaptive_max_pool", ["img3d"], {"output_size": [2, 4, 3]}),
    # special functions
    ("erfc", ["m"], {}),
    ("erfinv", ["u"], {}),
    ("i0", ["m"], {}),
    ("isreal", ["m"], {}),
    ("ldexp", ["m", "e"], {}),
    ("nextafter", ["m", "m2"], {}),
    # integer math
    ("gcd", ["i1", "i2"], {}),
    ("lcm", ["i1", "i2"], {}),
    # windows and spaced ranges
    ("bartlett", [lit(7)], {}),
    ("blackman", [lit(7)], {}),
    ("hamming", [lit(8)], {}),
    ("hanning", [lit(8)], {}),
    ("kaiser", [lit(7), lit(5.0)], {}),
    ("geomspace", [lit(1.0), lit(1000.0)], {"num": 4}),
    ("geomspace", [lit(2.0), lit(32.0)], {"num": 5, "endpoint": False}),
    ("logspace", [lit(0.0), lit(2.0)], {"num": 5}),
    ("logspace", [lit(1.0), lit(3.0)], {"num": 4, "base": 2, "endpoint": False}),
    # indices, counting, statistics
    ("unravel_index", ["flat", lit([3, 4])], {}),
    ("bincount", ["counts"], {}),
    ("bincount", ["counts"], {"weights": "wts", "minlength": 10}),
    ("histogram", ["v"], {"bins": 5}),
    ("histogram", ["v"], {"bins": 4, "range": [-1.0, 1.0]}),
    ("corrcoef", ["m"], {}),
    ("correlate", ["v", "k3"], {}),
    ("correlate", ["v", "k3"], {"mode": "same"}),
    ("correlate", ["v", "k3"], {"mode": "full"}),
    ("cross", ["a3", "b3"], {}),
    ("cdist", ["m", "pts"], {}),
    ("segment_min", ["rows", "ids"], {"num_segments": 4}),
    ("segment_prod", ["rows", "ids"], {"num_segments": 4}),
    # sequences and patches
    ("extract_sequences", ["seq1"], {"sequence_length": 4, "sequence_stride": 3}),
    ("unfold", ["nchw"], {"kernel_size": 2}),
    ("unfold", ["nchw"], {"kernel_size": [3, 2], "dilation": [1, 2], "padding": 1, "stride": 2}),
    ("fold", ["cols"], {"output_size": [4, 5], "kernel_size": 2}),
    ("rearrange", ["t"], {"pattern": "b h w -> b (h w)"}),
    ("rearrange", ["t"], {"pattern": "b h (w c) -> (b w) h c", "c": 2}),
    ("rearrange", ["t"], {"pattern": "b h w -> w b h"}),
    ("saturate_cast", ["big"], {"dtype": "uint8"}),
    ("saturate_cast", ["big"], {"dtype": "int8"}),
    ("view", ["m"], {"dtype": "int32"}),
    # keras.ops.image
    ("image.sobel_edges", ["pic"], {}),
    ("image.ssim", ["pic", "pic2"], {}),
    ("image.ssim", ["pic", "pic2"], {"max_val": 2.0, "filter_size": 5, "filter_sigma": 1.0}),
    (
        "image.scale_and_translate",
        ["pic"],
        {
            "output_shape": [2, 10, 20, 3],
            "scale": [0.6, 1.25],
            "translation": [0.5, -1.0],
            "spatial_dims": [1, 2],
            "method": "bilinear",
        },
    ),
    (
        "image.scale_and_translate",
        ["pic"],
        {
            "output_shape": [2, 10, 20, 3],
            "scale": [0.6, 1.25],
            "translation": [0.5, -1.0],
            "spatial_dims": [1, 2],
            "method": "bilinear",
            "antialias": False,
        },
    ),
    (
        "image.scale_and_translate",
        ["pic"],
        {
            "output_shape": [2, 9, 21, 3],
            "scale": [0.55, 1.3],
            "translation": [0.0, 2.0],
            "spatial_dims": [1, 2],
            "method": "cubic",
        },
    ),
    (
        "image.scale_and_translate",
        ["pic"],
        {
            "output_shape": [2, 9, 21, 3],
            "scale": [0.55, 1.3],
            "translation": [0.0, 2.0],
            "spatial_dims": [1, 2],
            "method": "lanczos3",
        },
    ),
    (
        "image.scale_and_translate",
        ["pic"],
        {
            "output_shape": [2, 12, 16, 3],
            "scale": [0.75, 1.0],
            "translation": [0.0, 0.0],
            "spatial_dims": [1, 2],
            "method": "lanczos5",
        },
    ),
]


def value(name):
    return name["lit"] if isinstance(name, dict) else INPUTS[name]


def resolve(kwargs):
    out = {}
    for k, v in kwargs.items():
        if isinstance(v, str) and v in INPUTS:
            v = INPUTS[v]
        elif isinstance(v, list) and k != "pattern":
            v = tuple(v)
        out[k] = v
    return out


def function(fn):
    return getattr(ops.image, fn[6:]) if fn.startswith("image.") else getattr(ops, fn)


def main():
    cases, outputs = [], []
    for fn, names, kwargs in CASES:
        op = function(fn)
        args, kw = [value(n) for n in names], resolve(kwargs)
        y = op(*args, **kw)
        parts = [np.asarray(p) for p in y] if isinstance(y, (list, tuple)) else [np.asarray(y)]
        grad = isinstance(names[0], str) and names[0] in GRAD and parts[0].dtype.kind == "f"
        grad = grad and fn not in NO_GRAD
        if grad:
            weights = [
                np.random.default_rng(99).normal(size=p.shape).astype(p.dtype) for p in parts
            ]

            def objective(first):
                out = op(first, *args[1:], **kw)
                out = out if isinstance(out, (list, tuple)) else [out]
                return sum(ops.sum(o * w) for o, w in zip(out, weights))

            try:
                parts.append(np.asarray(jax.grad(objective)(args[0])))
            except NotImplementedError:  # Keras (jax) has no gradient for it: none recorded
                grad = False
        cases.append(
            {"fn": fn, "x": names, "kwargs": kwargs, "parts": len(parts) - grad, "grad": bool(grad)}
        )
        outputs.append(parts)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "api16a_ops_k3.npz")
    _fixture_utils.write_cases(path, INPUTS, cases, outputs)
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
