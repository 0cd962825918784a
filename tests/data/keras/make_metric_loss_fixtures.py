"""Writes `metrics_losses2_k3.npz`: inputs and real Keras 3 values for the IoU, R2, correlation
and sensitivity/specificity metrics, `keras.ops.ctc_loss` (values and gradients w.r.t. the
logits), `keras.ops.ctc_decode` and the `circle` loss.

Keras's jax backend is the reference. Run from outside the Keras source tree:

    KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_metric_loss_fixtures.py

npz keys: `x_<name>` the inputs. Metrics, per case `i`: `metric<i>` (JSON: "cls", "kwargs", the
input names "y_true", "y_pred", "sw" (list of two names, one per `update_state` call), "config"
and "variables" as `[path, shape, dtype]`), `m<i>_plain` the result after two unweighted updates
and `m<i>_weighted` after two weighted ones (a fresh metric each). CTC: `ctc<i>` (JSON: input
names and kwargs), `ctc<i>_loss`, `ctc<i>_grad` (d sum(loss) / d logits). Decode: `dec<i>` (JSON),
`dec<i>_paths`, `dec<i>_scores`. Circle: `circle<i>` (JSON), `circle<i>_loss`. Also
`metrics_compiled_k3.keras`, a model compiled with these metrics, with `compiled_x`,
`compiled_y` and `compiled_logs` (its `evaluate` logs, JSON).
"""

import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics_losses2_k3.npz")
KERAS_FILE = os.path.join(os.path.dirname(OUT), "metrics_compiled_k3.keras")


def inputs():
    rng = np.random.default_rng(7)
    x = {}
    # segmentation-like sparse labels, with out-of-range ids (-1, 3) and a void id 255
    seg_t = rng.integers(0, 3, (2, 2, 4, 4))
    seg_p = rng.integers(0, 3, (2, 2, 4, 4))
    seg_t[0, 0, 0, :2] = [-1, 255]
    seg_t[1, 1, 3, 3] = 255
    seg_p[0, 1, 2, 1] = 3
    for k in range(2):
        x[f"seg_t{k}"], x[f"seg_p{k}"] = seg_t[k].astype("int32"), seg_p[k].astype("int32")
        x[f"seg_swi{k}"] = rng.integers(0, 4, (2, 4, 4)).astype("int32")
        x[f"seg_swf{k}"] = rng.uniform(0, 2, (2, 4, 4)).astype("float32")
        x[f"seg_sw1{k}"] = rng.integers(0, 3, (2,)).astype("int32")[:, None, None] * np.ones(
            (1, 4, 4), "int32"
        )
        # one-hot labels and scores over 3 classes
        x[f"oh_t{k}"] = np.eye(3, dtype="float32")[rng.integers(0, 3, 7)]
        x[f"oh_p{k}"] = rng.uniform(0, 1, (7, 3)).astype("float32")
        x[f"oh_ps{k}"] = rng.integers(0, 3, 7).astype("int32")
        x[f"oh_sw{k}"] = rng.integers(0, 3, 7).astype("int32")
        x[f"oh_swf{k}"] = rng.uniform(0, 2, 7).astype("float32")
        # binary
        x[f"bin_t{k}"] = rng.integers(0, 2, 30).astype("float32")
        x[f"bin_p{k}"] = np.clip(0.35 * x[f"bin_t{k}"] + rng.uniform(0, 0.7, 30), 0, 1).astype(
            "float32"
        )
        x[f"bin_sw{k}"] = rng.uniform(0, 2, 30).astype("float32")
        x[f"bin_swi{k}"] = rng.integers(0, 3, 30).astype("int32")
        x[f"cls_t{k}"] = np.eye(3, dtype="float32")[rng.integers(0, 3, 12)]
        x[f"cls_p{k}"] = rng.uniform(0, 1, (12, 3)).astype("float32")
        x[f"cls_sw{k}"] = rng.uniform(0, 2, 12).astype("float32")
        # regression
        x[f"reg_t{k}"] = rng.normal(0, 1, (9, 3)).astype("float32")
        x[f"reg_p{k}"] = (x[f"reg_t{k}"] + rng.normal(0, 0.6, (9, 3))).astype("float32")
        x[f"reg_sw{k}"] = rng.uniform(0, 2, 9).astype("float32")
        x[f"reg_sw{k}"][2] = 0.0
        x[f"reg_sw2{k}"] = rng.uniform(0, 2, (9, 3)).astype("float32")
        x[f"reg1_t{k}"] = rng.normal(0, 1, (9, 1)).astype("float32")
        x[f"reg1_p{k}"] = (x[f"reg1_t{k}"][:, 0] + rng.normal(0, 0.6, 9)).astype("float32")
        x[f"cor_t{k}"] = rng.normal(0, 1, (5, 6)).astype("float32")
        x[f"cor_p{k}"] = (0.5 * x[f"cor_t{k}"] + rng.normal(0.3, 0.8, (5, 6))).astype("float32")
        x[f"cor_sw{k}"] = rng.uniform(0, 2, 5).astype("float32")
    return x


def pair(name):
    return [f"{name}0", f"{name}1"]


# (class name, kwargs, y_true, y_pred, sample weight) names; each input name gets 0 / 1 appended
METRIC_CASES = [
    ("MeanIoU", {"num_classes": 3}, "seg_t", "seg_p", "seg_swi"),
    ("MeanIoU", {"num_classes": 3, "dtype": "float32"}, "seg_t", "seg_p", "seg_swf"),
    ("MeanIoU", {"num_classes": 3, "ignore_class": 255}, "seg_t", "seg_p", "seg_sw1"),
    ("MeanIoU", {"num_classes": 4, "dtype": "float32"}, "seg_t", "seg_p", "seg_swf"),
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "seg_t", "seg_p", "seg_swi"),
    (
        "IoU",
        {
            "num_classes": 3,
            "target_class_ids": [1],
            "dtype": "float32",
            "sparse_y_true": False,
            "sparse_y_pred": False,
        },
        "oh_t",
        "oh_p",
        "oh_swf",
    ),
    ("BinaryIoU", {}, "bin_t", "bin_p", "bin_swi"),
    (
        "BinaryIoU",
        {"target_class_ids": [1], "threshold": 0.3, "dtype": "float32"},
        "bin_t",
        "bin_p",
        "bin_sw",
    ),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "oh_t", "oh_p", "oh_sw"),
    (
        "OneHotIoU",
        {"num_classes": 3, "target_class_ids": [1, 2], "sparse_y_pred": True, "dtype": "float32"},
        "oh_t",
        "oh_ps",
        "oh_swf",
    ),
    ("OneHotMeanIoU", {"num_classes": 3}, "oh_t", "oh_p", "oh_sw"),
    ("OneHotMeanIoU", {"num_classes": 3, "dtype": "float32"}, "oh_t", "oh_p", "oh_swf"),
    ("R2Score", {}, "reg_t", "reg_p", "reg_sw"),
    ("R2Score", {"class_aggregation": None}, "reg_t", "reg_p", "reg_sw2"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "reg_t", "reg_p", "reg_sw"),
    ("R2Score", {"num_regressors": 3}, "reg_t", "reg_p", "reg_sw"),
    ("R2Score", {"num_regressors": 2}, "reg1_t", "reg1_p", "reg_sw"),
    ("PearsonCorrelation", {}, "cor_t", "cor_p", "cor_sw"),
    ("PearsonCorrelation", {"axis": 0}, "cor_t", "cor_p", None),
    ("ConcordanceCorrelation", {}, "cor_t", "cor_p", "cor_sw"),
    ("PrecisionAtRecall", {"recall": 0.7}, "bin_t", "bin_p", "bin_sw"),
    ("PrecisionAtRecall", {"recall": 0.4, "num_thresholds": 1}, "bin_t", "bin_p", "bin_sw"),
    ("RecallAtPrecision", {"precision": 0.8}, "bin_t", "bin_p", "bin_sw"),
    (
        "RecallAtPrecision",
        {"precision": 0.6, "num_thresholds": 7, "class_id": 1},
        "cls_t",
        "cls_p",
        "cls_sw",
    ),
    ("SensitivityAtSpecificity", {"specificity": 0.6}, "bin_t", "bin_p", "bin_sw"),
    (
        "SensitivityAtSpecificity",
        {"specificity": 0.5, "num_thresholds": 13},
        "bin_t",
        "bin_p",
        "bin_swi",
    ),
    ("SpecificityAtSensitivity", {"sensitivity": 0.8}, "bin_t", "bin_p", "bin_sw"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.9, "class_id": 2}, "cls_t", "cls_p", "cls_sw"),
]


def metric_fixtures(keras, x, out):
    for i, (cls_name, kwargs, yt, yp, sw) in enumerate(METRIC_CASES):
        cls = getattr(keras.metrics, cls_name)
        m = cls(**kwargs)
        for k in range(2):
            m.update_state(x[f"{yt}{k}"], x[f"{yp}{k}"])
        out[f"m{i}_plain"] = np.asarray(m.result())
        record = {
            "cls": cls_name,
            "kwargs": kwargs,
            "y_true": pair(yt),
            "y_pred": pair(yp),
            "sw": pair(sw) if sw else None,
            "config": {k: v for k, v in m.get_config().items() if k != "name"},
            "variables": [
                [v.path.split("/", 1)[1], list(v.shape), str(v.dtype)] for v in m.variables
            ],
        }
        m = cls(**kwargs)
        for k in range(2):
            m.update_state(x[f"{yt}{k}"], x[f"{yp}{k}"], x[f"{sw}{k}"] if sw else None)
        out[f"m{i}_weighted"] = np.asarray(m.result())
        out[f"metric{i}"] = np.array(json.dumps(record))


def loss_inputs(x):
    rng = np.random.default_rng(11)
    x["ctc_z"] = rng.normal(0, 1.5, (4, 9, 5)).astype("float32")
    x["ctc_y"] = np.array([[1, 2, 2, 0], [3, 3, 3, 0], [4, 1, 0, 0], [2, 0, 0, 0]], "int32")
    x["ctc_yl"] = np.array([3, 3, 2, 1], "int32")
    x["ctc_zl"] = np.array([9, 7, 9, 4], "int32")
    x["ctc_y4"] = np.array([[0, 1, 1, 4], [2, 2, 3, 3], [1, 0, 4, 4], [3, 0, 4, 4]], "int32")
    x["ctc_ylf"] = np.array([3, 4, 2, 1], "int32")
    x["ctc_zlf"] = np.array([9, 9, 9, 9], "int32")
    x["ctc_loss_y"] = np.array([[1, 2, 2, 0], [3, 3, 3, 0], [4, 1, 0, 0], [2, 0, 0, 0]], "int32")
    probs = rng.uniform(0, 1, (3, 8, 4)).astype("float32")
    probs[0, 2:4, 1] = 5.0  # a repeated best class
    x["dec_x"] = probs
    x["dec_len"] = np.array([8, 5, 1], "int32")
    x["dec_x2"] = rng.normal(0, 2, (2, 12, 6)).astype("float32")
    x["dec_len2"] = np.array([12, 9], "int32")
    emb = rng.normal(0, 1, (8, 5)).astype("float32")
    x["circ_emb"] = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    x["circ_y"] = np.array([0, 1, 0, 2, 1, 0, 3, 2], "int32")
    ref = rng.normal(0, 1, (6, 5)).astype("float32")
    x["circ_ref"] = ref / np.linalg.norm(ref, axis=1, keepdims=True)
    x["circ_refy"] = np.array([0, 1, 2, 0, 1, 4], "int32")


CTC_CASES = [
    (
        {
            "target": "ctc_y",
            "output": "ctc_z",
            "target_length": "ctc_yl",
            "output_length": "ctc_zl",
        },
        {},
    ),
    (
        {
            "target": "ctc_y4",
            "output": "ctc_z",
            "target_length": "ctc_ylf",
            "output_length": "ctc_zlf",
        },
        {"mask_index": 4},
    ),
    (
        {
            "target": "ctc_y",
            "output": "ctc_z",
            "target_length": "ctc_yl",
            "output_length": "ctc_zl",
        },
        {"mask_index": 0},
    ),
]
DECODE_CASES = [
    {"strategy": "greedy"},
    {"strategy": "greedy", "merge_repeated": False},
    {"strategy": "greedy", "mask_index": 3},
    {"strategy": "greedy", "mask_index": None},
    {"strategy": "beam_search", "beam_width": 3, "top_paths": 2},
    {"strategy": "beam_search"},
    {"strategy": "beam_search", "beam_width": 5, "top_paths": 3, "mask_index": 2},
    {"strategy": "beam_search", "beam_width": 2, "mask_index": None},
    {"strategy": "beam_search", "beam_width": 8, "top_paths": 4, "x": "dec_x2", "len": "dec_len2"},
]
CIRCLE_CASES = [
    {},
    {"gamma": 10.0, "margin": 0.25},
    {"remove_diagonal": False, "gamma": 5.0},
    {"ref": True, "gamma": 3.0},
]


def loss_fixtures(keras, x, out):
    import jax

    for i, (names, kwargs) in enumerate(CTC_CASES):
        args = {k: x[v] for k, v in names.items()}

        def total(z, args=args, kwargs=kwargs):
            return keras.ops.sum(
                keras.ops.ctc_loss(
                    args["target"], z, args["target_length"], args["output_length"], **kwargs
                )
            )

        loss = keras.ops.ctc_loss(**args, **kwargs)
        out[f"ctc{i}_loss"] = np.asarray(loss)
        out[f"ctc{i}_grad"] = np.asarray(jax.grad(total)(args["output"]))
        out[f"ctc{i}"] = np.array(json.dumps({"names": names, "kwargs": kwargs}))
    out["ctcfn_loss"] = np.asarray(keras.losses.ctc(x["ctc_loss_y"], x["ctc_z"]))
    out["ctccls_loss"] = np.asarray(keras.losses.CTC()(x["ctc_loss_y"], x["ctc_z"]))
    for i, kwargs in enumerate(DECODE_CASES):
        kw = {k: v for k, v in kwargs.items() if k not in ("x", "len")}
        inputs, lengths = x[kwargs.get("x", "dec_x")], x[kwargs.get("len", "dec_len")]
        paths, scores = keras.ops.ctc_decode(inputs, lengths, **kw)
        out[f"dec{i}_paths"], out[f"dec{i}_scores"] = np.asarray(paths), np.asarray(scores)
        out[f"dec{i}"] = np.array(json.dumps(kwargs))
    for i, kwargs in enumerate(CIRCLE_CASES):
        kw = dict(kwargs)
        if kw.pop("ref", False):
            kw["ref_labels"], kw["ref_embeddings"] = x["circ_refy"], x["circ_ref"]
        out[f"circle{i}_loss"] = np.asarray(keras.losses.circle(x["circ_y"], x["circ_emb"], **kw))
        if "ref_labels" not in kw:
            cls = keras.losses.Circle(**kw)
            out[f"circle{i}_cls"] = np.asarray(cls(x["circ_y"], x["circ_emb"]))
            out[f"circle{i}_config"] = np.array(json.dumps(cls.get_config()))
        out[f"circle{i}"] = np.array(json.dumps(kwargs))


def compiled_model_fixture(keras, out):
    """A small model compiled with the new metrics, trained one epoch and saved as .keras."""
    inp = keras.Input((4,))
    model = keras.Model(inp, keras.layers.Dense(3, activation="softmax")(inp))
    model.compile(
        "adam",
        "categorical_crossentropy",
        metrics=[
            keras.metrics.OneHotMeanIoU(num_classes=3),
            keras.metrics.R2Score(),
            keras.metrics.PrecisionAtRecall(0.5, class_id=1),
            keras.metrics.PearsonCorrelation(),
            keras.metrics.BinaryIoU(target_class_ids=[1], threshold=0.4),
        ],
    )
    rng = np.random.default_rng(0)
    x = rng.random((16, 4)).astype("float32")
    y = np.eye(3, dtype="float32")[rng.integers(0, 3, 16)]
    model.fit(x, y, epochs=1, verbose=0)
    model.save(KERAS_FILE)
    out["compiled_x"], out["compiled_y"] = x, y
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    out["compiled_logs"] = np.array(json.dumps({k: float(v) for k, v in logs.items()}))


def main():
    import warnings

    warnings.simplefilter("ignore")
    import keras

    x = inputs()
    loss_inputs(x)
    out = {f"x_{k}": v for k, v in x.items()}
    metric_fixtures(keras, x, out)
    loss_fixtures(keras, x, out)
    compiled_model_fixture(keras, out)
    np.savez(OUT, **out)
    print(f"wrote {OUT}: {len(out)} arrays")


if __name__ == "__main__":
    main()
