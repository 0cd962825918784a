import json

import numpy as np
import pytest
from helpers import check_grad, randn

from minikeras import regularizers
from minikeras.core.tensor import Tensor


def _orthogonal_ref(x, factor, mode):
    """Mean over pairs i < j of |cos angle| between rows (or columns), times factor."""
    v = x if mode == "rows" else x.T
    u = v / np.linalg.norm(v, axis=1, keepdims=True)
    g = u @ u.T
    n = len(v)
    pairs = [abs(g[i, j]) for i in range(n) for j in range(i + 1, n)]
    return factor * np.mean(pairs)


def test_values_match_numpy():
    x = randn(4, 5)
    np.testing.assert_allclose(float(regularizers.L1(0.3)(x)), 0.3 * np.abs(x).sum())
    np.testing.assert_allclose(float(regularizers.L2(0.2)(x)), 0.2 * (x**2).sum())
    both = regularizers.L1L2(l1=0.1, l2=0.05)(x)
    np.testing.assert_allclose(float(both), 0.1 * np.abs(x).sum() + 0.05 * (x**2).sum())
    assert float(regularizers.L1L2()(x)) == 0.0
    for mode in ("rows", "columns"):
        got = regularizers.OrthogonalRegularizer(0.5, mode)(x)
        np.testing.assert_allclose(float(got), _orthogonal_ref(x, 0.5, mode), rtol=1e-10)


def test_keras_documented_example():
    # keras docs: L2(2.)(ones((5, 5))) == 50
    assert float(regularizers.L2(2.0)(np.ones((5, 5), "float32"))) == 50.0


def test_returns_scalar_tensor_of_input_dtype():
    x = np.ones((3, 3), "float32")
    for reg in (
        regularizers.L1(),
        regularizers.L2(),
        regularizers.L1L2(0.1, 0.1),
        regularizers.OrthogonalRegularizer(),
    ):
        out = reg(x)
        assert isinstance(out, Tensor) and out.shape == () and out.dtype == np.float32


@pytest.mark.parametrize(
    "reg",
    [
        regularizers.L1(0.3),
        regularizers.L2(0.2),
        regularizers.L1L2(0.1, 0.2),
        regularizers.OrthogonalRegularizer(0.4, "rows"),
        regularizers.OrthogonalRegularizer(0.4, "columns"),
    ],
    ids=["l1", "l2", "l1l2", "orth_rows", "orth_cols"],
)
def test_gradients(reg):
    check_grad(reg, (4, 3))


def test_orthogonal_regularizer_orthogonal_input_is_zero_and_rank_checked():
    q, _ = np.linalg.qr(randn(6, 6))
    assert abs(float(regularizers.OrthogonalRegularizer(1.0)(q))) < 1e-12
    with pytest.raises(ValueError, match="rank-2"):
        regularizers.OrthogonalRegularizer()(np.ones(3))
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")


def test_bad_factors():
    with pytest.raises(ValueError, match="l1"):
        regularizers.L1(-1.0)
    with pytest.raises(ValueError, match="l2"):
        regularizers.L2(float("nan"))
    with pytest.raises(ValueError, match="factor"):
        regularizers.OrthogonalRegularizer("big")


def test_get_forms_and_defaults():
    assert regularizers.get(None) is None
    assert regularizers.get("l1").l1 == 0.01
    assert regularizers.get("l2").l2 == 0.01
    both = regularizers.get("l1_l2")
    assert isinstance(both, regularizers.L1L2) and (both.l1, both.l2) == (0.01, 0.01)
    assert (regularizers.L1L2().l1, regularizers.L1L2().l2) == (0.0, 0.0)
    assert isinstance(regularizers.get("L2"), regularizers.L2)
    assert isinstance(regularizers.get(regularizers.L1), regularizers.L1)
    inst = regularizers.L2(0.5)
    assert regularizers.get(inst) is inst

    def fn(w):
        return 0.0

    assert regularizers.get(fn) is fn
    k2 = {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.001}}
    assert regularizers.get(k2).l2 == 0.001
    k3 = {
        "module": "keras.regularizers",
        "class_name": "L2",
        "config": {"l2": 0.02},
        "registered_name": None,
    }
    assert regularizers.get(k3).l2 == 0.02


def test_serialize_round_trip():
    assert regularizers.serialize(regularizers.L2(0.02)) == {
        "module": "keras.regularizers",
        "class_name": "L2",
        "config": {"l2": 0.02},
        "registered_name": None,
    }
    for reg in (
        regularizers.L1(0.1),
        regularizers.L2(),
        regularizers.L1L2(0.1, 0.2),
        regularizers.OrthogonalRegularizer(0.3, "columns"),
    ):
        config = json.loads(json.dumps(regularizers.serialize(reg)))
        back = regularizers.deserialize(config)
        assert type(back) is type(reg) and back.get_config() == reg.get_config()


def test_unknown_name_raises_with_name():
    with pytest.raises(ValueError, match="'l3'.*Valid names"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="Could not interpret"):
        regularizers.get(0.01)


def test_serialize_none_and_functions():
    assert regularizers.serialize(None) is None

    def my_penalty(w):
        return 0.0

    config = regularizers.serialize(my_penalty)
    assert config["class_name"] == "function" and config["config"] == "my_penalty"
    back = regularizers.deserialize(config, custom_objects={"my_penalty": my_penalty})
    assert back is my_penalty
    with pytest.raises(ValueError, match="my_penalty"):
        regularizers.deserialize(config)
