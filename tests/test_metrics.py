"""Metrics against hand-computed values and numpy references, with sample weights and resets."""

import numpy as np
import pytest

import minikeras as keras
from minikeras import losses, metrics
from minikeras.core.tensor import Tensor

RNG = np.random.default_rng(0)


def value(metric):
    return np.asarray(metric.result().numpy(), "float64")


# -- reducing metrics -----------------------------------------------------------------------
def test_mean_and_sum_with_weights_and_reset():
    m = metrics.Mean()
    m.update_state([1, 3, 5, 7])
    assert value(m) == 4.0
    m.update_state([10.0], sample_weight=[2.0])  # (16 + 20) / (4 + 2)
    assert value(m) == pytest.approx(6.0)
    m.reset_state()
    assert value(m) == 0.0  # empty mean is 0, not NaN
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert value(m) == 2.0
    s = metrics.Sum()
    s.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert value(s) == 4.0
    assert [v.path for v in m.variables] == ["mean/total", "mean/count"]


def test_mean_of_rank2_values_averages_per_sample_first():
    m = metrics.Mean()
    m.update_state(np.array([[1.0, 3.0], [5.0, 7.0]]), sample_weight=np.array([1.0, 3.0]))
    assert value(m) == pytest.approx((2 * 1 + 6 * 3) / 4)


def test_mean_metric_wrapper_with_kwargs_and_mask():
    m = metrics.MeanMetricWrapper(losses.huber, name="hub", delta=0.5)
    yt, yp = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
    m.update_state(yt, yp)
    e = np.abs(yp - yt)
    ref = np.where(e <= 0.5, 0.5 * e**2, 0.5 * e - 0.125).mean(-1).mean()
    assert value(m) == pytest.approx(ref, rel=1e-5)
    masked = metrics.MeanMetricWrapper(losses.mean_squared_error)
    pred = Tensor(yp.astype("float32"))
    pred._keras_mask = Tensor(np.array([True, False, True, False]))
    masked.update_state(yt, pred)
    assert value(masked) == pytest.approx(((yt - yp) ** 2).mean(-1)[[0, 2]].mean(), rel=1e-5)


@pytest.mark.parametrize(
    "make,args",
    [
        (metrics.Sum, ([1.0, 3.0],)),
        (metrics.Mean, ([1.0, 3.0],)),
        (lambda: metrics.TruePositives(thresholds=[0.3, 0.7]), ([1, 1], [0.5, 0.9])),
        (metrics.TruePositives, ([1, 1], [0.5, 0.9])),
        (metrics.Precision, ([1, 0], [0.9, 0.2])),
    ],
)
def test_result_is_a_snapshot_of_the_state(make, args):
    """Keras 3 (observed on torch and jax): a result, and its numpy conversion, keeps its value
    after further `update_state` / `reset_state` calls."""
    m = make()
    m.update_state(*args)
    r = m.result()
    first, first_np = r.numpy().copy(), keras.ops.convert_to_numpy(r)
    m.update_state(*args)
    m.update_state(*args)
    np.testing.assert_array_equal(r.numpy(), first)
    np.testing.assert_array_equal(first_np, first)
    m.reset_state()
    np.testing.assert_array_equal(r.numpy(), first)
    states = [v.numpy() for v in m.variables]
    m.update_state(*args)
    assert all(np.all(a == 0) for a in states)


# -- accuracy -------------------------------------------------------------------------------
def test_accuracy_metrics_keras_documented_values():
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert value(m) == 0.75
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    assert value(m) == 0.75
    m.reset_state()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], sample_weight=[1, 0, 0, 1])
    assert value(m) == 0.5
    m = metrics.CategoricalAccuracy()
    m.update_state(
        [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], sample_weight=[0.7, 0.3]
    )
    assert value(m) == pytest.approx(0.3)
    m = metrics.SparseCategoricalAccuracy()
    m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    assert value(m) == 0.5
    m = metrics.TopKCategoricalAccuracy(k=1)
    m.update_state(
        [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], sample_weight=[0.7, 0.3]
    )
    assert value(m) == pytest.approx(0.3)
    m = metrics.SparseTopKCategoricalAccuracy(k=1)
    m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    assert value(m) == 0.5


def test_accuracy_functions_against_numpy():
    scores = RNG.standard_normal((20, 5))
    labels = RNG.integers(0, 5, 20)
    np.testing.assert_array_equal(
        metrics.sparse_categorical_accuracy(labels, scores).numpy(), labels == scores.argmax(-1)
    )
    np.testing.assert_array_equal(
        metrics.categorical_accuracy(np.eye(5)[labels], scores).numpy(), labels == scores.argmax(-1)
    )
    rank = (scores > scores[np.arange(20), labels][:, None]).sum(-1)  # classes scoring higher
    np.testing.assert_array_equal(
        metrics.sparse_top_k_categorical_accuracy(labels, scores, k=2).numpy(), rank < 2
    )
    np.testing.assert_array_equal(
        metrics.top_k_categorical_accuracy(np.eye(5)[labels], scores, k=3).numpy(), rank < 3
    )
    probs = RNG.uniform(size=(20, 1))
    y = RNG.integers(0, 2, (20, 1))
    np.testing.assert_array_equal(
        metrics.binary_accuracy(y, probs, threshold=0.3).numpy(), y == (probs > 0.3)
    )


def test_top_k_ties_count_as_in():
    assert metrics.sparse_top_k_categorical_accuracy([0], [[0.5, 0.5, 0.5]], k=1).numpy()[0] == 1.0


def test_accuracy_accumulates_over_batches():
    m = metrics.SparseCategoricalAccuracy()
    m.update_state([0, 1], [[0.9, 0.1], [0.8, 0.2]])  # 1 of 2
    m.update_state([1, 1, 1], [[0.1, 0.9]] * 3, sample_weight=[1, 1, 2])  # 4 of 4
    assert value(m) == pytest.approx(5 / 6)


# -- regression -----------------------------------------------------------------------------
def test_regression_metrics_against_numpy():
    yt, yp = RNG.standard_normal((6, 3)), RNG.standard_normal((6, 3))
    sw = RNG.uniform(size=6)
    per_sq = ((yt - yp) ** 2).mean(-1)
    for cls, per in [
        (metrics.MeanSquaredError, per_sq),
        (metrics.MeanAbsoluteError, np.abs(yt - yp).mean(-1)),
    ]:
        m = cls()
        m.update_state(yt[:3], yp[:3], sample_weight=sw[:3])
        m.update_state(yt[3:], yp[3:], sample_weight=sw[3:])
        assert value(m) == pytest.approx((per * sw).sum() / sw.sum(), rel=1e-5)
    m = metrics.RootMeanSquaredError()
    m.update_state(yt, yp, sample_weight=sw)
    assert value(m) == pytest.approx(np.sqrt((per_sq * sw).sum() / sw.sum()), rel=1e-5)
    m = metrics.RootMeanSquaredError()
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
    assert value(m) == pytest.approx(0.70710677)  # Keras docstring value
    m = metrics.CosineSimilarity()
    m.update_state(yt, yp)
    cos = (yt * yp).sum(-1) / np.linalg.norm(yt, axis=-1) / np.linalg.norm(yp, axis=-1)
    assert value(m) == pytest.approx(cos.mean(), rel=1e-5)
    m = metrics.MeanSquaredLogarithmicError()
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
    assert value(m) == pytest.approx(0.24022643, rel=1e-5)  # Keras docstring value


def test_crossentropy_metrics():
    labels = RNG.integers(0, 3, 5)
    logits = RNG.standard_normal((5, 3))
    m = metrics.SparseCategoricalCrossentropy(from_logits=True)
    m.update_state(labels, logits)
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    assert value(m) == pytest.approx(-logp[np.arange(5), labels].mean(), rel=1e-5)
    assert m.get_config() == {
        "name": "sparse_categorical_crossentropy",
        "dtype": "float32",
        "from_logits": True,
        "ignore_class": None,
        "axis": -1,
    }


# -- confusion-matrix metrics ---------------------------------------------------------------
def test_confusion_counts_with_weights():
    for cls, expected, weighted in [
        (metrics.TruePositives, 2, 1),
        (metrics.FalsePositives, 1, 0),
        (metrics.TrueNegatives, 0, 0),
        (metrics.FalseNegatives, 1, 0),
    ]:
        m = cls()
        m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        assert value(m) == expected
        m.reset_state()
        m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
        assert value(m) == weighted


def test_precision_recall_thresholds_topk_classid():
    yt = np.array([0, 1, 1, 1, 0, 1])
    yp = np.array([0.8, 0.1, 0.6, 0.9, 0.3, 0.45])
    for t in (0.2, 0.5, 0.7):
        pred = yp > t
        tp, fp, fn = (pred & (yt == 1)).sum(), (pred & (yt == 0)).sum(), (~pred & (yt == 1)).sum()
        p = metrics.Precision(thresholds=t)
        p.update_state(yt, yp)
        assert value(p) == pytest.approx(tp / (tp + fp))
        r = metrics.Recall(thresholds=t)
        r.update_state(yt, yp)
        assert value(r) == pytest.approx(tp / (tp + fn))
    multi = metrics.Precision(thresholds=[0.7, 0.2])  # unsorted thresholds keep their order
    multi.update_state(yt, yp)
    np.testing.assert_allclose(value(multi), [1 / 2, 3 / 5])
    p = metrics.Precision(top_k=2)
    p.update_state([0, 0, 1, 1], [1, 1, 1, 1])
    assert value(p) == 0.0  # Keras docstring: only the first two (tied) entries count
    p = metrics.Precision(class_id=1)
    p.update_state([[0, 1], [1, 0], [0, 1]], [[0.2, 0.9], [0.1, 0.7], [0.8, 0.3]])
    assert value(p) == 0.5
    r = metrics.Recall(class_id=1, thresholds=0.5)
    r.update_state(
        [[0, 1], [1, 0], [0, 1]], [[0.2, 0.9], [0.1, 0.7], [0.8, 0.3]], sample_weight=[1, 1, 3]
    )
    assert value(r) == pytest.approx(1 / 4)
    with pytest.raises(ValueError, match="Threshold"):
        metrics.Precision(thresholds=1.5)


def auc_reference(y, p, w, num_thresholds, curve):
    """Brute-force confusion counts at Keras's thresholds, then trapezoids (ROC) or lower sums."""
    thr = [-1e-7] + [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)] + [1 + 1e-7]
    tp = np.array([np.sum(w * ((p > t) & (y == 1))) for t in thr])
    fp = np.array([np.sum(w * ((p > t) & (y == 0))) for t in thr])
    fn = np.array([np.sum(w * ((p <= t) & (y == 1))) for t in thr])
    tn = np.array([np.sum(w * ((p <= t) & (y == 0))) for t in thr])
    recall = tp / np.maximum(tp + fn, 1e-300)
    if curve == "ROC":
        fpr = fp / np.maximum(fp + tn, 1e-300)
        return np.trapezoid(recall[::-1], fpr[::-1])
    precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1e-300), 0.0)
    return np.sum((recall[:-1] - recall[1:]) * np.minimum(precision[:-1], precision[1:]))


def test_auc_keras_documented_values():
    m = metrics.AUC(num_thresholds=3)
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    assert value(m) == pytest.approx(0.75)
    m.reset_state()
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 0, 0, 1])
    assert value(m) == pytest.approx(1.0)


@pytest.mark.parametrize("num_thresholds", [3, 50, 200])
def test_auc_roc_matches_trapezoid_reference(num_thresholds):
    y = RNG.integers(0, 2, 300)
    p = np.clip(0.3 * y + RNG.uniform(size=300) * 0.7, 0, 1)
    w = RNG.uniform(size=300)
    m = metrics.AUC(num_thresholds=num_thresholds)
    m.update_state(y[:150], p[:150], sample_weight=w[:150])
    m.update_state(y[150:], p[150:], sample_weight=w[150:])
    assert value(m) == pytest.approx(auc_reference(y, p, w, num_thresholds, "ROC"), rel=1e-5)


def test_auc_with_many_thresholds_approaches_the_exact_rank_auc():
    y = RNG.integers(0, 2, 400)
    p = np.clip(0.25 * y + RNG.uniform(size=400) * 0.75, 0, 1)
    m = metrics.AUC(num_thresholds=2000)
    m.update_state(y, p)
    pos, neg = p[y == 1], p[y == 0]
    exact = (pos[:, None] > neg[None, :]).mean()  # Mann-Whitney U statistic
    assert value(m) == pytest.approx(exact, abs=2e-3)


def test_auc_pr_minoring_matches_reference():
    y = RNG.integers(0, 2, 200)
    p = RNG.uniform(size=200)
    m = metrics.AUC(num_thresholds=20, curve="PR", summation_method="minoring")
    m.update_state(y, p)
    assert value(m) == pytest.approx(auc_reference(y, p, np.ones(200), 20, "PR"), rel=1e-5)


def test_auc_pr_interpolation_integrates_the_interpolated_curve():
    # Davis & Goadrich: between thresholds TP and P = TP + FP move linearly; integrate precision
    # d(recall) numerically on that path and compare with the closed form
    y = RNG.integers(0, 2, 200)
    p = np.clip(0.2 * y + RNG.uniform(size=200) * 0.8, 0, 1)
    n = 10
    m = metrics.AUC(num_thresholds=n, curve="PR")
    m.update_state(y, p)
    tp, fp = m.true_positives.numpy().astype("float64"), m.false_positives.numpy().astype("float64")
    total_pos = y.sum()
    area = 0.0
    for i in range(n - 1):
        if tp[i] == tp[i + 1]:
            continue
        s = np.linspace(0, 1, 20001)
        tps = tp[i + 1] + s * (tp[i] - tp[i + 1])
        ps = tps + fp[i + 1] + s * (fp[i] - fp[i + 1])
        prec = np.where(ps > 0, tps / np.maximum(ps, 1e-300), 1.0 if tp[i + 1] == 0 else 0.0)
        if tp[i + 1] + fp[i + 1] == 0:  # first bucket with positives: constant precision
            prec = np.full_like(s, tp[i] / (tp[i] + fp[i]))
        area += np.trapezoid(prec, tps / total_pos)
    assert value(m) == pytest.approx(area, rel=1e-4)
    perfect = metrics.AUC(curve="PR")
    perfect.update_state([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    assert value(perfect) == pytest.approx(1.0, abs=1e-6)


def test_auc_multi_label_and_logits():
    y = RNG.integers(0, 2, (100, 2))
    p = RNG.uniform(size=(100, 2))
    m = metrics.AUC(num_thresholds=30, multi_label=True, label_weights=[1.0, 3.0])
    m.update_state(y, p)
    per = [auc_reference(y[:, j], p[:, j], np.ones(100), 30, "ROC") for j in range(2)]
    assert value(m) == pytest.approx((per[0] + 3 * per[1]) / 4, rel=1e-5)
    flat = metrics.AUC(num_thresholds=30)
    flat.update_state(y, p)
    assert value(flat) == pytest.approx(
        auc_reference(y.ravel(), p.ravel(), np.ones(200), 30, "ROC"), rel=1e-5
    )
    logits = metrics.AUC(num_thresholds=30, from_logits=True)
    logits.update_state(y[:, 0], np.log(p[:, 0] / (1 - p[:, 0])))
    assert value(logits) == pytest.approx(per[0], rel=1e-4)


def test_f1_score_averages():
    yt = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]])
    yp = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    pred = yp > 0.5
    tp = (pred & (yt == 1)).sum(0)
    fp = (pred & (yt == 0)).sum(0)
    fn = (~pred & (yt == 1)).sum(0)
    prec, rec = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * prec * rec / (prec + rec)
    m = metrics.F1Score(threshold=0.5)
    m.update_state(yt, yp)
    np.testing.assert_allclose(value(m), f1, rtol=1e-5)  # Keras docstring: [0.5, 0.8, 0.6667]
    macro = metrics.F1Score(average="macro", threshold=0.5)
    macro.update_state(yt, yp)
    assert value(macro) == pytest.approx(f1.mean(), rel=1e-5)
    weighted = metrics.F1Score(average="weighted", threshold=0.5)
    weighted.update_state(yt, yp)
    support = yt.sum(0)
    assert value(weighted) == pytest.approx((f1 * support).sum() / support.sum(), rel=1e-5)
    micro = metrics.F1Score(average="micro", threshold=0.5)
    micro.update_state(yt, yp)
    p_all, r_all = tp.sum() / (tp.sum() + fp.sum()), tp.sum() / (tp.sum() + fn.sum())
    assert value(micro) == pytest.approx(2 * p_all * r_all / (p_all + r_all), rel=1e-5)
    argmax = metrics.F1Score()  # threshold None: the row maximum is the prediction
    argmax.update_state(
        np.eye(3)[[0, 1, 2, 2]],
        np.array([[0.9, 0.1, 0], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0, 0, 1.0]]),
    )
    np.testing.assert_allclose(value(argmax), [1.0, 2 / 3, 2 / 3], rtol=1e-5)
    fbeta = metrics.FBetaScore(beta=2.0, threshold=0.5)
    fbeta.update_state(yt, yp)
    np.testing.assert_allclose(value(fbeta), 5 * prec * rec / (4 * prec + rec), rtol=1e-5)
    with pytest.raises(ValueError, match="average"):
        metrics.F1Score(average="mean")


# -- identifiers, resolution, config --------------------------------------------------------
def test_get_and_errors():
    assert isinstance(metrics.get("mse"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("AUC"), metrics.AUC)
    assert isinstance(metrics.get("binary_accuracy"), metrics.BinaryAccuracy)
    assert isinstance(metrics.get("precision"), metrics.Precision)
    m = metrics.Recall()
    assert metrics.get(m) is m
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert (
        metrics.get({"class_name": "BinaryAccuracy", "config": {"threshold": 0.7}}).threshold == 0.7
    )
    with pytest.raises(ValueError, match="acuracy"):
        metrics.get("acuracy")


@pytest.mark.parametrize(
    "loss,true_shape,pred_shape,cls",
    [
        ("categorical_crossentropy", (8, 4), (8, 4), metrics.CategoricalAccuracy),
        ("sparse_categorical_crossentropy", (8,), (8, 4), metrics.SparseCategoricalAccuracy),
        ("sparse_categorical_crossentropy", (8, 1), (8, 4), metrics.SparseCategoricalAccuracy),
        ("binary_crossentropy", (8, 1), (8, 1), metrics.BinaryAccuracy),
        ("mse", (8, 1), (8, 1), metrics.BinaryAccuracy),
        ("binary_crossentropy", (8,), (8,), metrics.BinaryAccuracy),
        (
            losses.SparseCategoricalCrossentropy(from_logits=True),
            None,
            None,
            metrics.SparseCategoricalAccuracy,
        ),
        (losses.binary_crossentropy, None, None, metrics.BinaryAccuracy),
        (None, None, None, metrics.CategoricalAccuracy),
    ],
)
def test_resolve_accuracy(loss, true_shape, pred_shape, cls):
    m = metrics.resolve_accuracy(loss, true_shape, pred_shape)
    assert type(m) is cls and m.name == "accuracy"


def test_resolve_metric_names_as_keras_logs():
    assert metrics.resolve_metric("acc", (4,), (4, 3)).name == "acc"
    mae = metrics.resolve_metric("mae")
    assert isinstance(mae, metrics.MeanAbsoluteError) and mae.name == "mae"
    wrapped = metrics.resolve_metric(losses.mean_squared_error)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "mean_squared_error"
    auc = metrics.AUC(name="my_auc")
    assert metrics.resolve_metric(auc) is auc and auc.name == "my_auc"


def test_serialize_round_trips_and_keras2_wrapper():
    for m in (
        metrics.BinaryAccuracy(threshold=0.3),
        metrics.AUC(num_thresholds=10, curve="PR"),
        metrics.Precision(thresholds=[0.3, 0.6], top_k=2),
        metrics.F1Score(average="macro"),
        metrics.CategoricalCrossentropy(from_logits=True),
    ):
        data = metrics.serialize(m)
        assert data["module"] == "keras.metrics"
        assert metrics.deserialize(data).get_config() == m.get_config()
    k2 = {
        "class_name": "MeanMetricWrapper",
        "config": {"name": "accuracy", "dtype": "float32", "fn": "categorical_accuracy"},
    }
    m = metrics.deserialize(k2)
    m.update_state(np.eye(3), np.eye(3)[[0, 2, 2]])
    assert m.name == "accuracy" and value(m) == pytest.approx(2 / 3)
    assert metrics.deserialize(metrics.serialize(m))._fn is metrics.categorical_accuracy


def test_custom_metric_written_with_ops():
    class CountPositives(metrics.Metric):
        def __init__(self, name="count_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.count = self.add_weight(shape=(), initializer="zeros", name="count")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.count.assign(self.count + keras.ops.sum(keras.ops.cast(y_pred > 0.5, "float32")))

        def result(self):
            return self.count

    m = CountPositives()
    assert float(m(np.array([0, 1]), np.array([0.7, 0.9]))) == 2.0
    m.reset_state()
    assert float(m.result()) == 0.0 and len(m.variables) == 1


def test_accuracy_functions_are_elementwise_as_keras():
    """Keras 3.15.1 observed: keras.metrics.binary_accuracy reduces no axis ((4, 3) in, (4, 3)
    out); BinaryAccuracy/Accuracy still average to the same result (0.0740740746 below)."""
    y = np.array([[0, 1, 1], [1, 0, 0], [1, 1, 0], [0, 0, 1]], "float32")
    p = np.random.default_rng(0).uniform(0, 1, (4, 3)).astype("float32")
    out = metrics.binary_accuracy(y, p).numpy()
    assert out.shape == (4, 3) and out.dtype == np.float32
    np.testing.assert_array_equal(out, (y == (p > 0.5)).astype("float32"))
    assert metrics.accuracy([[1, 2]], [[1, 0]]).numpy().tolist() == [[1.0, 0.0]]
    m = metrics.BinaryAccuracy()
    m.update_state(y[:2], p[:2])
    m.update_state(y[2:], p[2:], sample_weight=np.array([0.5, 2.0]))
    np.testing.assert_allclose(float(m.result()), 0.07407407462596893, rtol=1e-6)


def test_loss_metric_configs_as_keras():
    """Keras 3.15.1 get_config(): SparseCategoricalCrossentropy has ignore_class, the
    crossentropies' label_smoothing default is the int 0, CosineSimilarity saves no axis."""
    assert metrics.SparseCategoricalCrossentropy().get_config() == {
        "name": "sparse_categorical_crossentropy",
        "dtype": "float32",
        "from_logits": False,
        "ignore_class": None,
        "axis": -1,
    }
    assert metrics.BinaryCrossentropy().get_config()["label_smoothing"] == 0
    assert type(metrics.CategoricalCrossentropy().get_config()["label_smoothing"]) is int
    assert metrics.CosineSimilarity(axis=0).get_config() == {
        "name": "cosine_similarity",
        "dtype": "float32",
    }
    m = metrics.SparseCategoricalCrossentropy(ignore_class=0)
    m.update_state(np.array([0, 1]), np.array([[0.5, 0.5], [0.2, 0.8]]))
    np.testing.assert_allclose(float(m.result()), 0.1115717664361, rtol=1e-6)  # Keras's value
