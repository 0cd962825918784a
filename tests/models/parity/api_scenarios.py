"""Training-API scenarios run the same way on Keras 3 and on minikeras: each `s_<name>(keras, tmp)`
builds small models with fixed weights, trains them with SGD on fixed data and returns plain data
(numbers, key lists, hook sequences, exception type names) that `make_fixtures.py` records from
Keras and `test_training_api_parity.py` compares. `keras` is the library under test, `tmp` an
empty directory. Only numpy and the `keras` argument are used here.
"""

import numpy as np


def data(n=12, d=4, k=2, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y = rng.normal(size=(n, k)).astype("float32")
    return x, y


def fixed_weights(model, seed=1):
    rng = np.random.RandomState(seed)
    model.set_weights([(rng.normal(size=w.shape) * 0.5).astype("float32") for w in model.weights])
    return model


def mlp(keras, d=4, k=2, act=None, name=None):
    model = keras.Sequential(
        [
            keras.Input((d,)),
            keras.layers.Dense(3, activation="tanh", name="hidden"),
            keras.layers.Dense(k, activation=act, name="out"),
        ],
        name=name,
    )
    return fixed_weights(model)


def classifier(keras, k=3):
    return mlp(keras, k=k, act="softmax")


def two_outputs(keras):
    inp = keras.Input((4,), name="x")
    h = keras.layers.Dense(3, activation="tanh", name="h")(inp)
    a = keras.layers.Dense(2, name="a")(h)
    b = keras.layers.Dense(1, activation="sigmoid", name="b")(h)
    return fixed_weights(keras.Model(inp, {"a": a, "b": b}))


def two_outputs_list(keras):
    inp = keras.Input((4,), name="x")
    h = keras.layers.Dense(3, activation="tanh", name="h")(inp)
    a = keras.layers.Dense(2, name="a")(h)
    b = keras.layers.Dense(1, activation="sigmoid", name="b")(h)
    return fixed_weights(keras.Model(inp, [a, b]))


def sgd(keras, lr=0.1):
    return keras.optimizers.SGD(learning_rate=lr)


def hist(h):
    return {
        "history": {k: [float(v) for v in vs] for k, vs in sorted(h.history.items())},
        "epoch": list(h.epoch),
        "params": {k: v for k, v in sorted(h.params.items())},
    }


def weights(model):
    return [np.asarray(w).tolist() for w in model.get_weights()]


def error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    return None


def plain(v):
    """Log values and evaluate() outputs as JSON data."""
    if isinstance(v, dict):
        return {k: plain(v[k]) for k in sorted(v)}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if hasattr(v, "shape") or isinstance(v, (float, int, np.floating, np.integer)):
        return np.asarray(v, dtype="float64").tolist()
    return v


# -- fit --------------------------------------------------------------------------------------
def s_fit_basic(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["mae"])
    h = m.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    return {**hist(h), "weights": weights(m), "metrics_names": m.metrics_names}


def s_fit_default_batch(keras, tmp):
    x, y = data(n=40)
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    h = m.fit(x, y, epochs=2, shuffle=False, verbose=0)
    return {**hist(h), "weights": weights(m)}


def s_fit_validation_split(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["mae", "mse"])
    h = m.fit(x, y, batch_size=3, epochs=2, shuffle=False, validation_split=0.25, verbose=0)
    return {**hist(h), "weights": weights(m)}


def s_fit_validation_data_forms(keras, tmp):
    x, y = data()
    vx, vy = data(n=5, seed=3)
    sw = np.linspace(0.5, 2.0, 5).astype("float32")
    out = {}
    for name, vd in [("pair", (vx, vy)), ("triple", (vx, vy, sw)), ("list", [vx, vy])]:
        m = mlp(keras)
        m.compile(sgd(keras), "mse", metrics=["mae"], weighted_metrics=["mse"])
        h = m.fit(x, y, batch_size=4, epochs=1, shuffle=False, validation_data=vd, verbose=0)
        out[name] = hist(h)
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    h = m.fit(
        x,
        y,
        batch_size=4,
        epochs=1,
        shuffle=False,
        validation_data=(vx, vy),
        validation_batch_size=2,
        validation_steps=2,
        verbose=0,
    )
    out["steps"] = hist(h)
    return out


def s_fit_sample_weight(keras, tmp):
    x, y = data()
    sw = np.linspace(0.1, 3.0, 12).astype("float32")
    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["mae"], weighted_metrics=["mae"])
    h = m.fit(x, y, sample_weight=sw, batch_size=5, epochs=2, shuffle=False, verbose=0)
    return {**hist(h), "weights": weights(m)}


def s_fit_class_weight(keras, tmp):
    x, _ = data()
    labels = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2])
    out = {}
    for name, y, loss in [
        ("sparse", labels, "sparse_categorical_crossentropy"),
        ("onehot", np.eye(3, dtype="float32")[labels], "categorical_crossentropy"),
    ]:
        m = classifier(keras)
        m.compile(sgd(keras), loss, metrics=["accuracy"], weighted_metrics=["accuracy"])
        h = m.fit(
            x,
            y,
            class_weight={0: 0.5, 1: 2.0, 2: 1.0},
            batch_size=4,
            epochs=2,
            shuffle=False,
            verbose=0,
        )
        out[name] = {**hist(h), "weights": weights(m)}
    return out


def s_fit_initial_epoch(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    h = m.fit(x, y, batch_size=6, epochs=3, initial_epoch=1, shuffle=False, verbose=0)
    return {**hist(h), "weights": weights(m)}


def s_fit_steps_per_epoch_arrays(keras, tmp):
    x, y = data()
    out = {}
    for name, steps, vsteps in [("within", 2, None), ("over", 4, None), ("val", 3, 1)]:
        m = mlp(keras)
        m.compile(sgd(keras), "mse", metrics=["mae"])
        h = m.fit(
            x,
            y,
            batch_size=2,
            epochs=3,
            steps_per_epoch=steps,
            validation_data=data(n=4, seed=7),
            validation_batch_size=2,
            validation_steps=vsteps,
            shuffle=False,
            verbose=0,
        )
        out[name] = {**hist(h), "weights": weights(m)}
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    h = m.fit(x, y, batch_size=5, epochs=3, steps_per_epoch=2, shuffle=False, verbose=0)
    out["uneven"] = {**hist(h), "weights": weights(m)}
    return out


def s_fit_validation_freq(keras, tmp):
    x, y = data()
    out = {}
    for name, freq in [("int", 2), ("list", [1, 3])]:
        m = mlp(keras)
        m.compile(sgd(keras), "mse", metrics=["mae"])
        h = m.fit(
            x,
            y,
            batch_size=4,
            epochs=3,
            shuffle=False,
            validation_data=data(n=4, seed=5),
            validation_freq=freq,
            verbose=0,
        )
        out[name] = hist(h)
    return out


def s_fit_generator(keras, tmp):
    x, y = data()

    def gen():
        while True:
            for i in range(0, 12, 4):
                yield x[i : i + 4], y[i : i + 4]

    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["mae"])
    h = m.fit(gen(), steps_per_epoch=3, epochs=2, verbose=0)
    ev = m.evaluate(gen(), steps=2, verbose=0, return_dict=True)
    return {**hist(h), "weights": weights(m), "evaluate": plain(ev)}


def s_fit_pydataset(keras, tmp):
    x, y = data()

    class Seq(keras.utils.PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return x[i * 4 : (i + 1) * 4], y[i * 4 : (i + 1) * 4]

    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["mae"])
    h = m.fit(Seq(), epochs=2, shuffle=False, validation_data=Seq(), verbose=0)
    pred = m.predict(Seq(), verbose=0)
    return {**hist(h), "weights": weights(m), "pred": pred.tolist(), "len": len(Seq())}


def s_fit_dict_inputs(keras, tmp):
    x, y = data()
    a = keras.Input((2,), name="a")
    b = keras.Input((2,), name="b")
    h = keras.layers.Concatenate()([a, b])
    out = keras.layers.Dense(2, name="out")(h)
    m = fixed_weights(keras.Model({"a": a, "b": b}, out))
    m.compile(sgd(keras), "mse")
    h = m.fit({"a": x[:, :2], "b": x[:, 2:]}, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    pred = m.predict({"a": x[:, :2], "b": x[:, 2:]}, batch_size=5, verbose=0)
    return {**hist(h), "weights": weights(m), "pred": pred.tolist()}


def s_multi_output_dict(keras, tmp):
    x, y = data()
    yb = (y[:, :1] > 0).astype("float32")
    m = two_outputs(keras)
    m.compile(
        sgd(keras),
        loss={"a": "mse", "b": "binary_crossentropy"},
        loss_weights={"a": 0.5, "b": 2.0},
        metrics={"a": ["mae"], "b": ["accuracy"]},
    )
    h = m.fit(x, {"a": y, "b": yb}, batch_size=4, epochs=2, shuffle=False, verbose=0)
    ev_d = m.evaluate(x, {"a": y, "b": yb}, verbose=0, return_dict=True)
    ev_l = m.evaluate(x, {"a": y, "b": yb}, verbose=0)
    pred = m.predict(x, batch_size=5, verbose=0)
    tob = m.train_on_batch(x, {"a": y, "b": yb}, return_dict=True)
    return {
        **hist(h),
        "weights": weights(m),
        "evaluate_dict": plain(ev_d),
        "evaluate_list": plain(ev_l),
        "pred": plain(pred),
        "metrics_names": m.metrics_names,
        "train_on_batch": plain(tob),
    }


def s_multi_output_list(keras, tmp):
    x, y = data()
    yb = (y[:, :1] > 0).astype("float32")
    m = two_outputs_list(keras)
    m.compile(
        sgd(keras),
        loss=["mse", "binary_crossentropy"],
        loss_weights=[1.0, 0.3],
        metrics=[["mae"], ["accuracy", "mse"]],
    )
    h = m.fit(x, [y, yb], batch_size=4, epochs=1, shuffle=False, verbose=0)
    ev = m.evaluate(x, [y, yb], verbose=0)
    tob = m.test_on_batch(x, [y, yb])
    pred = m.predict(x, verbose=0)
    return {
        **hist(h),
        "weights": weights(m),
        "evaluate": plain(ev),
        "test_on_batch": plain(tob),
        "pred": plain(pred),
        "metrics_names": m.metrics_names,
    }


def s_multi_output_one_loss(keras, tmp):
    x, y = data()
    yb = (y[:, :1] > 0).astype("float32")
    m = two_outputs(keras)
    m.compile(sgd(keras), loss={"a": "mse", "b": None}, metrics={"b": "accuracy"})
    h = m.fit(x, {"a": y, "b": yb}, batch_size=4, epochs=1, shuffle=False, verbose=0)
    ev = m.evaluate(x, {"a": y, "b": yb}, verbose=0)
    return {**hist(h), "weights": weights(m), "evaluate": plain(ev)}


def s_compile_forms(keras, tmp):
    x, y = data()
    labels = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2])
    out = {}
    forms = [
        (
            "loss_obj",
            keras.losses.MeanSquaredError(),
            ["mae", keras.metrics.RootMeanSquaredError()],
        ),
        ("loss_fn", keras.losses.mean_absolute_error, [keras.metrics.mean_squared_error]),
        ("metric_named", "mse", [keras.metrics.MeanAbsoluteError(name="my_mae")]),
    ]
    for name, loss, metrics in forms:
        m = mlp(keras)
        m.compile(sgd(keras), loss, metrics=metrics)
        h = m.fit(x, y, batch_size=6, epochs=1, shuffle=False, verbose=0)
        out[name] = {**hist(h), "names": m.metrics_names}
    for name, metrics in [
        ("acc", ["accuracy"]),
        (
            "acc_full",
            ["sparse_categorical_accuracy", keras.metrics.SparseTopKCategoricalAccuracy(2)],
        ),
        ("dup", ["accuracy", "accuracy", keras.metrics.SparseCategoricalAccuracy()]),
        ("ce", ["sparse_categorical_crossentropy"]),
    ]:
        m = classifier(keras)
        m.compile(sgd(keras), "sparse_categorical_crossentropy", metrics=metrics)
        h = m.fit(x, labels, batch_size=6, epochs=1, shuffle=False, verbose=0)
        out[name] = {**hist(h), "names": m.metrics_names}
    for opts in [{"run_eagerly": True}, {"jit_compile": False}]:
        m = mlp(keras)
        m.compile(sgd(keras), "mse", **opts)
        h = m.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        out[str(sorted(opts))] = {**hist(h), "weights": weights(m)}
    return out


def s_evaluate_forms(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["mae"])
    sw = np.linspace(0.5, 1.5, 12).astype("float32")
    m2 = mlp(keras)
    m2.compile(sgd(keras), "mse")
    return {
        "list": plain(m.evaluate(x, y, batch_size=5, verbose=0)),
        "dict": plain(m.evaluate(x, y, verbose=0, return_dict=True)),
        "sw": plain(m.evaluate(x, y, sample_weight=sw, verbose=0, return_dict=True)),
        "steps": plain(m.evaluate(x, y, batch_size=4, steps=2, verbose=0)),
        "scalar": plain(m2.evaluate(x, y, verbose=0)),
        "get_metrics_result": plain(m.get_metrics_result()),
        "names": m.metrics_names,
        "metrics": [type(v).__name__ for v in m.metrics],
    }


def s_on_batch(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["mae"])
    out = {"names_before": m.metrics_names}
    out["train_list"] = plain(m.train_on_batch(x, y))
    out["train_dict"] = plain(m.train_on_batch(x, y, return_dict=True))
    out["test_list"] = plain(m.test_on_batch(x, y))
    out["test_dict"] = plain(m.test_on_batch(x, y, return_dict=True))
    out["predict"] = plain(m.predict_on_batch(x))
    out["names_after"] = m.metrics_names
    sw = np.linspace(0.5, 1.5, 12).astype("float32")
    out["train_sw"] = plain(m.train_on_batch(x, y, sample_weight=sw))
    m2 = mlp(keras)
    m2.compile(sgd(keras), "mse")
    out["scalar"] = plain(m2.train_on_batch(x, y))
    out["weights"] = weights(m)
    return out


def s_predict_forms(keras, tmp):
    x, _ = data(n=11)
    m = mlp(keras)
    inp = keras.Input((4,))
    h = keras.layers.Dense(3, name="h")(inp)
    nested = keras.Model(inp, {"p": h, "q": [h, keras.layers.Dense(1, name="q1")(h)]})
    fixed_weights(nested)
    return {
        "b3": plain(m.predict(x, batch_size=3, verbose=0)),
        "steps": plain(m.predict(x, batch_size=3, steps=2, verbose=0)),
        "nested": plain(nested.predict(x, batch_size=4, verbose=0)),
        "dtype": str(m.predict(x, verbose=0).dtype),
    }


def s_metrics_lifecycle(keras, tmp):
    x, y = data()
    m = mlp(keras)
    out = {"uncompiled": m.metrics_names}
    m.compile(sgd(keras), "mse", metrics=["mae", "mse"])
    out["compiled"] = m.metrics_names
    out["compiled_types"] = [type(v).__name__ for v in m.metrics]
    m.fit(x, y, epochs=1, verbose=0)
    out["fitted"] = m.metrics_names
    out["fitted_types"] = [type(v).__name__ for v in m.metrics]
    out["result"] = sorted(m.get_metrics_result())
    m.reset_metrics()
    out["after_reset"] = plain(m.get_metrics_result())
    return out


def fit_with(keras, x, y, loss="mse", metrics=None):
    m = mlp(keras)
    m.compile(sgd(keras), loss, metrics=metrics)
    m.fit(x, y, verbose=0)


def s_fit_errors(keras, tmp):
    x, y = data()

    def gen():
        yield x, y

    def fresh():
        m = mlp(keras)
        m.compile(sgd(keras), "mse")
        return m

    return {
        "fit_uncompiled": error(lambda: mlp(keras).fit(x, y, verbose=0)),
        "evaluate_uncompiled": error(lambda: mlp(keras).evaluate(x, y, verbose=0)),
        "train_on_batch_uncompiled": error(lambda: mlp(keras).train_on_batch(x, y)),
        "split_generator": error(lambda: fresh().fit(gen(), validation_split=0.5, verbose=0)),
        "mismatched_len": error(lambda: fresh().fit(x, y[:5], verbose=0)),
        "bad_loss": error(lambda: fit_with(keras, x, y, loss="no_such_loss")),
        "bad_loss_compile_only": error(lambda: mlp(keras).compile(sgd(keras), "no_such_loss")),
        "bad_metric_compile_only": error(
            lambda: mlp(keras).compile(sgd(keras), "mse", metrics=["no_such"])
        ),
        "bad_metric": error(lambda: fit_with(keras, x, y, metrics=["no_such"])),
        "test_on_batch_uncompiled": error(lambda: mlp(keras).test_on_batch(x, y)),
        "bad_optimizer": error(lambda: mlp(keras).compile("no_such_opt", "mse")),
        "predict_uncompiled": plain(mlp(keras).predict(x[:2], verbose=0)),
    }
