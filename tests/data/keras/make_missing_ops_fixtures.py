"""Writes missing_ops_k3.npz: outputs (values and dtypes) of the keras.ops added by
core/ops/missing_ops.py and missing_array_ops.py, from Keras 3.15.1 on the jax backend, and for
differentiable cases the input gradient (jax.grad of sum(output * W) for a fixed W, through
Keras's ops).

Layout (`_fixture_utils.write_cases`): case i is `{"fn", "x": input names, "kwargs", "parts",
"grad"}`; its outputs are `y<i>_<k>`: the `parts` outputs of the op, then the gradient with
respect to the first input when `grad` is true.

Run: KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_missing_ops_fixtures.py
"""

import os

import _fixture_utils
import jax
import numpy as np
from keras import ops

rng = np.random.default_rng(16)
INPUTS = {
    "v": rng.normal(size=(7,)).astype("float32"),
    "m": rng.normal(size=(3, 4)).astype("float32"),
    "m2": rng.normal(size=(3, 4)).astype("float32"),
    "t": rng.normal(size=(2, 3, 4)).astype("float32"),
    "img": rng.normal(size=(2, 4, 6, 8)).astype("float32"),
    "pos": rng.uniform(0.5, 2.0, size=(3, 4)).astype("float32"),
    "ints": np.array([[1, -2, 3], [4, 0, -6]], "int32"),
    "nanm": np.array(
        [[1.0, np.nan, 3.0, 2.0], [np.nan, np.nan, np.nan, np.nan], [5.0, 4.0, np.nan, 0.5]],
        "float32",
    ),
    "special": np.array([-np.inf, -1.0, -0.0, 0.0, 2.0, np.inf, np.nan], "float32"),
    "fm1": np.array([np.nan, 1.0, -2.0, np.nan], "float32"),
    "fm2": np.array([3.0, np.nan, -1.0, np.nan], "float32"),
    "sorted": np.array([-1.0, 0.0, 0.5, 2.0, 3.0], "float32"),
    "bins": np.array([-1.0, 0.0, 1.0], "float32"),
    "small": np.array([1.0, 2.0, 3.0], "float32"),
    "vec2": np.array([2.0, -1.0], "float32"),
    "q": np.array([0.0, 0.3, 0.5, 1.0], "float32"),
    # no ties for "nearest" (pos = 1.5 rounds to 2 on numpy and torch, 1 on jax)
    "q_methods": np.array([0.0, 0.3, 0.6, 1.0], "float32"),
    "x_pts": np.array([0.0, 0.5, 1.5, 2.0], "float32"),
}
GRAD = {"v", "m", "m2", "t", "img", "pos", "small", "vec2"}

CASES = [
    ("cbrt", ["m"], {}),
    ("cbrt", ["ints"], {}),
    ("deg2rad", ["m"], {}),
    ("deg2rad", ["ints"], {}),
    ("rad2deg", ["m"], {}),
    ("fabs", ["m"], {}),
    ("fabs", ["ints"], {}),
    ("hypot", ["m", "m2"], {}),
    ("hypot", ["ints", "ints"], {}),
    ("logaddexp2", ["m", "m2"], {}),
    ("sinc", ["m"], {}),
    ("sinc", ["special"], {}),
    ("fmax", ["fm1", "fm2"], {}),
    ("fmin", ["fm1", "fm2"], {}),
    ("fmax", ["m", "m2"], {}),
    ("fmin", ["m", "m2"], {}),
    ("heaviside", ["m", "pos"], {}),
    ("heaviside", ["special", "special"], {}),
    ("signbit", ["special"], {}),
    ("isneginf", ["special"], {}),
    ("isposinf", ["special"], {}),
    ("ptp", ["m"], {}),
    ("ptp", ["t"], {"axis": 1}),
    ("ptp", ["t"], {"axis": [0, 2], "keepdims": True}),
    ("ptp", ["ints"], {"axis": 0}),
    ("quantile", ["m"], {"q": 0.3}),
    ("quantile", ["t"], {"q": "q", "axis": 1}),
    ("quantile", ["t"], {"q": "q", "axis": [0, 2], "keepdims": True}),
    ("quantile", ["nanm"], {"q": 0.5, "axis": 1}),
    ("percentile", ["t"], {"q": 40.0, "axis": -1}),
    ("percentile", ["ints"], {"q": 25.0, "axis": 1}),
    *[
        ("quantile", ["m"], {"q": "q_methods", "axis": 1, "method": m})
        for m in ("lower", "higher", "midpoint", "nearest")
    ],
    ("nanquantile", ["nanm"], {"q": "q", "axis": 1}),
    ("nanquantile", ["m"], {"q": 0.7}),
    ("nanpercentile", ["nanm"], {"q": 60.0, "axis": 1, "keepdims": True}),
    ("nanpercentile", ["nanm"], {"q": 50.0, "axis": 1, "method": "nearest"}),
    ("nanmedian", ["nanm"], {"axis": 1}),
    ("nanmedian", ["nanm"], {}),
    ("nanmedian", ["t"], {"axis": 0}),
    ("fliplr", ["m"], {}),
    ("flipud", ["t"], {}),
    ("rot90", ["m"], {}),
    ("rot90", ["t"], {"k": 2}),
    ("rot90", ["t"], {"k": -1, "axes": [1, 2]}),
    ("rot90", ["t"], {"k": 3, "axes": [2, 0]}),
    ("dstack", [["v", "v"]], {}),
    ("dstack", [["m", "m2"]], {}),
    ("dstack", [["t", "t"]], {}),
    ("array_split", ["v"], {"indices_or_sections": 3}),
    ("array_split", ["t"], {"indices_or_sections": 3, "axis": 2}),
    ("hsplit", ["m"], {"indices_or_sections": 2}),
    ("vsplit", ["t"], {"indices_or_sections": 2}),
    ("dsplit", ["t"], {"indices_or_sections": [1]}),
    ("diagflat", ["m"], {}),
    ("diagflat", ["small"], {"k": -1}),
    ("kron", ["m", "vec2"], {}),
    ("kron", ["small", "m"], {}),
    ("kron", ["ints", "ints"], {}),
    ("vander", ["small"], {}),
    ("vander", ["small"], {"N": 4, "increasing": True}),
    ("trapezoid", ["m"], {}),
    ("trapezoid", ["t"], {"dx": 0.5, "axis": 1}),
    ("trapezoid", ["m"], {"x": "x_pts"}),
    ("trapezoid", ["ints"], {}),
    ("isin", ["ints"], {"x2": "small"}),
    ("isin", ["ints"], {"x2": "small", "invert": True}),
    ("searchsorted", ["sorted"], {"values": "m"}),
    ("searchsorted", ["sorted"], {"values": "sorted", "side": "right"}),
    ("digitize", ["m"], {"bins": "bins"}),
    ("allclose", ["m", "m"], {}),
    ("allclose", ["m", "m2"], {}),
    ("psnr", ["m", "m2"], {"max_val": 1.0}),
    ("psnr", ["pos", "m"], {"max_val": 255.0}),
    ("depth_to_space", ["img"], {"block_size": 2}),
    ("depth_to_space", ["img"], {"block_size": 2, "data_format": "channels_first"}),
    ("space_to_depth", ["img"], {"block_size": 2}),
    ("space_to_depth", ["img"], {"block_size": 2, "data_format": "channels_first"}),
]


def resolve(kwargs):
    """Input names become arrays, lists of axes tuples (jax needs hashable static arguments)."""
    out = {k: INPUTS[v] if isinstance(v, str) and v in INPUTS else v for k, v in kwargs.items()}
    return {
        k: tuple(v) if k in ("axis", "axes") and isinstance(v, list) else v for k, v in out.items()
    }


def args_of(names):
    return [[INPUTS[n] for n in name] if isinstance(name, list) else INPUTS[name] for name in names]


def main():
    cases, outputs = [], []
    for fn, names, kwargs in CASES:
        op = getattr(ops, fn)
        args, kw = args_of(names), resolve(kwargs)
        y = op(*args, **kw)
        parts = [np.asarray(p) for p in y] if isinstance(y, (list, tuple)) else [np.asarray(y)]
        grad = isinstance(names[0], str) and names[0] in GRAD and parts[0].dtype.kind == "f"
        if grad:
            weights = [
                np.random.default_rng(99).normal(size=p.shape).astype(p.dtype) for p in parts
            ]

            def objective(first):
                out = op(first, *args[1:], **kw)
                out = out if isinstance(out, (list, tuple)) else [out]
                return sum(ops.sum(o * w) for o, w in zip(out, weights))

            parts.append(np.asarray(jax.grad(objective)(args[0])))
        cases.append(
            {"fn": fn, "x": names, "kwargs": kwargs, "parts": len(parts) - grad, "grad": bool(grad)}
        )
        outputs.append(parts)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "missing_ops_k3.npz")
    _fixture_utils.write_cases(path, INPUTS, cases, outputs)
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
