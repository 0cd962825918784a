"""Arrays handed to the user are snapshots, and arrays taken from the user are copied.

Keras 3 (observed with the torch and jax backends): `before = w.numpy(); model.fit(...)` keeps
`before` at its old value however it was read (`numpy()`, `np.asarray`, `np.array`,
`ops.convert_to_numpy`, `w.value`, a reshape of the variable), and `Variable(arr)`, `assign(arr)`
and `set_weights([arr])` are unaffected by later writes into `arr`. minikeras updates its
variables in place, so each of these paths must copy on the way out.
"""

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops

READS = {
    "numpy": lambda v: v.numpy(),
    "np.asarray": lambda v: np.asarray(v),
    "np.array": lambda v: np.array(v),
    "convert_to_numpy": lambda v: ops.convert_to_numpy(v),
    "value": lambda v: ops.convert_to_numpy(v.value),
    "value.numpy": lambda v: v.value.numpy(),
    "convert_to_tensor": lambda v: ops.convert_to_tensor(v).numpy(),
    "reshape": lambda v: ops.reshape(v, (-1,)).numpy(),
    "squeeze": lambda v: np.asarray(ops.squeeze(ops.expand_dims(v, 0))),
    "transpose": lambda v: ops.convert_to_numpy(ops.transpose(v)),
    "stop_gradient": lambda v: ops.stop_gradient(v).numpy(),
    "getitem": lambda v: v[...].numpy(),
}


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype("float32")
    y = (x @ rng.standard_normal((4, 2))).astype("float32")
    return x, y


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(8, activation="relu"),
            layers.BatchNormalization(),
            layers.Dense(2),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
    return model


def _changed(before, after):
    return np.any(np.asarray(before) != np.asarray(after))


@pytest.mark.parametrize("read", list(READS), ids=list(READS))
def test_weights_read_before_fit_keep_their_values(read):
    model = _model()
    x, y = _data()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)  # builds the optimizer's slots too
    opt = model.optimizer
    tracked = list(model.weights) + list(opt.variables)
    before = [READS[read](v) for v in tracked]
    kept = [np.array(b, copy=True) for b in before]
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    for v, b, k in zip(tracked, before, kept):
        np.testing.assert_array_equal(b, k, err_msg=f"{read} of {v.path} changed")
        assert not np.shares_memory(np.asarray(b), v.data), v.path
    # and training did move every trainable weight, the moving statistics and the step count
    for v, k in zip(tracked, kept):
        if v.trainable or "moving" in v.path or "iteration" in v.path:
            assert _changed(k, v.data.reshape(np.shape(k))), v.path


def test_layer_attributes_and_optimizer_accessors_are_snapshots():
    model = _model()
    x, y = _data()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    dense, bn = model.layers[0], model.layers[1]
    kernel, bias = dense.kernel.numpy(), np.asarray(dense.bias)
    mean, var = bn.moving_mean.numpy(), ops.convert_to_numpy(bn.moving_variance)
    first = model.weights[0].numpy()
    weights, layer_weights = model.get_weights(), dense.get_weights()
    step = model.optimizer.iterations.numpy()
    lr = np.asarray(model.optimizer.learning_rate)
    copies = [a.copy() for a in (kernel, bias, mean, var, first, step, lr)]
    copies_w = [w.copy() for w in weights + layer_weights]
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    model.optimizer.learning_rate = 0.001
    for got, want in zip((kernel, bias, mean, var, first, step, lr), copies):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(weights + layer_weights, copies_w):
        np.testing.assert_array_equal(got, want)
    assert int(step) == 4 and int(model.optimizer.iterations.numpy()) == 8
    assert _changed(kernel, dense.kernel.numpy()) and _changed(mean, bn.moving_mean.numpy())


def test_metric_results_history_and_logs_are_snapshots():
    model = _model()
    x, y = _data()
    seen = []
    cb = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(logs))
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, callbacks=[cb])
    results = {}
    for m in model.metrics:  # the loss tracker, then the compiled metrics (a dict of results)
        r = m.result()
        results.update(r if isinstance(r, dict) else {m.name: r})
    assert set(results) == {"loss", "mae"}
    kept = {k: np.array(ops.convert_to_numpy(r), copy=True) for k, r in results.items()}
    logs_kept = [dict(logs) for logs in seen]
    hist_kept = {k: list(v) for k, v in history.history.items()}
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    model.evaluate(x, y, verbose=0)
    for k, r in results.items():
        np.testing.assert_array_equal(r.numpy(), kept[k])
    assert seen == logs_kept and history.history == hist_kept
    assert len({logs["loss"] for logs in seen}) == 3  # three epochs, three different losses


class _Table(layers.Layer):
    """Outputs its weight reshaped: a view of the variable's buffer."""

    def build(self, input_shape):
        self.table = self.add_weight(shape=(3,), initializer="ones")

    def call(self, x):
        return ops.reshape(self.table, (1, 3))


def test_predict_outputs_are_not_views_of_weights_or_of_each_other():
    model = keras.Sequential([keras.Input((2,)), _Table()])
    x = np.zeros((1, 2), "float32")
    out = model.predict_on_batch(x)
    full = model.predict(x, verbose=0)
    called = model(x).numpy()
    model.layers[0].table.assign([5.0, 6.0, 7.0])
    for got in (out, full, called):
        np.testing.assert_array_equal(got, [[1.0, 1.0, 1.0]])
    np.testing.assert_array_equal(model.predict_on_batch(x), [[5.0, 6.0, 7.0]])
    mlp = _model()
    xs, _ = _data()
    a = mlp.predict(xs[:8], verbose=0)
    a_kept = a.copy()
    mlp.predict(xs[8:16], verbose=0)
    np.testing.assert_array_equal(a, a_kept)


def test_arrays_given_to_the_library_are_copied():
    """Keras 3 (observed): `set_weights([arr])`, `Variable(arr)` and `assign(arr)` copy `arr`."""
    dense = layers.Dense(2)
    dense.build((None, 2))
    kernel, bias = np.ones((2, 2), "float32"), np.zeros(2, "float32")
    dense.set_weights([kernel, bias])
    kernel[...] = 9.0
    np.testing.assert_array_equal(dense.kernel.numpy(), np.ones((2, 2)))
    model = _model()
    x, y = _data()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    given = [w.copy() for w in model.get_weights()]
    model.set_weights(given)
    kept = [w.copy() for w in given]
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    for g, k in zip(given, kept):
        np.testing.assert_array_equal(g, k)
    arr = np.ones(3, "float32")
    v = keras.Variable(arr)
    arr[...] = 2.0
    v.assign(arr)
    arr[...] = 3.0
    np.testing.assert_array_equal(v.numpy(), [2.0, 2.0, 2.0])


def test_history_keeps_copies_of_array_values_in_logs():
    """A callback may put arrays or variables into the logs; `History` records their values at
    the end of each epoch, not objects that later training overwrites."""
    history = keras.callbacks.History()
    state = keras.Variable([1.0, 2.0])
    buffer = np.zeros(2)
    history.on_epoch_end(0, {"loss": 0.5, "state": state, "buffer": buffer})
    state.assign([3.0, 4.0])
    buffer[...] = 7.0
    np.testing.assert_array_equal(history.history["state"][0], [1.0, 2.0])
    np.testing.assert_array_equal(history.history["buffer"][0], [0.0, 0.0])
    assert history.history["loss"] == [0.5]
