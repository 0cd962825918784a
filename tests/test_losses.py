"""Losses against numpy versions of Keras's formulas: per-sample values, reductions,
sample weights, masks, logits, label smoothing, gradients, identifiers."""

import json
import os

import numpy as np
import pytest
from helpers import check_grad, randn

import minikeras as keras
from minikeras import losses
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor

EPS = 1e-7
RNG = np.random.default_rng(0)
Y_REG = RNG.standard_normal((5, 3)).astype("float32")
P_REG = RNG.standard_normal((5, 3)).astype("float32")
Y_POS = RNG.uniform(0.1, 2, (5, 3)).astype("float32")
P_POS = RNG.uniform(0.1, 2, (5, 3)).astype("float32")
Y_BIN = RNG.integers(0, 2, (5, 3)).astype("float32")
P_PROB = RNG.uniform(0.02, 0.98, (5, 3)).astype("float32")
LABELS = np.array([0, 2, 1, 2, 0])
ONE_HOT = np.eye(3, dtype="float32")[LABELS]
LOGITS = RNG.standard_normal((5, 3)).astype("float32") * 2
SOFT = np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)


def np_softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def normalize(x):
    return x / np.maximum(np.sqrt((x * x).sum(-1, keepdims=True)), EPS)


def bce_np(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def cce_np(t, p):
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -(t * np.log(p)).sum(-1)


def hinge_labels(t):
    return 2 * t - 1 if np.all((t == 0) | (t == 1)) else t


CASES = [
    (losses.mean_squared_error, Y_REG, P_REG, lambda t, p: ((t - p) ** 2).mean(-1)),
    (losses.mean_absolute_error, Y_REG, P_REG, lambda t, p: np.abs(t - p).mean(-1)),
    (
        losses.mean_absolute_percentage_error,
        Y_REG,
        P_REG,
        lambda t, p: 100 * np.abs((t - p) / np.maximum(np.abs(t), EPS)).mean(-1),
    ),
    (
        losses.mean_squared_logarithmic_error,
        Y_POS,
        P_POS,
        lambda t, p: ((np.log1p(p) - np.log1p(t)) ** 2).mean(-1),
    ),
    (losses.cosine_similarity, Y_REG, P_REG, lambda t, p: -(normalize(t) * normalize(p)).sum(-1)),
    (
        losses.huber,
        Y_REG,
        P_REG,
        lambda t, p: np.where(np.abs(p - t) <= 1, 0.5 * (p - t) ** 2, np.abs(p - t) - 0.5).mean(-1),
    ),
    (losses.log_cosh, Y_REG, P_REG, lambda t, p: np.log(np.cosh(p - t)).mean(-1)),
    (
        losses.kl_divergence,
        SOFT,
        P_PROB,
        lambda t, p: (np.clip(t, EPS, 1) * np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1))).sum(-1),
    ),
    (losses.poisson, Y_POS, P_POS, lambda t, p: (p - t * np.log(p + EPS)).mean(-1)),
    (losses.binary_crossentropy, Y_BIN, P_PROB, lambda t, p: bce_np(t, p).mean(-1)),
    (
        losses.binary_focal_crossentropy,
        Y_BIN,
        P_PROB,
        lambda t, p: ((1 - (t * p + (1 - t) * (1 - p))) ** 2 * bce_np(t, p)).mean(-1),
    ),
    (losses.categorical_crossentropy, ONE_HOT, SOFT, cce_np),
    (
        losses.sparse_categorical_crossentropy,
        LABELS,
        SOFT,
        lambda t, p: -np.log(p[np.arange(5), t.astype(int)]),
    ),
    (losses.hinge, Y_BIN, Y_REG, lambda t, p: np.maximum(1 - hinge_labels(t) * p, 0).mean(-1)),
    (
        losses.squared_hinge,
        Y_BIN,
        Y_REG,
        lambda t, p: (np.maximum(1 - hinge_labels(t) * p, 0) ** 2).mean(-1),
    ),
    (
        losses.categorical_hinge,
        ONE_HOT,
        Y_REG,
        lambda t, p: np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0),
    ),
]


@pytest.mark.parametrize("fn,y_true,y_pred,ref", CASES, ids=[c[0].__name__ for c in CASES])
def test_function_matches_formula(fn, y_true, y_pred, ref):
    out = fn(y_true, y_pred)
    assert out.shape == (5,)
    np.testing.assert_allclose(
        out.numpy(), ref(y_true.astype("float64"), y_pred.astype("float64")), rtol=1e-5, atol=1e-6
    )


def test_keras_documented_values():
    # values printed in Keras's docstrings
    yt, yp = np.array([[0, 1], [0, 0]]), np.array([[-18.6, 0.51], [2.94, -12.8]])
    bce = losses.BinaryCrossentropy(from_logits=True)
    assert float(bce(yt, yp)) == pytest.approx(0.8654, abs=1e-4)
    assert float(bce(yt, yp, sample_weight=[0.8, 0.2])) == pytest.approx(0.243, abs=1e-3)
    assert float(
        losses.BinaryCrossentropy(from_logits=True, reduction="sum")(yt, yp)
    ) == pytest.approx(1.730, abs=1e-3)
    focal = losses.BinaryFocalCrossentropy(gamma=5, from_logits=True, reduction=None)(yt, yp)
    np.testing.assert_allclose(focal.numpy(), [0.0017, 1.1561], atol=1e-4)
    yt, yp = np.array([[0, 1, 0], [0, 0, 1]]), np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    assert float(losses.CategoricalCrossentropy()(yt, yp)) == pytest.approx(1.177, abs=1e-3)
    assert float(
        losses.CategoricalCrossentropy()(yt, yp, sample_weight=np.array([0.3, 0.7]))
    ) == pytest.approx(0.814, abs=1e-3)
    assert float(losses.SparseCategoricalCrossentropy()([1, 2], yp)) == pytest.approx(
        1.177, abs=1e-3
    )
    np.testing.assert_allclose(
        losses.CategoricalFocalCrossentropy(reduction=None)(yt, yp).numpy(),
        [3.2058331e-05, 4.6627346e-01],
        rtol=1e-4,
    )
    assert float(losses.Huber()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])) == pytest.approx(0.155)


def test_probability_edge_values_follow_the_1e7_clip():
    # p = 0 on the true class costs -log(1e-7); p = 1 with t = 0 costs -log(1 - (1 - 1e-7))
    assert float(losses.categorical_crossentropy([[1.0, 0.0]], [[0.0, 1.0]])[0]) == pytest.approx(
        16.118, abs=1e-3
    )
    assert float(losses.binary_crossentropy([[0.0]], [[1.0]])[0]) == pytest.approx(15.942, abs=1e-3)


@pytest.mark.parametrize(
    "reduction", ["sum_over_batch_size", "sum", "mean", None, "none", "mean_with_sample_weight"]
)
def test_reductions_with_sample_weight(reduction):
    sw = np.array([1.0, 0.0, 2.0, 0.5, 1.0])
    per = ((Y_REG - P_REG).astype("float64") ** 2).mean(-1) * sw
    out = losses.MeanSquaredError(reduction=reduction)(Y_REG, P_REG, sample_weight=sw).numpy()
    expected = {
        "sum_over_batch_size": per.sum() / 5,
        "mean": per.sum() / 5,
        "sum": per.sum(),
        None: per,
        "none": per,
        "mean_with_sample_weight": per.sum() / sw.sum(),
    }[reduction]
    np.testing.assert_allclose(out, expected, rtol=1e-5)


def test_sample_weight_shapes():
    per = ((Y_REG - P_REG).astype("float64") ** 2).mean(-1)
    mse = losses.MeanSquaredError()
    col = np.arange(5.0)[:, None]  # (batch, 1) weights
    np.testing.assert_allclose(
        float(mse(Y_REG, P_REG, sample_weight=col)), (per * col[:, 0]).mean(), rtol=1e-5
    )
    np.testing.assert_allclose(
        float(mse(Y_REG, P_REG, sample_weight=2.0)), 2 * per.mean(), rtol=1e-5
    )
    # temporal values (batch, time): (batch, time) weights elementwise, (batch,) weights per row
    yt, yp = RNG.standard_normal((4, 6, 2)), RNG.standard_normal((4, 6, 2))
    per_t = ((yt - yp) ** 2).mean(-1)
    sw_t = RNG.uniform(size=(4, 6))
    np.testing.assert_allclose(
        float(mse(yt, yp, sample_weight=sw_t)), (per_t * sw_t).sum() / 24, rtol=1e-5
    )
    sw_b = np.array([1.0, 0.0, 2.0, 1.0])
    np.testing.assert_allclose(
        float(mse(yt, yp, sample_weight=sw_b)), (per_t * sw_b[:, None]).sum() / 24, rtol=1e-5
    )


def test_mask_on_predictions_averages_valid_entries_only():
    yt, yp = RNG.standard_normal((2, 4, 3)), RNG.standard_normal((2, 4, 3)).astype("float32")
    mask = np.array([[True, True, False, False], [True, True, True, False]])
    pred = Tensor(yp)
    pred._keras_mask = Tensor(mask)
    per = ((yt - yp) ** 2).mean(-1)
    np.testing.assert_allclose(
        float(losses.MeanSquaredError()(yt, pred)), per[mask].mean(), rtol=1e-5
    )


def test_from_logits_equals_probabilities():
    np.testing.assert_allclose(
        losses.categorical_crossentropy(ONE_HOT, LOGITS, from_logits=True).numpy(),
        cce_np(ONE_HOT, SOFT),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        losses.sparse_categorical_crossentropy(LABELS, LOGITS, from_logits=True).numpy(),
        -np.log(SOFT[np.arange(5), LABELS]),
        rtol=1e-5,
    )
    z = RNG.standard_normal((5, 3)).astype("float32")
    sig = 1 / (1 + np.exp(-z.astype("float64")))
    np.testing.assert_allclose(
        losses.binary_crossentropy(Y_BIN, z, from_logits=True).numpy(),
        bce_np(Y_BIN, sig).mean(-1),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        losses.binary_focal_crossentropy(Y_BIN, z, gamma=1.5, from_logits=True).numpy(),
        ((1 - (Y_BIN * sig + (1 - Y_BIN) * (1 - sig))) ** 1.5 * bce_np(Y_BIN, sig)).mean(-1),
        rtol=1e-5,
    )


def test_label_smoothing():
    ls = 0.2
    np.testing.assert_allclose(
        losses.BinaryCrossentropy(label_smoothing=ls, reduction=None)(Y_BIN, P_PROB).numpy(),
        bce_np(Y_BIN * (1 - ls) + 0.5 * ls, P_PROB).mean(-1),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        losses.CategoricalCrossentropy(label_smoothing=ls, reduction=None)(ONE_HOT, SOFT).numpy(),
        cce_np(ONE_HOT * (1 - ls) + ls / 3, SOFT),
        rtol=1e-5,
    )


def test_focal_class_balancing():
    alpha = 0.3
    out = losses.binary_focal_crossentropy(Y_BIN, P_PROB, apply_class_balancing=True, alpha=alpha)
    p_t = Y_BIN * P_PROB + (1 - Y_BIN) * (1 - P_PROB)
    w = Y_BIN * alpha + (1 - Y_BIN) * (1 - alpha)
    np.testing.assert_allclose(
        out.numpy(), (w * (1 - p_t) ** 2 * bce_np(Y_BIN, P_PROB)).mean(-1), rtol=1e-5
    )


def test_sparse_label_shapes_and_ignore_class():
    col = LABELS[:, None]
    np.testing.assert_allclose(
        losses.SparseCategoricalCrossentropy(reduction=None)(col, SOFT).numpy(),
        -np.log(SOFT[np.arange(5), LABELS]),
        rtol=1e-5,
    )
    labels = np.array([0, 2, -1, 2, -1])
    out = losses.SparseCategoricalCrossentropy(ignore_class=-1)(labels, SOFT)
    keep = labels != -1
    assert float(out) == pytest.approx(
        -np.log(SOFT[np.arange(5)[keep], labels[keep]]).mean(), rel=1e-5
    )


def test_binary_labels_of_shape_batch_with_column_predictions():
    t, p = Y_BIN[:, 0], P_PROB[:, :1]
    np.testing.assert_allclose(
        float(losses.BinaryCrossentropy()(t, p)), bce_np(t, p[:, 0]).mean(), rtol=1e-5
    )


@pytest.mark.parametrize(
    "loss,y_true,shape",
    [
        (losses.MeanSquaredError(dtype="float64"), randn(3, 4, seed=5), (3, 4)),
        (losses.Huber(delta=0.5, dtype="float64"), randn(3, 4, seed=5), (3, 4)),
        (losses.LogCosh(dtype="float64"), randn(3, 4, seed=5), (3, 4)),
        (losses.CosineSimilarity(dtype="float64"), randn(3, 4, seed=5), (3, 4)),
        (
            losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, dtype="float64"),
            np.eye(4)[[0, 3, 1]],
            (3, 4),
        ),
        (
            losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64"),
            np.array([0, 3, 1]),
            (3, 4),
        ),
        (
            losses.BinaryCrossentropy(from_logits=True, dtype="float64"),
            np.array([[0.0, 1], [1, 1], [0, 0]]),
            (3, 2),
        ),
        (losses.CategoricalHinge(dtype="float64"), np.eye(4)[[0, 3, 1]], (3, 4)),
    ],
)
def test_gradient_reaches_predictions(loss, y_true, shape):
    check_grad(lambda t, p: loss(t, p), y_true, shape, wrt=[1])


def test_gradient_through_probabilities():
    probs = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])
    loss = losses.CategoricalCrossentropy(dtype="float64")
    check_grad(lambda t, p: loss(t, p), np.eye(3)[[1, 2]], probs, wrt=[1])
    bce = losses.BinaryFocalCrossentropy(dtype="float64")
    check_grad(
        lambda t, p: bce(t, p), np.array([[1.0, 0, 1]]), np.array([[0.3, 0.6, 0.9]]), wrt=[1]
    )


def test_loss_in_a_tape_gives_variable_gradients():
    w = keras.Variable(np.array([[0.5], [-0.5]], "float32"))
    x = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
    with keras.GradientTape() as tape:
        loss = losses.MeanSquaredError()(np.array([[1.0], [0.0]]), keras.ops.matmul(x, w))
    (grad,) = tape.gradient(loss, [w])
    residual = x @ w.numpy() - np.array([[1.0], [0.0]])
    np.testing.assert_allclose(grad.numpy(), 2 * x.T @ residual / 2, rtol=1e-5)


# -- identifiers ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name,fn",
    [
        ("mse", losses.mean_squared_error),
        ("MAE", losses.mean_absolute_error),
        ("mape", losses.mean_absolute_percentage_error),
        ("categorical_crossentropy", losses.categorical_crossentropy),
        ("kld", losses.kl_divergence),
        ("bce", losses.binary_crossentropy),
    ],
)
def test_get_function_names(name, fn):
    assert losses.get(name) is fn


def test_get_classes_instances_callables_and_errors():
    got = losses.get("CategoricalCrossentropy")
    assert (
        isinstance(got, losses.CategoricalCrossentropy) and got.name == "categorical_crossentropy"
    )
    inst = losses.Huber()
    assert losses.get(inst) is inst

    def custom(y_true, y_pred):
        return y_pred

    assert losses.get(custom) is custom
    from_dict = losses.get(
        {"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}}
    )
    assert from_dict.from_logits
    with pytest.raises(ValueError, match="not_a_loss") as err:
        losses.get("not_a_loss")
    assert "mean_squared_error" in str(err.value)
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")


def test_serialize_round_trips():
    loss = losses.BinaryFocalCrossentropy(gamma=3.0, from_logits=True, name="focal")
    data = losses.serialize(loss)
    assert data["class_name"] == "BinaryFocalCrossentropy" and data["module"] == "keras.losses"
    again = losses.deserialize(data)
    assert again.get_config() == loss.get_config() and again.gamma == 3.0
    fn = losses.serialize(losses.mean_squared_error)
    assert fn["class_name"] == "function" and losses.deserialize(fn) is losses.mean_squared_error
    wrapper = losses.LossFunctionWrapper(losses.huber, name="h", delta=2.0)
    back = losses.deserialize(losses.serialize(wrapper))
    assert back.fn is losses.huber and back._fn_kwargs == {"delta": 2.0}
    # Keras 2 configs say reduction "auto"
    k2 = losses.deserialize(
        {
            "class_name": "CategoricalCrossentropy",
            "config": {
                "reduction": "auto",
                "name": "categorical_crossentropy",
                "from_logits": False,
                "label_smoothing": 0.0,
                "axis": -1,
            },
        }
    )
    assert k2.reduction == "sum_over_batch_size"


def test_custom_loss_subclass():
    class Scaled(losses.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.mean(keras.ops.square(y_pred - y_true), axis=-1) * 2.0

    loss = Scaled(name="scaled")
    assert float(loss(Y_REG, P_REG)) == pytest.approx(2 * ((Y_REG - P_REG) ** 2).mean(), rel=1e-5)
    assert loss.get_config() == {"name": "scaled", "reduction": "sum_over_batch_size"}


# -- CTC and Circle against Keras 3 ---------------------------------------------------------
_FIX2 = os.path.join(os.path.dirname(__file__), "data", "keras", "metrics_losses2_k3.npz")


def _fix2():
    return np.load(_FIX2)


def test_ctc_loss_function_and_class_match_keras3():
    """Keras 3.15.1 (jax): `ctc` counts non-zero labels as the length and uses every frame;
    `CTC()` averages over the batch. Values from tests/data/keras/make_metric_loss_fixtures.py."""
    f = _fix2()
    y, z = f["x_ctc_loss_y"], f["x_ctc_z"]
    np.testing.assert_allclose(losses.ctc(y, z).numpy(), f["ctcfn_loss"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(losses.CTC()(y, z).numpy(), f["ctccls_loss"], rtol=1e-5)
    assert losses.CTC().get_config() == {"name": "ctc", "reduction": "sum_over_batch_size"}
    assert losses.get("ctc") is losses.ctc and type(losses.get("CTC")) is losses.CTC
    with pytest.raises(ValueError, match="y_true"):
        losses.ctc(np.zeros((2, 3, 1)), z)


def test_ctc_loss_trains_through_the_loss_class():
    """The CTC loss has a gradient w.r.t. the logits that lowers it (the OCR/ASR use)."""
    f = _fix2()
    z = Tensor(f["x_ctc_z"].copy(), requires_grad=True)
    loss = losses.CTC()(f["x_ctc_loss_y"], z)
    (g,) = gradients(loss, [z])
    lower = losses.CTC()(f["x_ctc_loss_y"], Tensor(f["x_ctc_z"] - 0.5 * g))
    assert float(lower.numpy()) < float(loss.numpy())


@pytest.mark.parametrize("i", range(4))
def test_circle_matches_keras3(i):
    """Keras 3.15.1 (jax) circle loss values; `Circle()` means over rows with a non-zero loss."""
    f = _fix2()
    kwargs = json.loads(str(f[f"circle{i}"]))
    kw = dict(kwargs)
    if kw.pop("ref", False):
        kw["ref_labels"], kw["ref_embeddings"] = f["x_circ_refy"], f["x_circ_ref"]
    out = losses.circle(f["x_circ_y"], f["x_circ_emb"], **kw)
    np.testing.assert_allclose(out.numpy(), f[f"circle{i}_loss"], rtol=1e-5, atol=1e-5)
    if f"circle{i}_cls" in f.files:
        cls = losses.Circle(**kw)
        np.testing.assert_allclose(
            cls(f["x_circ_y"], f["x_circ_emb"]).numpy(), f[f"circle{i}_cls"], rtol=1e-5
        )
        assert cls.get_config() == json.loads(str(f[f"circle{i}_config"]))


def test_circle_gradient_float64():
    labels = np.array([0, 1, 0, 1, 2])

    def fn(e):
        return losses.circle(labels, e, gamma=4.0)

    emb = np.random.default_rng(5).normal(size=(5, 3))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    check_grad(fn, emb, rtol=1e-5, atol=1e-7)
