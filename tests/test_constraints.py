import json

import numpy as np
import pytest
from helpers import randn

import minikeras as keras
from minikeras import constraints

EPS = 1e-7


def test_max_norm_matches_numpy():
    w = randn(4, 3) * 3
    norms = np.sqrt((w**2).sum(axis=0, keepdims=True))
    ref = w * np.clip(norms, 0, 2.0) / (EPS + norms)
    np.testing.assert_allclose(constraints.MaxNorm(2.0)(w), ref, rtol=1e-12)
    out = constraints.MaxNorm(2.0)(w)
    assert np.all(np.linalg.norm(out, axis=0) <= 2.0 + 1e-6)
    small = np.full((2, 2), 0.1)
    np.testing.assert_allclose(constraints.MaxNorm(2.0)(small), small, rtol=1e-5)


def test_max_norm_axis_list_for_conv_kernel():
    w = randn(3, 3, 2, 4) * 2
    norms = np.sqrt((w**2).sum(axis=(0, 1, 2), keepdims=True))
    ref = w * np.clip(norms, 0, 1.5) / (EPS + norms)
    np.testing.assert_allclose(constraints.MaxNorm(1.5, axis=[0, 1, 2])(w), ref, rtol=1e-12)


def test_non_neg():
    w = np.array([[-1.0, 0.0], [2.0, -0.5]], "float32")
    out = constraints.NonNeg()(w)
    np.testing.assert_array_equal(out, np.where(w < 0, 0, w))
    assert out.dtype == np.float32


def test_unit_norm():
    w = randn(5, 3)
    ref = w / (EPS + np.sqrt((w**2).sum(axis=1, keepdims=True)))
    np.testing.assert_allclose(constraints.UnitNorm(axis=1)(w), ref, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(constraints.UnitNorm()(w), axis=0), 1.0, rtol=1e-6)


@pytest.mark.parametrize("rate", [1.0, 0.5])
def test_min_max_norm(rate):
    w = randn(6, 4) * np.array([0.01, 0.2, 1.0, 5.0])  # column norms below, inside, above
    norms = np.sqrt((w**2).sum(axis=0, keepdims=True))
    desired = rate * np.clip(norms, 0.5, 1.5) + (1 - rate) * norms
    ref = w * desired / (EPS + norms)
    got = constraints.MinMaxNorm(min_value=0.5, max_value=1.5, rate=rate)(w)
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_accepts_tensors_and_variables_returns_numpy():
    v = keras.Variable(np.array([[3.0, -4.0]], "float32").T)  # column norm 5
    out = constraints.MaxNorm(1.0)(v)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    np.testing.assert_allclose(out[:, 0], [0.6, -0.8], rtol=1e-6)
    out = constraints.UnitNorm()(keras.ops.convert_to_tensor([[3.0], [4.0]]))
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out[:, 0], [0.6, 0.8], rtol=1e-6)
    assert isinstance(constraints.NonNeg()([-1.0, 1.0]), np.ndarray)


def test_get_forms():
    assert constraints.get(None) is None
    for name, cls in [
        ("max_norm", constraints.MaxNorm),
        ("non_neg", constraints.NonNeg),
        ("unit_norm", constraints.UnitNorm),
        ("min_max_norm", constraints.MinMaxNorm),
        ("MaxNorm", constraints.MaxNorm),
    ]:
        assert isinstance(constraints.get(name), cls)
    inst = constraints.MaxNorm(3)
    assert constraints.get(inst) is inst
    assert isinstance(constraints.get(constraints.NonNeg), constraints.NonNeg)

    def clip(w):
        return np.clip(w, -1, 1)

    assert constraints.get(clip) is clip
    k3 = {
        "module": "keras.constraints",
        "class_name": "MaxNorm",
        "config": {"max_value": 3, "axis": [0, 1, 2]},
        "registered_name": None,
    }
    got = constraints.get(k3)
    assert got.max_value == 3 and got.axis == [0, 1, 2]
    assert constraints.get({"class_name": "NonNeg", "config": {}}).get_config() == {}


def test_serialize_round_trip():
    assert constraints.serialize(constraints.UnitNorm(axis=1)) == {
        "module": "keras.constraints",
        "class_name": "UnitNorm",
        "config": {"axis": 1},
        "registered_name": None,
    }
    for c in (
        constraints.MaxNorm(2.5, axis=[0, 1]),
        constraints.NonNeg(),
        constraints.UnitNorm(),
        constraints.MinMaxNorm(0.1, 2.0, 0.5, axis=1),
    ):
        config = json.loads(json.dumps(constraints.serialize(c)))
        back = constraints.deserialize(config)
        assert type(back) is type(c) and back.get_config() == c.get_config()


def test_unknown_name_raises_with_name():
    with pytest.raises(ValueError, match="'max_nrom'.*Valid names.*max_norm"):
        constraints.get("max_nrom")
    with pytest.raises(ValueError, match="Could not interpret"):
        constraints.get(2)


def test_serialize_none():
    assert constraints.serialize(None) is None
