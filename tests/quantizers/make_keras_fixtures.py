"""Writes `keras_quantizers.npz`: Keras 3.15.1's `keras.quantizers` results on fixed inputs.

Run from the repository root with the Keras 3 venv (torch backend):

    KERAS_BACKEND=torch /work/anchors/bin/python tests/quantizers/make_keras_fixtures.py

Every entry is named `<case>/<what>`; `tests/quantizers/test_quantizers.py` recomputes each case
with minikeras and compares. Gradients of `fake_quant_with_min_max_vars` come from torch's
autograd through Keras's custom gradient (upstream gradient `w`).
"""

import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
import torch  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_quantizers.npz")
Q = keras.quantizers


def np_(x):
    return keras.ops.convert_to_numpy(x)


def main():
    rng = np.random.default_rng(0)
    out = {}
    x = rng.normal(size=(5, 7)).astype("float32")
    x[2] = 0.0  # an all-zero row: the epsilon case
    x[3, :3] = [0.5, -1.0, 0.25]  # exact halves before the epsilon nudges them
    out["x"] = x
    for case, axis, vr in [
        ("amq_last", -1, (-127, 127)),
        ("amq_first", 0, (-127, 127)),
        ("amq_both", (0, 1), (-127, 127)),
        ("amq_int4", -1, (-8, 7)),
    ]:
        q, s = Q.abs_max_quantize(x, axis=axis, value_range=vr)
        out[f"{case}/q"], out[f"{case}/scale"] = np_(q), np_(s)
    q, s = Q.AbsMaxQuantizer()(x)
    out["absmax_call/q"], out["absmax_call/scale"] = np_(q), np_(s)

    w = rng.normal(size=(300, 6)).astype("float32")
    out["w"] = w
    for to_numpy in (True, False):
        q, s, z = Q.abs_max_quantize_grouped_with_zero_point(w, 128, to_numpy=to_numpy)
        key = f"grouped_{'numpy' if to_numpy else 'tensor'}"
        out[f"{key}/q"], out[f"{key}/scale"], out[f"{key}/zero"] = np_(q), np_(s), np_(z)

    fx = (rng.normal(size=(4, 3)) * 1.5).astype("float32")
    out["fx"] = fx
    upstream = rng.normal(size=fx.shape).astype("float32")
    out["fx_upstream"] = upstream
    cases = {
        "fq_tensor": (-1.0, 1.5, 8, False, None),
        "fq_narrow": (-0.7, 2.1, 8, True, None),
        "fq_bits4": (-1.2, 0.9, 4, False, None),
        "fq_channel": ([-1.0, -0.3, -2.0], [1.0, 0.8, 0.5], 8, False, -1),
    }
    for case, (lo, hi, bits, narrow, axis) in cases.items():
        xt = torch.tensor(fx, requires_grad=True)
        lt = torch.tensor(np.asarray(lo, "float32"), requires_grad=True)
        ht = torch.tensor(np.asarray(hi, "float32"), requires_grad=True)
        y = Q.fake_quant_with_min_max_vars(
            xt, lt, ht, num_bits=bits, narrow_range=narrow, axis=axis
        )
        (y * torch.tensor(upstream)).sum().backward()
        out[f"{case}/y"] = y.detach().numpy()
        out[f"{case}/dx"] = xt.grad.numpy()
        out[f"{case}/dmin"] = lt.grad.numpy()
        out[f"{case}/dmax"] = ht.grad.numpy()

    amax = np.array([0.0, 1.5, np.inf, 300.0, 1e-3], "float32")
    scale = np.array([1.0, 0.5, 2.0, 1.0, 4.0], "float32")
    out["amax"], out["f8scale_in"] = amax, scale
    out["f8scale/m0"] = np_(Q.compute_float8_scale(amax, scale, 448.0))
    out["f8scale/m1"] = np_(Q.compute_float8_scale(amax, scale, 57344.0, margin=1))
    history = np.arange(6, dtype="float32")
    out["history"] = history
    out["amax_history/new"] = np_(Q.compute_float8_amax_history(x, history))

    big = (rng.normal(size=(6, 5)) * 300).astype("float32")
    out["big"] = big
    out["qdq/e4m3"] = np_(Q.quantize_and_dequantize(big, 0.5, "float8_e4m3fn", "float32"))
    out["qdq/e5m2"] = np_(Q.quantize_and_dequantize(big, 3.0, "float8_e5m2", "float32"))

    ints = rng.integers(-8, 8, size=(5, 3, 4)).astype("int8")
    out["ints"] = ints
    for axis in (0, 1, -1):
        packed, shape, n = Q.pack_int4(ints, axis=axis)
        out[f"pack_axis{axis}/packed"] = np_(packed)
        out[f"pack_axis{axis}/unpacked"] = np_(Q.unpack_int4(packed, n, axis=axis))
    nib = rng.integers(0, 16, size=(5, 2)).astype("uint8")
    out["nibbles"] = nib
    packed, _, n = Q.pack_int4(nib, axis=0, dtype="uint8")
    out["pack_uint8/packed"] = np_(packed)
    out["pack_uint8/unpacked"] = np_(Q.unpack_int4(packed, n, axis=0, dtype="uint8"))
    np.savez(OUT, **out)
    print(f"wrote {len(out)} arrays to {OUT}")


if __name__ == "__main__":
    main()
