"""Writes `core_ops_k3.npz`: inputs and real Keras 3 outputs of `keras.ops.dot_product_attention`
(masks, causal masking, scale, bias, grouped key/value heads) and the gradients of
`sum(output * w)` with respect to query, key, value (and bias where given).

Keras's jax backend is the reference. Run from outside the Keras source tree:

    KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_core_ops_fixtures.py

npz keys, per case `i`: `dpa<i>` (JSON: kwargs other than the arrays, and the names of the array
arguments given), `dpa<i>_<arg>` the arrays (query, key, value, bias, mask), `dpa<i>_w` the
output weights, `dpa<i>_out` the output, `dpa<i>_d<arg>` the gradients.
"""

import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "core_ops_k3.npz")

CASES = [
    # (query shape, key shape, value shape, extra arrays, kwargs)
    ((2, 4, 8, 16), (2, 4, 8, 16), (2, 4, 8, 16), {}, {}),
    ((2, 3, 2, 5), (2, 6, 2, 5), (2, 6, 2, 5), {"mask": (2, 1, 3, 6)}, {"scale": 0.3}),
    ((1, 5, 3, 4), (1, 5, 3, 4), (1, 5, 3, 4), {}, {"is_causal": True}),
    ((2, 4, 6, 8), (2, 5, 2, 8), (2, 5, 2, 8), {"bias": (2, 6, 4, 5)}, {}),
    ((2, 4, 4, 3), (2, 4, 1, 3), (2, 4, 1, 3), {"mask": (2, 4, 4, 4)}, {"is_causal": True}),
    (
        (1, 3, 2, 4),
        (1, 3, 2, 4),
        (1, 3, 2, 4),
        {"bias": (1, 1, 3, 3), "mask": (1, 1, 3, 3)},
        {"scale": 1.5},
    ),
]


def main():
    import jax
    import keras
    from keras import ops

    assert keras.backend.backend() == "jax"
    rng = np.random.default_rng(3)
    out = {}
    for i, (qs, ks, vs, extra, kwargs) in enumerate(CASES):
        arrays = {
            "query": rng.standard_normal(qs).astype("float32"),
            "key": rng.standard_normal(ks).astype("float32"),
            "value": rng.standard_normal(vs).astype("float32"),
        }
        if "bias" in extra:
            arrays["bias"] = rng.standard_normal(extra["bias"]).astype("float32")
        if "mask" in extra:
            m = rng.uniform(size=extra["mask"]) > 0.35
            m.reshape(-1, m.shape[-1])[0] = False  # one fully masked row
            arrays["mask"] = m
        w = rng.standard_normal(qs[:3] + vs[3:]).astype("float32")
        diff = [n for n in ("query", "key", "value", "bias") if n in arrays]

        def loss(*xs, arrays=arrays, diff=diff, kwargs=kwargs, w=w):
            given = dict(arrays, **dict(zip(diff, xs)))
            y = ops.dot_product_attention(**given, **kwargs)
            return (y * w).sum(), y

        grads, y = jax.grad(loss, argnums=tuple(range(len(diff))), has_aux=True)(
            *[arrays[n] for n in diff]
        )
        out[f"dpa{i}"] = json.dumps({"kwargs": kwargs, "arrays": sorted(arrays)})
        for n, a in arrays.items():
            out[f"dpa{i}_{n}"] = a
        out[f"dpa{i}_w"] = w
        out[f"dpa{i}_out"] = np.asarray(y)
        for n, g in zip(diff, grads):
            out[f"dpa{i}_d{n}"] = np.asarray(g)
    np.savez_compressed(OUT, **out)
    print("wrote", OUT, len(out), "arrays")


if __name__ == "__main__":
    main()
