"""Custom steps, custom losses/metrics, per-output sample weights and generator lifetimes
(conventions in `api_scenarios.py`)."""

import numpy as np
from api_scenarios import data, error, fixed_weights, hist, mlp, plain, sgd, two_outputs, weights
from callback_scenarios import recorder


def my_metric(y_true, y_pred):
    return (y_true - y_pred) ** 2 * 0.5


def my_loss(y_true, y_pred):
    return ((y_true - y_pred) ** 2) * 2.0


def s_custom_loss_metric_fns(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), my_loss, metrics=[my_metric, "mse"])
    h = m.fit(x, y, batch_size=6, epochs=2, shuffle=False, verbose=0)
    return {**hist(h), "weights": weights(m), "names": m.metrics_names}


def s_custom_train_step(keras, tmp):
    x, y = data()

    class Custom(keras.Model):
        def __init__(self):
            super().__init__()
            self.d1 = keras.layers.Dense(3, activation="tanh")
            self.d2 = keras.layers.Dense(2)
            self.tracker = keras.metrics.Mean(name="my_loss")

        def call(self, inputs):
            return self.d2(self.d1(inputs))

        def train_step(self, data):
            x, y = data
            y_pred = self(x, training=True)
            loss = keras.ops.mean((y - y_pred) ** 2)
            self.tracker.update_state(loss)
            return {"my_loss": self.tracker.result(), "extra": 1.0}

        @property
        def metrics(self):
            return [self.tracker]

    m = Custom()
    m.compile(sgd(keras))
    m(x[:1])
    fixed_weights(m)
    r = recorder(keras)
    h = m.fit(x, y, batch_size=6, epochs=2, shuffle=False, callbacks=[r], verbose=0)
    return {
        **hist(h),
        "names": m.metrics_names,
        "batch_logs": [c[2] for c in r.calls if c[0] == "on_train_batch_end"],
    }


def s_subclass_default_steps(keras, tmp):
    x, y = data()

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.d1 = keras.layers.Dense(3, activation="tanh")
            self.d2 = keras.layers.Dense(2)

        def call(self, inputs):
            return self.d2(self.d1(inputs))

    m = Sub()
    m(x[:1])
    fixed_weights(m)
    m.compile(sgd(keras), "mse", metrics=["mae"])
    h = m.fit(x, y, batch_size=6, epochs=2, shuffle=False, validation_split=0.5, verbose=0)
    return {
        **hist(h),
        "weights": weights(m),
        "evaluate": plain(m.evaluate(x, y, verbose=0)),
        "names": m.metrics_names,
    }


def s_regularized(keras, tmp):
    x, y = data()
    m = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(3, activation="tanh", kernel_regularizer=keras.regularizers.L2(0.1)),
            keras.layers.Dense(2, activity_regularizer=keras.regularizers.L1(0.05)),
        ]
    )
    fixed_weights(m)
    m.compile(sgd(keras), "mse", metrics=["mse"])
    h = m.fit(x, y, batch_size=6, epochs=2, shuffle=False, verbose=0)
    return {
        **hist(h),
        "weights": weights(m),
        "evaluate": plain(m.evaluate(x, y, verbose=0, return_dict=True)),
        "train_on_batch": plain(m.train_on_batch(x, y, return_dict=True)),
    }


def s_per_output_sample_weight(keras, tmp):
    x, y = data()
    yb = (y[:, :1] > 0).astype("float32")
    sw_a = np.linspace(0.5, 1.5, 12).astype("float32")
    sw_b = np.linspace(2.0, 0.2, 12).astype("float32")
    out = {}
    for name, sw in [("dict", {"a": sw_a, "b": sw_b}), ("one", sw_a)]:
        m = two_outputs(keras)
        m.compile(
            sgd(keras),
            loss={"a": "mse", "b": "binary_crossentropy"},
            weighted_metrics={"a": ["mae"], "b": ["accuracy"]},
        )
        err = error(
            lambda m=m, sw=sw: out.__setitem__(
                name,
                hist(
                    m.fit(
                        x,
                        {"a": y, "b": yb},
                        sample_weight=sw,
                        batch_size=4,
                        epochs=1,
                        shuffle=False,
                        verbose=0,
                    )
                ),
            )
        )
        if err:
            out[name] = err
        else:
            out[name]["weights"] = weights(m)
    return out


def s_partial_loss_weights(keras, tmp):
    x, y = data()
    yb = (y[:, :1] > 0).astype("float32")
    m = two_outputs(keras)
    m.compile(
        sgd(keras),
        loss={"a": "mse", "b": "binary_crossentropy"},
        loss_weights={"a": 3.0},
    )
    h = m.fit(x, {"a": y, "b": yb}, batch_size=4, epochs=1, shuffle=False, verbose=0)
    return {**hist(h), "weights": weights(m)}


def s_finite_generator(keras, tmp):
    x, y = data()

    def gen():
        for i in range(0, 12, 4):
            yield x[i : i + 4], y[i : i + 4]

    out = {}
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    r = recorder(keras)
    h = m.fit(gen(), epochs=3, callbacks=[r], verbose=0)
    out["plain"] = {
        **hist(h),
        "weights": weights(m),
        "batches": [c[1][0] for c in r.calls if c[0] == "on_train_batch_end"],
    }
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    r = recorder(keras)
    h = m.fit(gen(), epochs=3, steps_per_epoch=2, callbacks=[r], verbose=0)
    out["steps"] = {
        **hist(h),
        "weights": weights(m),
        "batches": [c[1][0] for c in r.calls if c[0] == "on_train_batch_end"],
    }
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    out["predict"] = plain(m.predict(((xb,) for xb in (x[:5], x[5:])), verbose=0))
    out["predict_bare"] = error(lambda: m.predict((xb for xb in (x[:5], x[5:])), verbose=0))
    out["evaluate"] = plain(m.evaluate(gen(), verbose=0))
    return out


def s_dict_pydataset(keras, tmp):
    x, y = data()
    a = keras.Input((2,), name="a")
    b = keras.Input((2,), name="b")
    o = keras.layers.Dense(2, name="o")(keras.layers.Concatenate()([a, b]))
    m = fixed_weights(keras.Model({"a": a, "b": b}, o))
    m.compile(sgd(keras), "mse")

    class Seq(keras.utils.PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            s = slice(i * 4, (i + 1) * 4)
            return {"a": x[s, :2], "b": x[s, 2:]}, y[s]

    h = m.fit(Seq(), epochs=2, shuffle=False, verbose=0)
    split = {"a": x[:, :2], "b": x[:, 2:]}
    h2 = m.fit(split, y, validation_split=0.25, batch_size=3, shuffle=False, verbose=0)
    return {"seq": hist(h), "split": hist(h2), "weights": weights(m)}


def s_model_attributes(keras, tmp):
    m = mlp(keras)
    out = {"compiled_before": bool(m.compiled)}
    m.compile(sgd(keras), "mse", run_eagerly=True)
    out["run_eagerly"] = m.run_eagerly
    out["jit_compile"] = m.jit_compile
    out["compiled"] = bool(m.compiled)
    out["loss"] = m.loss
    out["optimizer"] = type(m.optimizer).__name__
    out["steps_per_execution"] = m.steps_per_execution
    m.compile(sgd(keras), "mse")
    out["default_run_eagerly"] = m.run_eagerly
    out["compile_config_keys"] = sorted(m.get_compile_config())
    return out


def s_log_key_order(keras, tmp):
    x, y = data()
    seen = {}

    class Keys(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen["batch"] = list(logs)

        def on_epoch_end(self, epoch, logs=None):
            seen["epoch"] = list(logs)

        def on_test_end(self, logs=None):
            seen["test_end"] = list(logs)

    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["mse", "mae", "cosine_similarity"])
    h = m.fit(
        x, y, batch_size=6, validation_split=0.5, callbacks=[Keys()], shuffle=False, verbose=0
    )
    seen["history"] = list(h.history)
    seen["evaluate_dict"] = list(m.evaluate(x, y, verbose=0, return_dict=True))
    return seen


def s_summary_variants(keras, tmp):
    def text(model, **kw):
        lines = []
        model.summary(print_fn=lambda s, **k: lines.append(s), **kw)
        return "\n".join(lines).splitlines()

    inner = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3, name="d1"), keras.layers.Dense(2, name="d2")],
        name="inner",
    )
    inp = keras.Input((4,), name="x")
    outer = keras.Model(inp, keras.layers.Dense(1, name="head")(inner(inp)), name="outer")
    inner.get_layer("d1").trainable = False
    m = mlp(keras, name="fitted")
    m.compile(sgd(keras), "mse")
    x, y = data()
    m.fit(x, y, epochs=1, verbose=0)
    unbuilt = keras.Sequential([keras.layers.Dense(2, name="later")], name="unbuilt")
    return {
        "nested": text(outer),
        "expand": text(outer, expand_nested=True),
        "trainable": text(outer, show_trainable=True),
        "fitted": text(m),
        "unbuilt": text(unbuilt),
        "narrow": text(mlp(keras, name="n"), line_length=60),
    }


def s_json_compile_config(keras, tmp):
    import json

    m = mlp(keras)
    m.compile(
        sgd(keras),
        "mse",
        metrics=["mae", keras.metrics.RootMeanSquaredError()],
        loss_weights=None,
    )
    cfg = json.loads(m.to_json())["compile_config"]
    cfg["optimizer"] = cfg["optimizer"]["class_name"]
    m2 = keras.models.model_from_json(m.to_json())
    return {"compile_config": cfg, "loaded_compiled": bool(m2.compiled)}


def s_weight_argument_rules(keras, tmp):
    x, y = data()
    labels = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2])

    def clf():
        from api_scenarios import classifier

        m = classifier(keras)
        m.compile(sgd(keras), "sparse_categorical_crossentropy")
        return m

    def gen():
        while True:
            yield x[:4], labels[:4]

    class Seq(keras.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return x[i * 6 : (i + 1) * 6], labels[i * 6 : (i + 1) * 6], np.ones(6, "float32")

    sw = np.ones(12, "float32")
    return {
        "fit_both": error(
            lambda: clf().fit(x, labels, sample_weight=sw, class_weight={0: 2.0}, verbose=0)
        ),
        "tob_both": error(
            lambda: clf().train_on_batch(x, labels, sample_weight=sw, class_weight={0: 2.0})
        ),
        "gen_class_weight": error(
            lambda: clf().fit(gen(), steps_per_epoch=2, class_weight={0: 2.0}, verbose=0)
        ),
        "gen_sample_weight": error(
            lambda: clf().fit(gen(), steps_per_epoch=2, sample_weight=sw, verbose=0)
        ),
        "seq_sw_and_cw": error(lambda: clf().fit(Seq(), class_weight={0: 2.0}, verbose=0)),
        "bad_x": error(lambda: clf().fit("text", labels, verbose=0)),
        "missing_class": plain(
            clf()
            .fit(x, labels, class_weight={0: 3.0}, shuffle=False, batch_size=6, verbose=0)
            .history
        ),
    }


def s_auto_crossentropy(keras, tmp):
    from api_scenarios import classifier

    x, y = data()
    labels = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2])
    yb = (y[:, :1] > 0).astype("float32")
    out = {}
    for name, make, target in [
        ("sparse", lambda: classifier(keras), labels),
        ("sparse_col", lambda: classifier(keras), labels[:, None]),
        ("onehot", lambda: classifier(keras), np.eye(3, dtype="float32")[labels]),
        ("binary", lambda: mlp(keras, k=1, act="sigmoid"), yb),
    ]:
        for loss in ("crossentropy", "ce"):
            m = make()
            m.compile(sgd(keras), loss, metrics=["accuracy", "acc"])
            err = error(
                lambda m=m, t=target, k=f"{name}_{loss}": out.__setitem__(
                    k, hist(m.fit(x, t, batch_size=6, shuffle=False, verbose=0))
                )
            )
            if err:
                out[f"{name}_{loss}"] = err
    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["crossentropy"])
    out["metric_ce"] = error(lambda: m.fit(x, y, verbose=0))
    return out


def s_callback_list_and_order(keras, tmp):
    from extra_scenarios import captured

    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    cl = keras.callbacks.CallbackList(
        [], add_history=True, add_progbar=True, model=m, epochs=3, steps=2, verbose=0
    )

    class Say(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            print(f"say {epoch}")

    lines = captured(
        lambda: m.fit(
            x,
            y,
            batch_size=6,
            epochs=2,
            shuffle=False,
            verbose=2,
            callbacks=[Say(), keras.callbacks.ModelCheckpoint(tmp + "/m.keras", verbose=1)],
        )
    )
    m2 = mlp(keras)
    m2.compile(sgd(keras), "mse", metrics=[None])
    return {
        "types": [type(c).__name__ for c in cl.callbacks],
        "params": cl.params,
        "history_is_model_history": m.history is cl.callbacks[0],
        "fit_lines": [line.replace(tmp, "TMP") for line in lines],
        "metric_none": error(lambda: m2.fit(x, y, verbose=0)),
    }


def s_multi_output_targets(keras, tmp):
    from api_scenarios import two_outputs_list

    x, y = data()
    yb = (y[:, :1] > 0).astype("float32")
    both = {"a": "mse", "b": "binary_crossentropy"}

    def run(make, y_, **kw):
        m = make(keras)
        m.compile(sgd(keras), **kw)
        return hist(m.fit(x, y_, batch_size=6, shuffle=False, verbose=0))

    cases = {
        "y_missing_key": lambda: run(two_outputs, {"a": y}, loss=both),
        "y_extra_key": lambda: run(two_outputs, {"a": y, "b": yb, "c": yb}, loss=both),
        "y_list_for_dict": lambda: run(two_outputs, [y, yb], loss=both),
        "loss_list_for_dict": lambda: run(two_outputs, {"a": y, "b": yb}, loss=["mse", "mse"]),
        "single_loss": lambda: run(two_outputs, {"a": y, "b": yb}, loss="mse"),
        "list_model_dict_y": lambda: run(two_outputs_list, {"a": y, "b": yb}, loss=["mse", "mse"]),
        "list_model_dict_loss": lambda: run(two_outputs_list, [y, yb], loss=both),
        "y_wrong_count": lambda: run(two_outputs_list, [y], loss=["mse", "mse"]),
        "loss_list_short": lambda: run(two_outputs_list, [y, yb], loss=["mse"]),
        "loss_list_long": lambda: run(two_outputs_list, [y, yb], loss=["mse", "mse", "mse"]),
        "loss_weights_scalar": lambda: run(
            two_outputs, {"a": y, "b": yb}, loss=both, loss_weights=0.5
        ),
        "weighted_dict": lambda: run(
            two_outputs,
            {"a": y, "b": yb},
            loss=both,
            metrics={"a": "mae"},
            weighted_metrics={"a": "mae", "b": ["mse"]},
        ),
    }
    out = {}
    for name, fn in cases.items():
        try:
            out[name] = fn()
        except Exception as e:  # noqa: BLE001
            out[name] = type(e).__name__
    return out


def s_csv_columns(keras, tmp):
    import os

    x, y = data()

    def cell(v):
        try:
            return float(v)
        except ValueError:
            return v

    out = {}
    for name, kw, cbs in [
        ("no_val", {}, []),
        ("freq2", {"validation_data": data(n=4, seed=2), "validation_freq": 2}, []),
        ("lr", {}, [keras.callbacks.ReduceLROnPlateau(monitor="loss", min_delta=10, patience=0)]),
    ]:
        path = os.path.join(tmp, f"{name}.csv")
        m = mlp(keras)
        m.compile(sgd(keras), "mse", metrics=["mae"])
        m.fit(
            x,
            y,
            batch_size=6,
            epochs=2,
            shuffle=False,
            verbose=0,
            callbacks=cbs + [keras.callbacks.CSVLogger(path)],
            **kw,
        )
        with open(path, newline="") as f:
            raw = f.read()
        out[name] = {
            "crlf": raw.count("\r\n"),
            "rows": [[cell(c) for c in line.split(",")] for line in raw.splitlines()],
        }
    return out


def s_custom_step_overrides(keras, tmp):
    x, y = data()

    class C(keras.Sequential):
        def test_step(self, data):
            x, y = data
            yp = self(x, training=False)
            return {"custom": keras.ops.mean(yp), "n": 3}

    class D(keras.Sequential):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            return keras.ops.mean(keras.ops.abs(y - y_pred)) * 3.0

    def make(cls, **kw):
        m = fixed_weights(cls([keras.Input((4,)), keras.layers.Dense(2)]))
        m.compile(sgd(keras), **kw)
        return m

    m = make(C, loss="mse", metrics=["mae"])
    out = {
        "ev_custom": plain(m.evaluate(x, y, batch_size=5, verbose=0)),
        "ev_custom_dict": plain(m.evaluate(x, y, batch_size=5, verbose=0, return_dict=True)),
        "fit_val_custom": hist(
            m.fit(x, y, batch_size=5, verbose=0, validation_data=(x, y), shuffle=False)
        ),
        "tob_custom": error(lambda: m.test_on_batch(x, y, return_dict=True)),
    }
    m = make(D, metrics=["mse"])
    out["fit_compute_loss"] = hist(m.fit(x, y, batch_size=6, verbose=0, shuffle=False))
    out["ev_compute_loss"] = plain(m.evaluate(x, y, verbose=0, return_dict=True))
    return out


def s_class_weight_validation_split(keras, tmp):
    from api_scenarios import classifier

    x, _ = data()
    labels = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2])
    m = classifier(keras)
    m.compile(sgd(keras), "sparse_categorical_crossentropy", weighted_metrics=["accuracy"])
    h = m.fit(
        x,
        labels,
        class_weight={0: 0.1, 1: 5.0, 2: 1.0},
        validation_split=0.5,
        batch_size=3,
        shuffle=False,
        verbose=0,
    )
    return {**hist(h), "weights": weights(m)}
