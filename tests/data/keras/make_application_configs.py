"""Writes `applications_k3.json`: the layer lists and parameter counts of real Keras 3
`keras.applications` models (Xception, ResNet50V2/101V2/152V2, VGG19, DenseNet121/169/201,
EfficientNetB0), for the minikeras application tests.

Each model is built with `weights=None` in a fresh session, with the top (`classes=5`) at the
smallest input size Keras accepts. Run from outside the Keras source tree:

    KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_application_configs.py

JSON layout: one entry per model name with `kwargs` (the builder's arguments), `name` (the
model's name), `layers` (a list of [name, class_name, {argument: value}, [inbound layer names]]
holding only the arguments the tests compare), `weight_shapes` (the shapes of `model.weights`,
in Keras's order: the order a weights file is read by position), `params` (count_params() of
that model), `params_full` (count_params() of the default model, `weights=None`) and `params_notop`
(`include_top=False` at the same small size).
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "applications_k3.json")
KEYS = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "use_bias",
    "epsilon",
    "momentum",
    "units",
    "activation",
    "pool_size",
    "axis",
    "depth_multiplier",
    "rate",
    "scale",
    "center",
    "target_shape",
    "cropping",
    "offset",
    "mean",
    "variance",
    "dilation_rate",
    "noise_shape",
    "max_value",
)
MODELS = {
    "Xception": 71,
    "ResNet50V2": 32,
    "ResNet101V2": 32,
    "ResNet152V2": 32,
    "VGG19": 32,
    "DenseNet121": 32,
    "DenseNet169": 32,
    "DenseNet201": 32,
    "EfficientNetB0": 32,
}


def plain(v):
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if hasattr(v, "tolist"):
        return v.tolist()
    if isinstance(v, dict):  # serialized objects (e.g. an activation function)
        return v.get("config", v)
    return v


def describe(layer):
    config = layer.get_config()
    args = {k: plain(config[k]) for k in KEYS if k in config}
    inbound = []
    for node in layer._inbound_nodes[:1]:
        inbound = [t._keras_history.operation.name for t in node.input_tensors]
    return [layer.name, type(layer).__name__, args, inbound]


def main():
    out = {}
    for name, size in MODELS.items():
        build = getattr(keras.applications, name)
        kwargs = {"weights": None, "input_shape": [size, size, 3], "classes": 5}
        keras.backend.clear_session()
        model = build(**kwargs)
        entry = {
            "kwargs": kwargs,
            "name": model.name,
            "params": model.count_params(),
            "layers": [describe(layer) for layer in model.layers],
            "weight_shapes": [list(w.shape) for w in model.weights],
        }
        keras.backend.clear_session()
        entry["params_notop"] = build(
            weights=None, include_top=False, input_shape=(size, size, 3)
        ).count_params()
        keras.backend.clear_session()
        entry["params_full"] = build(weights=None).count_params()
        out[name] = entry
        print(name, entry["params_full"], len(entry["layers"]), flush=True)
    counts = {}
    for name in (f"EfficientNetB{i}" for i in range(1, 8)):
        build = getattr(keras.applications, name)
        keras.backend.clear_session()
        notop = build(weights=None, include_top=False, input_shape=(32, 32, 3)).count_params()
        keras.backend.clear_session()
        counts[name] = {"params_full": build(weights=None).count_params(), "params_notop": notop}
        print(name, counts[name], flush=True)
    with open(OUT, "w") as f:
        json.dump(
            {"keras_version": keras.__version__, "models": out, "counts": counts},
            f,
            separators=(",", ":"),
        )
        f.write("\n")


if __name__ == "__main__":
    main()
