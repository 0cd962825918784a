"""The losses, metrics and optimizers of the Keras 3 parity sweep, as plain data shared by
`make_fixtures.py` (records Keras's answers) and the `test_*_parity.py` files (replay them).

Loss and metric cases are `(name, class_name, kwargs, family)`; `family` picks the data:
"reg" normal targets and predictions, "pos" positive ones, "bin" 0/1 labels and probabilities,
"logit" 0/1 labels and logits, "cat" one-hot labels and probability rows, "catlogit" one-hot
labels and logits, "sparse" integer labels and probability rows, "sparselogit" integer labels
and logits, "hinge" -1/1 labels and scores. Optimizer cases are `(name, class_name, kwargs)`.
"""

import zlib

import numpy as np

LOSS_CASES = [
    ("mse", "MeanSquaredError", {}, "reg"),
    ("mse_sum", "MeanSquaredError", {"reduction": "sum"}, "reg"),
    ("mse_none", "MeanSquaredError", {"reduction": "none", "name": "m"}, "reg"),
    ("mse_sbs", "MeanSquaredError", {"reduction": "sum_over_batch_size"}, "reg"),
    ("mae", "MeanAbsoluteError", {}, "reg"),
    ("mape", "MeanAbsolutePercentageError", {}, "reg"),
    ("msle", "MeanSquaredLogarithmicError", {}, "pos"),
    ("cosine", "CosineSimilarity", {}, "reg"),
    ("cosine_a", "CosineSimilarity", {"axis": 0, "reduction": "sum"}, "reg1"),
    ("huber", "Huber", {}, "reg"),
    ("huber_d", "Huber", {"delta": 0.3}, "reg"),
    ("logcosh", "LogCosh", {}, "reg"),
    ("poisson", "Poisson", {}, "pos"),
    ("kld", "KLDivergence", {}, "pos"),
    ("bce", "BinaryCrossentropy", {}, "bin"),
    ("bce_l", "BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logit"),
    ("bfce", "BinaryFocalCrossentropy", {}, "bin"),
    (
        "bfce_b",
        "BinaryFocalCrossentropy",
        {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.5, "from_logits": True},
        "logit",
    ),
    ("cce", "CategoricalCrossentropy", {}, "cat"),
    ("cce_l", "CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "catlogit"),
    ("cfce", "CategoricalFocalCrossentropy", {}, "cat"),
    ("cfce_l", "CategoricalFocalCrossentropy", {"from_logits": True, "alpha": 0.5}, "catlogit"),
    ("cgce", "CategoricalGeneralizedCrossEntropy", {}, "sparse"),
    ("scce", "SparseCategoricalCrossentropy", {}, "sparse"),
    (
        "scce_l",
        "SparseCategoricalCrossentropy",
        {"from_logits": True, "ignore_class": 1},
        "sparselogit",
    ),
    ("hinge", "Hinge", {}, "hinge"),
    ("sqhinge", "SquaredHinge", {}, "hinge"),
    ("cathinge", "CategoricalHinge", {}, "cat"),
    ("dice", "Dice", {}, "bin"),
    ("dice_a", "Dice", {"axis": [1]}, "bin"),
    ("tversky", "Tversky", {}, "bin"),
    ("tversky_b", "Tversky", {"alpha": 0.3, "beta": 0.7}, "bin"),
    ("mse_mwsw", "MeanSquaredError", {"reduction": "mean_with_sample_weight"}, "reg"),
    ("mae_rnone", "MeanAbsoluteError", {"reduction": None}, "reg"),
    ("mse_mean", "MeanSquaredError", {"reduction": "mean"}, "reg"),
    ("kld_f64", "KLDivergence", {"dtype": "float64"}, "pos"),
    ("huber_none", "Huber", {"delta": 2.0, "reduction": "none"}, "reg"),
    ("logcosh_name", "LogCosh", {"name": "lc"}, "reg"),
    ("cathinge_sum", "CategoricalHinge", {"reduction": "sum"}, "cat"),
    ("cgce_q", "CategoricalGeneralizedCrossEntropy", {"q": 0.2}, "sparse"),
    ("dice_none", "Dice", {"reduction": "none"}, "bin"),
    ("bfce_s", "BinaryFocalCrossentropy", {"label_smoothing": 0.1, "gamma": 0.5}, "bin"),
]

METRIC_CASES = [
    ("m_mse", "MeanSquaredError", {}, "reg"),
    ("m_mae", "MeanAbsoluteError", {}, "reg"),
    ("m_mape", "MeanAbsolutePercentageError", {}, "reg"),
    ("m_msle", "MeanSquaredLogarithmicError", {}, "pos"),
    ("m_rmse", "RootMeanSquaredError", {}, "reg"),
    ("m_cos", "CosineSimilarity", {}, "reg"),
    ("m_logcosh", "LogCoshError", {}, "reg"),
    ("m_poisson", "Poisson", {}, "pos"),
    ("m_kld", "KLDivergence", {}, "pos"),
    ("m_r2", "R2Score", {}, "reg"),
    ("m_pearson", "PearsonCorrelation", {}, "reg"),
    ("m_concord", "ConcordanceCorrelation", {}, "reg"),
    ("m_acc", "Accuracy", {}, "sparse_eq"),
    ("m_binacc", "BinaryAccuracy", {}, "bin"),
    ("m_binacc_t", "BinaryAccuracy", {"threshold": 0.7}, "bin"),
    ("m_catacc", "CategoricalAccuracy", {}, "cat"),
    ("m_scatacc", "SparseCategoricalAccuracy", {}, "sparse"),
    ("m_topk", "TopKCategoricalAccuracy", {"k": 2}, "cat"),
    ("m_stopk", "SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("m_bce", "BinaryCrossentropy", {}, "bin"),
    ("m_cce", "CategoricalCrossentropy", {}, "cat"),
    ("m_scce", "SparseCategoricalCrossentropy", {}, "sparse"),
    ("m_hinge", "Hinge", {}, "hinge"),
    ("m_sqhinge", "SquaredHinge", {}, "hinge"),
    ("m_cathinge", "CategoricalHinge", {}, "cat"),
    ("m_auc", "AUC", {}, "bin"),
    ("m_auc_pr", "AUC", {"curve": "PR", "num_thresholds": 50}, "bin"),
    ("m_auc_ml", "AUC", {"multi_label": True, "num_labels": 3}, "bin"),
    ("m_precision", "Precision", {}, "bin"),
    ("m_precision_t", "Precision", {"thresholds": [0.3, 0.6], "top_k": None}, "bin"),
    ("m_recall", "Recall", {}, "bin"),
    ("m_tp", "TruePositives", {}, "bin"),
    ("m_fp", "FalsePositives", {"thresholds": 0.3}, "bin"),
    ("m_tn", "TrueNegatives", {}, "bin"),
    ("m_fn", "FalseNegatives", {}, "bin"),
    ("m_p_at_r", "PrecisionAtRecall", {"recall": 0.5}, "bin"),
    ("m_r_at_p", "RecallAtPrecision", {"precision": 0.5}, "bin"),
    ("m_s_at_s", "SensitivityAtSpecificity", {"specificity": 0.5}, "bin"),
    ("m_sp_at_s", "SpecificityAtSensitivity", {"sensitivity": 0.5}, "bin"),
    ("m_f1", "F1Score", {}, "cat"),
    ("m_fbeta", "FBetaScore", {"beta": 2.0, "average": "macro", "threshold": 0.4}, "cat"),
    ("m_iou", "IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "sparse_eq"),
    ("m_meaniou", "MeanIoU", {"num_classes": 3}, "sparse_eq"),
    ("m_binaryiou", "BinaryIoU", {}, "bin1"),
    ("m_binaryiou_t", "BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "bin1"),
    ("m_onehotiou", "OneHotIoU", {"num_classes": 3, "target_class_ids": [1]}, "cat"),
    ("m_onehotmeaniou", "OneHotMeanIoU", {"num_classes": 3}, "cat"),
    ("m_mean", "Mean", {}, "values"),
    ("m_sum", "Sum", {}, "values"),
    ("m_acc_f", "Accuracy", {"name": "acc", "dtype": "float64"}, "bin"),
    ("m_auc_logits", "AUC", {"from_logits": True, "summation_method": "minoring"}, "logit"),
    ("m_auc_maj", "AUC", {"summation_method": "majoring", "thresholds": [0.2, 0.5, 0.8]}, "bin"),
    ("m_precision_k", "Precision", {"top_k": 2}, "bin"),
    ("m_precision_c", "Precision", {"class_id": 1, "thresholds": 0.4}, "bin"),
    ("m_recall_c", "Recall", {"class_id": 2}, "bin"),
    ("m_f1_none", "F1Score", {"average": None, "threshold": 0.5}, "cat"),
    ("m_f1_micro", "F1Score", {"average": "micro"}, "cat"),
    ("m_f1_weighted", "F1Score", {"average": "weighted", "threshold": 0.3}, "cat"),
    ("m_r2_vw", "R2Score", {"class_aggregation": "variance_weighted_average"}, "reg"),
    ("m_r2_none", "R2Score", {"class_aggregation": None}, "reg"),
    (
        "m_iou_ign",
        "IoU",
        {"num_classes": 3, "target_class_ids": [0, 1], "ignore_class": 2},
        "sparse_eq",
    ),
    ("m_meaniou_sp", "MeanIoU", {"num_classes": 3, "sparse_y_pred": False}, "sparse"),
    ("m_scce_l", "SparseCategoricalCrossentropy", {"from_logits": True}, "sparselogit"),
    ("m_cce_ls", "CategoricalCrossentropy", {"label_smoothing": 0.1}, "cat"),
    ("m_bce_l", "BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "logit"),
    (
        "m_p_at_r_n",
        "PrecisionAtRecall",
        {"recall": 0.8, "num_thresholds": 20, "class_id": 1},
        "bin",
    ),
    ("m_s_at_s_c", "SensitivityAtSpecificity", {"specificity": 0.3, "num_thresholds": 10}, "bin"),
    ("m_binacc_f64", "BinaryAccuracy", {"dtype": "float64"}, "bin"),
    ("m_topk_3", "TopKCategoricalAccuracy", {"k": 1, "name": "top1"}, "cat"),
]

OPTIMIZER_CASES = [
    ("sgd", "SGD", {}),
    ("sgd_m", "SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("adam", "Adam", {}),
    (
        "adam_b",
        "Adam",
        {
            "learning_rate": 0.01,
            "amsgrad": True,
            "epsilon": 1e-3,
            "weight_decay": 0.01,
            "clipnorm": 1.0,
        },
    ),
    ("adamw", "AdamW", {}),
    ("adamax", "Adamax", {}),
    ("adagrad", "Adagrad", {}),
    ("adadelta", "Adadelta", {}),
    ("adadelta_b", "Adadelta", {"learning_rate": 1.0, "rho": 0.9}),
    ("rmsprop", "RMSprop", {}),
    ("rmsprop_b", "RMSprop", {"momentum": 0.5, "centered": True, "clipvalue": 0.1}),
    ("nadam", "Nadam", {}),
    ("lion", "Lion", {}),
    ("lamb", "Lamb", {}),
    ("ftrl", "Ftrl", {}),
    ("adafactor", "Adafactor", {}),
    ("sfadamw", "ScheduleFreeAdamW", {}),
    (
        "sgd_ema",
        "SGD",
        {"learning_rate": 0.1, "use_ema": True, "ema_momentum": 0.5, "global_clipnorm": 0.5},
    ),
    ("adam_accum", "Adam", {"gradient_accumulation_steps": 2}),
    (
        "sgd_sched",
        "SGD",
        {
            "learning_rate": {
                "class_name": "ExponentialDecay",
                "config": {"initial_learning_rate": 0.1, "decay_steps": 2, "decay_rate": 0.5},
            }
        },
    ),
    (
        "adam_cos",
        "Adam",
        {
            "learning_rate": {
                "class_name": "CosineDecay",
                "config": {
                    "initial_learning_rate": 0.01,
                    "decay_steps": 4,
                    "alpha": 0.1,
                    "warmup_target": None,
                    "warmup_steps": 0,
                },
            }
        },
    ),
    (
        "rmsprop_pw",
        "RMSprop",
        {
            "learning_rate": {
                "class_name": "PiecewiseConstantDecay",
                "config": {"boundaries": [1], "values": [0.1, 0.01]},
            }
        },
    ),
    ("adamw_b", "AdamW", {"weight_decay": 0.1, "beta_1": 0.8, "amsgrad": True}),
    ("nadam_b", "Nadam", {"learning_rate": 0.01, "beta_2": 0.9}),
    ("adamax_b", "Adamax", {"learning_rate": 0.1, "epsilon": 1e-3}),
    ("adagrad_b", "Adagrad", {"initial_accumulator_value": 0.5, "learning_rate": 0.1}),
    ("lion_b", "Lion", {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9}),
    ("lamb_b", "Lamb", {"learning_rate": 0.01, "weight_decay": 0.01}),
    (
        "ftrl_b",
        "Ftrl",
        {
            "learning_rate": 0.1,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.1,
            "beta": 0.5,
            "learning_rate_power": -0.7,
        },
    ),
    (
        "adafactor_b",
        "Adafactor",
        {"learning_rate": 0.01, "clip_threshold": 0.5, "relative_step": False},
    ),
    ("sfadamw_w", "ScheduleFreeAdamW", {"warmup_steps": 2, "weight_decay": 0.01}),
    ("sgd_lsf", "SGD", {"loss_scale_factor": 2.0, "name": "my_sgd"}),
]


def rng_for(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def data(name, family, n=6, k=3):
    """(y_true, y_pred, sample_weight) pairs for two updates, as float32/int32 arrays."""
    rng = rng_for(name)
    out = []
    for _ in range(2):
        sw = rng.uniform(0.0, 2.0, n).astype("float32")
        if family == "reg1":  # one value per sample
            yt, yp = rng.standard_normal(n), rng.standard_normal(n)
        elif family == "bin1":
            yt, yp = rng.integers(0, 2, n).astype("float32"), rng.uniform(0.05, 0.95, n)
        elif family == "reg":
            yt, yp = rng.standard_normal((n, k)), rng.standard_normal((n, k))
        elif family == "pos":
            yt, yp = rng.uniform(0.1, 1.0, (n, k)), rng.uniform(0.1, 1.0, (n, k))
        elif family in ("bin", "logit"):
            yt = rng.integers(0, 2, (n, k)).astype("float32")
            yp = rng.uniform(0.05, 0.95, (n, k)) if family == "bin" else rng.normal(0, 2, (n, k))
        elif family in ("cat", "catlogit"):
            yt = np.eye(k)[rng.integers(0, k, n)]
            yp = rng.normal(0, 2, (n, k))
            if family == "cat":
                yp = np.exp(yp) / np.exp(yp).sum(-1, keepdims=True)
        elif family in ("sparse", "sparselogit"):
            yt = rng.integers(0, k, n).astype("int32")
            yp = rng.normal(0, 2, (n, k))
            if family == "sparse":
                yp = np.exp(yp) / np.exp(yp).sum(-1, keepdims=True)
        elif family == "sparse_eq":
            yt, yp = rng.integers(0, k, n).astype("int32"), rng.integers(0, k, n).astype("int32")
        elif family == "hinge":
            yt = rng.choice([-1.0, 1.0], (n, k))
            yp = rng.standard_normal((n, k))
        elif family == "values":
            yt, yp = rng.standard_normal((n,)), None
        else:
            raise ValueError(family)
        yt = yt.astype("int32") if yt.dtype.kind == "i" else yt.astype("float32")
        yp = (
            None
            if yp is None
            else (yp.astype("int32") if yp.dtype.kind == "i" else yp.astype("float32"))
        )
        out.append((yt, yp, sw))
    return out


def opt_data(name):
    """Initial weights (a matrix and a vector) and three steps of gradients."""
    rng = rng_for(name)
    init = [rng.standard_normal((3, 4)).astype("float32"), rng.standard_normal(4).astype("float32")]
    grads = [[rng.standard_normal(w.shape).astype("float32") for w in init] for _ in range(3)]
    return init, grads


def make_optimizer(lib, cls, kwargs):
    """`lib.optimizers.<cls>(**kwargs)`, a dict learning rate deserialized as a schedule."""
    kwargs = dict(kwargs)
    if isinstance(kwargs.get("learning_rate"), dict):
        kwargs["learning_rate"] = lib.optimizers.schedules.deserialize(kwargs["learning_rate"])
    return getattr(lib.optimizers, cls)(**kwargs)


# Arguments Keras 3 refuses when the object is made (or takes, where its answer is no exception):
# (name, kind, class_name, kwargs).
ERROR_CASES = [
    ("loss_reduction", "losses", "MeanSquaredError", {"reduction": "bad"}),
    ("loss_unknown_kw", "losses", "MeanSquaredError", {"foo": 1}),
    ("huber_delta_neg", "losses", "Huber", {"delta": -1.0}),
    ("bce_smoothing", "losses", "BinaryCrossentropy", {"label_smoothing": 2.0}),
    ("scce_axis", "losses", "SparseCategoricalCrossentropy", {"axis": "a"}),
    ("dice_axis", "losses", "Dice", {"axis": "x"}),
    ("auc_thresholds", "metrics", "AUC", {"num_thresholds": 1}),
    ("auc_curve", "metrics", "AUC", {"curve": "bad"}),
    ("auc_summation", "metrics", "AUC", {"summation_method": "bad"}),
    ("precision_threshold", "metrics", "Precision", {"thresholds": 2.0}),
    ("recall_threshold_neg", "metrics", "Recall", {"thresholds": [-0.5]}),
    ("f1_average", "metrics", "F1Score", {"average": "bad"}),
    ("fbeta_beta", "metrics", "FBetaScore", {"beta": 0.0}),
    ("f1_threshold", "metrics", "F1Score", {"threshold": 2.0}),
    ("r2_aggregation", "metrics", "R2Score", {"class_aggregation": "bad"}),
    ("p_at_r_range", "metrics", "PrecisionAtRecall", {"recall": 1.5}),
    ("s_at_s_range", "metrics", "SensitivityAtSpecificity", {"specificity": -0.1}),
    ("tp_thresholds", "metrics", "TruePositives", {"thresholds": 1.5}),
    ("sgd_momentum", "optimizers", "SGD", {"momentum": 2.0}),
    ("sgd_momentum_neg", "optimizers", "SGD", {"momentum": -0.5}),
    ("clip_both", "optimizers", "SGD", {"clipnorm": 1.0, "global_clipnorm": 1.0}),
    ("clip_three", "optimizers", "Adam", {"clipnorm": 1.0, "clipvalue": 1.0}),
    ("ema_momentum", "optimizers", "Adam", {"use_ema": True, "ema_momentum": 2.0}),
    ("unknown_kw", "optimizers", "Adam", {"foo": 1}),
    ("lr_str", "optimizers", "Adam", {"learning_rate": "fast"}),
    ("accum_steps", "optimizers", "Adam", {"gradient_accumulation_steps": 1}),
    ("accum_steps_float", "optimizers", "Adam", {"gradient_accumulation_steps": 2.5}),
    ("adamw_decay_none", "optimizers", "AdamW", {"weight_decay": None}),
    ("ftrl_power", "optimizers", "Ftrl", {"learning_rate_power": 1.0}),
    ("ftrl_l1", "optimizers", "Ftrl", {"l1_regularization_strength": -1.0}),
    ("ftrl_init", "optimizers", "Ftrl", {"initial_accumulator_value": -1.0}),
    ("lion_beta", "optimizers", "Lion", {"beta_1": 0.0}),
    ("adagrad_init_neg", "optimizers", "Adagrad", {"initial_accumulator_value": -1.0}),
]

# Arguments Keras 3 takes that minikeras refuses with a ValueError: name -> what Keras does.
STRICTER = {
    "adagrad_init_neg": "Keras takes a negative initial accumulator; its steps are then NaN",
}
