"""IoU, R2, correlation and sensitivity/specificity metrics against real Keras 3 (jax backend)
values from `tests/data/keras/make_metric_loss_fixtures.py`: results after two `update_state`
calls with and without sample weights, configs, and the state variables' names, shapes, dtypes."""

import json
import os
import warnings

import numpy as np
import pytest

import minikeras as keras

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "keras", "metrics_losses2_k3.npz")
FIX = np.load(DATA)
CASES = sorted(int(k[6:]) for k in FIX.files if k.startswith("metric"))


def _case(i):
    return json.loads(str(FIX[f"metric{i}"]))


@pytest.mark.parametrize("i", CASES, ids=lambda i: f"{i}-{_case(i)['cls']}")
def test_metric_matches_keras3(i):
    case = _case(i)
    cls = getattr(keras.metrics, case["cls"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # float weights into an int32 IoU warn, as in Keras
        m = cls(**case["kwargs"])
        for k in range(2):
            m.update_state(FIX["x_" + case["y_true"][k]], FIX["x_" + case["y_pred"][k]])
        np.testing.assert_allclose(m.result().numpy(), FIX[f"m{i}_plain"], rtol=1e-5, atol=1e-5)
        assert [[v.path.split("/", 1)[1], list(v.shape), str(v.dtype)] for v in m.variables] == (
            case["variables"]
        )
        config = {k: v for k, v in m.get_config().items() if k != "name"}
        assert config == case["config"]
        assert cls.from_config(m.get_config()).get_config() == m.get_config()
        m = cls(**case["kwargs"])
        sw = case["sw"] or [None, None]
        for k in range(2):
            weights = None if sw[k] is None else FIX["x_" + sw[k]]
            m.update_state(FIX["x_" + case["y_true"][k]], FIX["x_" + case["y_pred"][k]], weights)
        np.testing.assert_allclose(m.result().numpy(), FIX[f"m{i}_weighted"], rtol=1e-5, atol=1e-5)
        m.reset_state()
        assert all(np.all(v.numpy() == 0) for v in m.variables)


def test_names_resolve_as_in_keras3():
    """Keras 3: `get` knows the snake-case names (`mean_io_u`, `r2_score`); the correlation
    names give the metric classes, the functions are `keras.metrics.pearson_correlation`."""
    assert keras.metrics.ALL_OBJECTS_DICT["mean_io_u"] is keras.metrics.MeanIoU
    assert type(keras.metrics.get({"class_name": "MeanIoU", "config": {"num_classes": 3}})) is (
        keras.metrics.MeanIoU
    )
    assert keras.metrics.ALL_OBJECTS_DICT["io_u"] is keras.metrics.IoU
    assert keras.metrics.ALL_OBJECTS_DICT["binary_io_u"] is keras.metrics.BinaryIoU
    assert type(keras.metrics.get("r2_score")) is keras.metrics.R2Score
    assert type(keras.metrics.get("pearson_correlation")) is keras.metrics.PearsonCorrelation
    assert keras.metrics.MeanIoU(num_classes=2).name.startswith("mean_io_u")


def test_iou_documented_values():
    """Keras 3 docstring examples (MeanIoU, BinaryIoU), with a float dtype for float weights."""
    m = keras.metrics.MeanIoU(num_classes=2, dtype="float32")
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[0.3, 0.3, 0.3, 0.1])
    assert float(m.result()) == pytest.approx(0.23809525, abs=1e-6)
    m = keras.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3, dtype="float32")
    m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], sample_weight=[0.2, 0.3, 0.4, 0.1])
    assert float(m.result()) == pytest.approx(0.17361112, abs=1e-6)


def test_int_iou_warns_and_truncates_float_weights():
    """Keras 3 (observed): the default int32 state truncates float weights, with a warning."""
    m = keras.metrics.MeanIoU(num_classes=2)
    with pytest.warns(UserWarning, match="truncated"):
        m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=np.array([0.3, 0.3, 0.3, 1.7]))
    assert m.total_cm.numpy().tolist() == [[0, 0], [0, 1]]
    assert float(m.result()) == pytest.approx(1.0, abs=1e-6)  # class 0 absent: class 1 alone


def test_argument_errors():
    with pytest.raises(ValueError, match="Target class id 3"):
        keras.metrics.IoU(num_classes=3, target_class_ids=[0, 3])
    with pytest.raises(ValueError, match="class_aggregation"):
        keras.metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="2D inputs"):
        keras.metrics.R2Score().update_state(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="before any update_state"):
        keras.metrics.R2Score().result()
    with pytest.raises(ValueError, match="`recall` must be in the range"):
        keras.metrics.PrecisionAtRecall(1.5)
    with pytest.raises(ValueError, match="num_thresholds"):
        keras.metrics.SensitivityAtSpecificity(0.5, num_thresholds=0)


def test_keras3_model_compiled_with_these_metrics_loads_and_evaluates_the_same():
    """A `.keras` file saved by Keras 3.15.1 with OneHotMeanIoU, R2Score, PrecisionAtRecall,
    PearsonCorrelation and BinaryIoU compiled: it loads and `evaluate` gives Keras's logs."""
    path = os.path.join(os.path.dirname(DATA), "metrics_compiled_k3.keras")
    model = keras.saving.load_model(path)
    logs = model.evaluate(FIX["compiled_x"], FIX["compiled_y"], verbose=0, return_dict=True)
    expected = json.loads(str(FIX["compiled_logs"]))
    assert sorted(logs) == sorted(expected)
    for k, v in expected.items():
        assert logs[k] == pytest.approx(v, rel=1e-5, abs=1e-6), k
