"""Writes `optimizers2_k3.npz`: 5 steps of Keras 3's Lion, Lamb, Adafactor, Ftrl, Muon and
LossScaleOptimizer on fixed float32 weights and gradients, recorded by real Keras. Run from
outside the Keras source tree:

    KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_optimizer_fixtures.py

Each case builds fresh weights `w0..w{n-1}` (named `NAMES`, shapes `SHAPES`: a vector, a wide
and a tall matrix, a 3-D kernel and an "embedding" matrix) from `init/<i>`, applies the
gradients `grad/<step>/<i>` (step 0..4) and records the weights after each step.

npz keys: `init/<i>`, `grad/<step>/<i>`, `names` (JSON list), `cases` (JSON: case -> [class
name, constructor kwargs]), `<case>/config` (JSON of `get_config()`), `<case>/step<t>/<i>`
(weights after step t = 1..5), `<case>/variables` (JSON: [path, shape] of `optimizer.variables`)
and `<case>/var<j>` (the optimizer's variables after the last step). The LossScaleOptimizer
cases scale the gradients by the current loss scale and put an inf into step 3's gradients.

It also writes `optimizers2_{adafactor,muon,lso}_k3.keras`: a small model compiled with that
optimizer, saved by Keras after 2 `fit` steps (see `save_model` for its npz keys).
"""

import json
import os

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = ["bias", "kernel", "tall", "kernel3d", "token_embedding", "skipme_kernel"]
SHAPES = [(4,), (3, 5), (6, 3), (2, 3, 4), (5, 2), (2, 3)]
STEPS = 5

CASES = {
    "lion_default": ("Lion", {}),
    "lion_custom": (
        "Lion",
        {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.95, "weight_decay": 0.1},
    ),
    "lamb_default": ("Lamb", {}),
    "lamb_custom": (
        "Lamb",
        {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-4},
    ),
    "adafactor_default": ("Adafactor", {}),
    "adafactor_custom": (
        "Adafactor",
        {
            "learning_rate": 0.05,
            "beta_2_decay": -0.5,
            "epsilon_1": 1e-20,
            "epsilon_2": 1e-2,
            "clip_threshold": 0.5,
            "relative_step": False,
        },
    ),
    "ftrl_default": ("Ftrl", {}),
    "ftrl_custom": (
        "Ftrl",
        {
            "learning_rate": 0.05,
            "learning_rate_power": -0.7,
            "initial_accumulator_value": 0.5,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.02,
            "l2_shrinkage_regularization_strength": 0.03,
            "beta": 0.1,
        },
    ),
    "muon_default": ("Muon", {}),
    "muon_custom": (
        "Muon",
        {
            "learning_rate": 0.02,
            "adam_beta_1": 0.8,
            "adam_beta_2": 0.99,
            "adam_weight_decay": 0.02,
            "epsilon": 1e-5,
            "weight_decay": 0.01,
            "exclude_layers": ["skipme"],
            "exclude_embeddings": False,
            "adam_lr_ratio": 0.1,
            "momentum": 0.9,
            "ns_steps": 3,
            "nesterov": False,
            "rms_rate": None,
        },
    ),
    "lso_default": ("LossScaleOptimizer", {"inner_optimizer": ["Adam", {}]}),
    "lso_custom": (
        "LossScaleOptimizer",
        {
            "inner_optimizer": ["SGD", {"learning_rate": 0.1}],
            "initial_scale": 8.0,
            "dynamic_growth_steps": 2,
        },
    ),
}


def make(cls_name, kwargs):
    kwargs = dict(kwargs)
    if "inner_optimizer" in kwargs:
        inner_name, inner_kwargs = kwargs["inner_optimizer"]
        kwargs["inner_optimizer"] = getattr(keras.optimizers, inner_name)(**inner_kwargs)
    return getattr(keras.optimizers, cls_name)(**kwargs)


def apply(opt, grads, weights):
    grads = [keras.ops.convert_to_tensor(g) for g in grads]
    if not isinstance(opt, keras.optimizers.LossScaleOptimizer):
        opt.apply(grads, weights)
        return
    # on JAX, LossScaleOptimizer's eager `apply` traces a stateful `cond`; the stateless path
    # (the one `fit` uses) computes the same update
    if not opt.built:  # Keras's LossScaleOptimizer.build is not idempotent
        opt.build(weights)
    new_w, new_vars = opt.stateless_apply(
        [v.value for v in opt.variables], grads, [w.value for w in weights]
    )
    for v, value in zip(weights + opt.variables, list(new_w) + list(new_vars)):
        v.assign(value)


MODEL_CASES = {
    "adafactor": lambda: keras.optimizers.Adafactor(learning_rate=0.01),
    "muon": lambda: keras.optimizers.Muon(learning_rate=0.01),
    "lso": lambda: keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(0.01)),
}


def save_model(case, optimizer, out):
    """`optimizers2_<case>_k3.keras`: Dense(4) -> Dense(1) after 2 `fit` steps; the npz gets
    `model_<case>/x`, `/y`, `/variables` (JSON paths) and `/var<j>` (optimizer variables)."""
    keras.utils.set_random_seed(3)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((16, 3)).astype("float32")
    y = x[:, :1] - x[:, 1:2]
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, name="d1"), keras.layers.Dense(1, name="d2")],
        name=f"opt_{case}",
    )
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    model.save(os.path.join(HERE, f"optimizers2_{case}_k3.keras"))
    out[f"model_{case}/x"], out[f"model_{case}/y"] = x, y
    out[f"model_{case}/variables"] = np.array(json.dumps([v.path for v in optimizer.variables]))
    for j, v in enumerate(optimizer.variables):
        out[f"model_{case}/var{j}"] = keras.ops.convert_to_numpy(v)


def main():
    rng = np.random.default_rng(7)
    out = {"names": np.array(json.dumps(NAMES))}
    init = [rng.standard_normal(s).astype("float32") for s in SHAPES]
    grads = [[rng.standard_normal(s).astype("float32") for s in SHAPES] for _ in range(STEPS)]
    for i, w in enumerate(init):
        out[f"init/{i}"] = w
    for t, gs in enumerate(grads):
        for i, g in enumerate(gs):
            out[f"grad/{t}/{i}"] = g
    out["cases"] = np.array(json.dumps(CASES))
    for case, (cls_name, kwargs) in CASES.items():
        opt = make(cls_name, kwargs)
        ws = [keras.Variable(w, name=n) for w, n in zip(init, NAMES)]
        out[f"{case}/config"] = np.array(json.dumps(opt.get_config()))
        for t, gs in enumerate(grads, start=1):
            if cls_name == "LossScaleOptimizer":
                scale = float(opt.scale_loss(1.0))
                gs = [g * np.float32(scale) for g in gs]
                if t == 3:
                    gs[1] = gs[1].copy()
                    gs[1][0, 0] = np.inf
                out[f"{case}/scale{t}"] = np.float32(scale)
            apply(opt, gs, ws)
            for i, w in enumerate(ws):
                out[f"{case}/step{t}/{i}"] = keras.ops.convert_to_numpy(w)
        out[f"{case}/variables"] = np.array(
            json.dumps([[v.path, list(v.shape)] for v in opt.variables])
        )
        for j, v in enumerate(opt.variables):
            out[f"{case}/var{j}"] = keras.ops.convert_to_numpy(v)
    for case, make_opt in MODEL_CASES.items():
        save_model(case, make_opt(), out)
    np.savez(os.path.join(HERE, "optimizers2_k3.npz"), **out)
    print(f"wrote {len(out)} arrays for {len(CASES)} cases")


if __name__ == "__main__":
    main()
