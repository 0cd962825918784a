"""keras.Function and keras.models.save_model, as in Keras 3.15.1."""

import os

import numpy as np

import minikeras as keras


def test_function_runs_the_recorded_graph():
    """Keras: Function(x, ops.add(x, 1.0)) on ones((1, 3)) gives [[2, 2, 2]]; a two-output
    Function keeps the output list."""
    x = keras.Input((3,))
    f = keras.Function(x, keras.ops.add(x, 1.0))
    assert np.asarray(f(np.ones((1, 3)))).tolist() == [[2.0, 2.0, 2.0]]
    a, b = keras.Input((2,)), keras.Input((2,))
    g = keras.Function([a, b], [keras.ops.add(a, b), keras.ops.multiply(a, b)])
    s, p = g([np.full((1, 2), 2.0), np.full((1, 2), 3.0)])
    assert np.asarray(s).tolist() == [[5.0, 5.0]] and np.asarray(p).tolist() == [[6.0, 6.0]]
    assert len(g.inputs) == 2 and len(g.outputs) == 2


def test_operation_subclass_works_eagerly_and_symbolically():
    """Keras: a keras.Operation subclass defining call() runs on tensors and on Inputs."""

    class Double(keras.Operation):
        def call(self, x):
            return x * 2

    assert np.asarray(Double()(keras.ops.ones(2))).tolist() == [2.0, 2.0]
    assert Double()(keras.Input((3,))).shape == (None, 3)


def test_models_save_model_writes_a_loadable_file(tmp_path):
    """keras.models.save_model(model, path) is keras.saving.save_model (Keras 3 exports both)."""
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = os.path.join(tmp_path, "m.keras")
    keras.models.save_model(model, path)
    x = np.ones((1, 3), "float32")
    np.testing.assert_allclose(keras.models.load_model(path).predict(x, verbose=0), model(x))
