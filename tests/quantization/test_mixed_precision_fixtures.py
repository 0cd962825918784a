"""Mixed-precision models written by real Keras load in minikeras and predict the same.

Fixtures: `{dense,conv}_{mixed_float16,mixed_bfloat16}.{keras,h5}` from Keras 3.15.1 (torch
backend, make_keras_fixtures.py) and `tfkeras_mixed_float16.h5` from tf-keras 2.21 (Keras 2's
`"class_name": "Policy"` dtype config; make_tfkeras_fixtures.py). The layers get the saved
policy (float32 variables, float16 / bfloat16 compute and outputs). Tolerance: the products are
summed in float32 and rounded once to the compute dtype, as on Keras's torch CPU backend, so the
outputs may differ by a rounding of the compute dtype: 2 units in the last place relative
(float16 2**-9, bfloat16 2**-6) plus 2e-3 absolute for values near zero (observed: equal).
"""

import os

import numpy as np
import pytest

import minikeras as keras

pytest.importorskip("ml_dtypes")
HERE = os.path.join(os.path.dirname(__file__), "fixtures")
ULP2 = {"float16": 2.0**-9, "bfloat16": 2.0**-6}


@pytest.mark.parametrize("ext", ["keras", "h5"])
@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
@pytest.mark.parametrize("stem", ["dense", "conv"])
def test_keras3_mixed_models_load_and_predict(stem, policy, ext):
    model = keras.models.load_model(os.path.join(HERE, f"{stem}_{policy}.{ext}"))
    data = np.load(os.path.join(HERE, f"{stem}_{policy}.npz"))
    compute = policy.split("_")[1]
    for layer in model.layers[1:]:
        assert layer.dtype_policy.name == policy
        assert all(v.dtype == np.float32 for v in layer.weights)
    y = model.predict(data["x"], verbose=0)
    assert y.dtype.name == compute
    np.testing.assert_allclose(y.astype(np.float32), data["y"], rtol=ULP2[compute], atol=2e-3)


def test_tf_keras_mixed_float16_h5_loads_and_predicts():
    model = keras.models.load_model(os.path.join(HERE, "tfkeras_mixed_float16.h5"))
    data = np.load(os.path.join(HERE, "tfkeras_mixed_float16.npz"))
    assert [layer.compute_dtype for layer in model.layers[1:]] == ["float16"] * 4
    y = model.predict(data["x"], verbose=0)
    assert y.dtype == np.float16
    np.testing.assert_allclose(y.astype(np.float32), data["y"], rtol=ULP2["float16"], atol=2e-3)


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
@pytest.mark.parametrize("ext", ["keras", "h5"])
def test_minikeras_mixed_model_round_trips(tmp_path, policy, ext):
    model = keras.models.load_model(os.path.join(HERE, f"conv_{policy}.keras"))
    path = str(tmp_path / f"model.{ext}")
    model.save(path)
    again = keras.models.load_model(path)
    assert [layer.dtype_policy.name for layer in again.layers[1:]] == [policy] * 3
    x = np.load(os.path.join(HERE, f"conv_{policy}.npz"))["x"]
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))
