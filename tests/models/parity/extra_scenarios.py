"""More training-API scenarios (conventions in `api_scenarios.py`): callback params and
attributes, argument errors, loss/metric forms on one output, LambdaCallback aliases, summary
text, pad_sequences corner cases."""

import numpy as np
from api_scenarios import classifier, data, error, hist, mlp, plain, sgd, two_outputs, weights
from callback_scenarios import recorder


def s_callback_params(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    out = {}
    for name, run in [
        ("fit", lambda cb: m.fit(x, y, batch_size=5, epochs=2, callbacks=[cb], verbose=0)),
        ("evaluate", lambda cb: m.evaluate(x, y, batch_size=5, callbacks=[cb], verbose=0)),
        ("predict", lambda cb: m.predict(x, batch_size=5, callbacks=[cb], verbose=0)),
        ("fit_v2", lambda cb: m.fit(x, y, batch_size=6, callbacks=[cb], verbose=2)),
    ]:
        r = recorder(keras)
        run(r)
        out[name] = {
            "params": {k: v for k, v in sorted(r.params.items())},
            "model_is": r.model is m,
        }
    h = m.fit(x, y, epochs=1, verbose=0)
    out["history_model"] = h.model is m
    out["iterations"] = int(np.asarray(m.optimizer.iterations))
    return out


def s_argument_errors(keras, tmp):
    x, y = data()
    yb = (y[:, :1] > 0).astype("float32")

    def fresh():
        m = mlp(keras)
        m.compile(sgd(keras), "mse")
        return m

    def two():
        m = two_outputs(keras)
        m.compile(sgd(keras), loss={"a": "mse", "b": "binary_crossentropy"})
        return m

    def bad_loss_key():
        m = two_outputs(keras)
        m.compile(sgd(keras), loss={"a": "mse", "zzz": "mse"})
        m.fit(x, {"a": y, "b": yb}, verbose=0)

    return {
        "sw_len": error(lambda: fresh().fit(x, y, sample_weight=np.ones(5), verbose=0)),
        "val_4_tuple": error(
            lambda: fresh().fit(x, y, validation_data=(x, y, None, None), verbose=0)
        ),
        "initial_gt_epochs": plain(fresh().fit(x, y, epochs=1, initial_epoch=2, verbose=0).history),
        "class_weight_multi": error(
            lambda: two().fit(x, {"a": y, "b": yb}, class_weight={0: 1.0, 1: 2.0}, verbose=0)
        ),
        "bad_loss_key": error(bad_loss_key),
        "x_none": error(lambda: fresh().fit(None, y, verbose=0)),
        "predict_wrong_shape": error(lambda: fresh().predict(x[:, :3], verbose=0)),
        "evaluate_no_y": error(lambda: fresh().evaluate(x, verbose=0, return_dict=True)),
    }


def s_single_output_forms(keras, tmp):
    x, y = data()
    labels = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2])
    out = {}
    m = mlp(keras)
    m.compile(sgd(keras), loss=["mse"], metrics=[["mae"]])
    out["list_loss"] = hist(m.fit(x, y, batch_size=6, shuffle=False, verbose=0))
    m = mlp(keras, k=1, act="sigmoid")
    yb = (y[:, :1] > 0).astype("float32")
    m.compile(sgd(keras), "binary_crossentropy", metrics=["accuracy", "AUC", "Precision"])
    out["binary"] = hist(m.fit(x, yb, batch_size=6, shuffle=False, verbose=0))
    m = classifier(keras)
    m.compile(
        sgd(keras),
        "categorical_crossentropy",
        metrics=["accuracy", keras.metrics.TopKCategoricalAccuracy(k=2)],
    )
    onehot = np.eye(3, dtype="float32")[labels]
    out["cat"] = hist(m.fit(x, onehot, batch_size=6, shuffle=False, verbose=0))
    m = classifier(keras)
    m.compile(sgd(keras), keras.losses.SparseCategoricalCrossentropy(), metrics=["acc"])
    out["acc_alias"] = hist(m.fit(x, labels, batch_size=6, shuffle=False, verbose=0))
    m = mlp(keras)
    m.compile(sgd(keras), "mse", loss_weights=[0.5])
    out["loss_weight"] = {**hist(m.fit(x, y, batch_size=6, shuffle=False, verbose=0))}
    out["loss_weight"]["weights"] = weights(m)
    m = classifier(keras)
    m.compile(sgd(keras), "sparse_categorical_crossentropy")
    cw = m.train_on_batch(x, labels, class_weight={0: 1.0, 1: 0.5, 2: 3.0})
    out["tob_class_weight"] = plain(cw)
    return out


def s_validation_extras(keras, tmp):
    x, y = data()
    sw = np.linspace(0.5, 2.0, 12).astype("float32")
    out = {}
    m = mlp(keras)
    m.compile(sgd(keras), "mse", weighted_metrics=["mae"])
    h = m.fit(x, y, sample_weight=sw, validation_split=0.25, batch_size=4, shuffle=False, verbose=0)
    out["split_sw"] = hist(h)

    def gen():
        while True:
            yield x[:4], y[:4]

    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["mae"])
    h = m.fit(x, y, validation_data=gen(), validation_steps=2, epochs=2, shuffle=False, verbose=0)
    out["val_gen"] = hist(h)

    class Seq(keras.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return x[i * 3 : (i + 1) * 3], y[i * 3 : (i + 1) * 3]

    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    h = m.fit(Seq(), epochs=3, steps_per_epoch=1, validation_data=Seq(), shuffle=False, verbose=0)
    out["seq_steps"] = {**hist(h), "weights": weights(m)}
    out["evaluate_seq"] = plain(m.evaluate(Seq(), verbose=0))
    return out


def s_lambda_aliases(keras, tmp):
    x, y = data()
    seen = []
    cb = keras.callbacks.LambdaCallback(
        on_batch_begin=lambda batch, logs: seen.append(["batch_begin", batch]),
        on_batch_end=lambda batch, logs: seen.append(["batch_end", batch, sorted(logs)]),
    )
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    m.fit(x, y, batch_size=6, epochs=1, shuffle=False, callbacks=[cb], verbose=0)
    m.evaluate(x, y, batch_size=6, callbacks=[cb], verbose=0)
    return seen


def s_summary_text(keras, tmp):
    lines = []
    m = mlp(keras, name="seq")
    m.summary(print_fn=lambda s, **kw: lines.append(s))
    text = "\n".join(lines)
    inp = keras.Input((4,), name="x")
    a = keras.layers.Dense(2, name="a")(inp)
    b = keras.layers.Dense(3, name="b")(inp)
    f = keras.Model(inp, keras.layers.Concatenate(name="cat")([a, b]), name="func")
    lines2 = []
    f.summary(print_fn=lambda s, **kw: lines2.append(s))
    return {"seq": text.splitlines(), "func": "\n".join(lines2).splitlines()}


def s_pad_sequences_more(keras, tmp):
    u = keras.utils
    seqs = [[1, 2, 3, 4], [5], []]
    return {
        "trunc_pre": u.pad_sequences(seqs, maxlen=2).tolist(),
        "trunc_post_pad_pre": u.pad_sequences(seqs, maxlen=3, truncating="post").tolist(),
        "float_value": u.pad_sequences([[0.5, 1.5]], maxlen=3, dtype="float32", value=9).tolist(),
        "strings": u.pad_sequences([["a", "b"], ["c"]], dtype=object, value="").tolist(),
        "nested": u.pad_sequences([[[1, 2]], [[3, 4], [5, 6]]]).tolist(),
        "bad_trunc": error(lambda: u.pad_sequences(seqs, maxlen=2, truncating="mid")),
        "empty": error(lambda: u.pad_sequences([])),
    }


def s_to_categorical_more(keras, tmp):
    u = keras.utils
    return {
        "matrix": u.to_categorical(np.array([[0, 1], [2, 0]])).tolist(),
        "float_labels": u.to_categorical(np.array([1.0, 0.0])).tolist(),
        "shape_2d": list(u.to_categorical(np.zeros((3, 1), "int32"), 4).shape),
        "out_of_range": error(lambda: u.to_categorical([5], num_classes=3)),
    }


def captured(fn):
    """`fn()`'s stdout, with the timings (`0s`, `3ms/step`) replaced by placeholders."""
    import contextlib
    import io
    import re

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn()
    text = re.sub(r"\d+(\.\d+)?(s|ms|us)/step", "T/step", buf.getvalue())
    return re.sub(r"- \d+(\.\d+)?(s|ms|us) -", "- T -", text).splitlines()


def s_verbose_output(keras, tmp):
    x, y = data()
    vd = data(n=4, seed=6)

    def model(metrics=None):
        m = mlp(keras)
        m.compile(sgd(keras), "mse", metrics=metrics)
        return m

    m = model(["mae"])
    out = {
        "fit2": captured(
            lambda: m.fit(
                x, y, batch_size=5, epochs=2, validation_data=vd, shuffle=False, verbose=2
            )
        ),
        "evaluate2": captured(lambda: m.evaluate(x, y, batch_size=5, verbose=2)),
        "predict2": captured(lambda: m.predict(x, batch_size=5, verbose=2)),
    }
    cbs = {
        "early": keras.callbacks.EarlyStopping(
            monitor="loss", min_delta=10.0, patience=1, verbose=1, restore_best_weights=True
        ),
        "reduce": keras.callbacks.ReduceLROnPlateau(
            monitor="loss", min_delta=10.0, patience=1, factor=0.5, verbose=1
        ),
        "sched": keras.callbacks.LearningRateScheduler(lambda e: 0.1 / (e + 1), verbose=1),
        "ckpt": keras.callbacks.ModelCheckpoint(
            tmp + "/c.weights.h5", save_weights_only=True, save_best_only=True, verbose=1
        ),
        "ckpt_all": keras.callbacks.ModelCheckpoint(tmp + "/e{epoch}.keras", verbose=1),
    }
    for name, cb in cbs.items():
        m = model()
        lines = captured(
            lambda m=m, cb=cb: m.fit(
                x,
                y,
                batch_size=6,
                epochs=3,
                validation_data=vd,
                callbacks=[cb],
                shuffle=False,
                verbose=0,
            )
        )
        out[name] = [line.replace(tmp, "TMP") for line in lines]
    return out


def s_stop_in_batch(keras, tmp):
    x, y = data()

    class StopAt(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                self.model.stop_training = True

    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    r = recorder(keras)
    h = m.fit(
        x,
        y,
        batch_size=4,
        epochs=3,
        shuffle=False,
        validation_data=data(n=4, seed=6),
        callbacks=[StopAt(), r],
        verbose=0,
    )
    return {**hist(h), "hooks": [c[0] for c in r.calls], "weights": weights(m)}


def s_backup_options(keras, tmp):
    x, y = data()

    class Interrupt(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.model.optimizer.iterations.numpy() == 5:
                raise RuntimeError("interrupted")

    import os

    d = os.path.join(tmp, "b")
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    bk = keras.callbacks.BackupAndRestore(d, save_freq=2, delete_checkpoint=False)
    err = error(
        lambda: m.fit(
            x, y, batch_size=4, epochs=3, shuffle=False, callbacks=[bk, Interrupt()], verbose=0
        )
    )
    m2 = mlp(keras)
    m2.compile(sgd(keras), "mse")
    r = recorder(keras)
    h = m2.fit(x, y, batch_size=4, epochs=3, shuffle=False, callbacks=[bk, r], verbose=0)
    return {
        "error": err,
        **hist(h),
        "weights": weights(m2),
        "iterations": int(np.asarray(m2.optimizer.iterations)),
        "files": sorted(os.listdir(d)),
        "first_hooks": [c[:2] for c in r.calls[:4]],
    }


def s_callback_argument_errors(keras, tmp):
    import os

    x, y = data()
    cb = keras.callbacks

    def fit_with(c, **kw):
        m = mlp(keras)
        m.compile(sgd(keras), "mse")
        return m.fit(x, y, batch_size=6, epochs=2, callbacks=[c], verbose=0, shuffle=False, **kw)

    def listed(name):
        return (
            sorted(os.listdir(os.path.join(tmp, name))) if os.path.isdir(tmp + "/" + name) else []
        )

    os.makedirs(tmp + "/thr")
    out = {
        "ckpt_missing_key": error(
            lambda: fit_with(cb.ModelCheckpoint(tmp + "/{nope}.weights.h5", save_weights_only=True))
        ),
        "ckpt_bad_freq": error(lambda: cb.ModelCheckpoint(tmp + "/a.keras", save_freq="often")),
        "ckpt_threshold": hist(
            fit_with(
                cb.ModelCheckpoint(
                    tmp + "/thr/{epoch}.keras",
                    monitor="loss",
                    save_best_only=True,
                    initial_value_threshold=1.0,
                )
            )
        ),
        "ckpt_threshold_files": listed("thr"),
        "ckpt_h5": error(lambda: fit_with(cb.ModelCheckpoint(tmp + "/m.h5"))),
        "es_bad_mode": fit_with(cb.EarlyStopping(monitor="loss", mode="sideways")).epoch,
        "lr_not_float": error(lambda: fit_with(cb.LearningRateScheduler(lambda e: "fast"))),
        "rlr_factor": error(lambda: cb.ReduceLROnPlateau(factor=1.0)),
        "backup_no_dir": error(lambda: cb.BackupAndRestore(None)),
        "backup_bad_freq": error(lambda: cb.BackupAndRestore(tmp + "/b", save_freq="often")),
        "backup_zero_freq": error(lambda: cb.BackupAndRestore(tmp + "/b", save_freq=0)),
        "not_a_callback": error(lambda: fit_with(object())),
    }
    return out


def s_summary_multi_input(keras, tmp):
    def text(model, **kw):
        lines = []
        r = model.summary(print_fn=lambda s, **k: lines.append(s), **kw)
        return {"returned": r, "lines": "\n".join(lines).splitlines()}

    a = keras.Input((2,), name="a")
    b = keras.Input((3,), name="b")
    c = keras.layers.Concatenate(name="cat")([a, b])
    d = keras.layers.Dense(4, name="d")(c)
    e = keras.layers.Add(name="add")([d, d])
    m = keras.Model([a, b], [e, c], name="multi")
    return {
        "plain": text(m),
        "range": text(m, layer_range=["cat", "d"]),
        "positions": text(m, positions=[0.5, 0.7, 0.85, 1.0]),
        "narrow": text(m, line_length=50),
    }


def s_default_model_names(keras, tmp):
    def functional_name():
        i = keras.Input((2,))
        return keras.Model(i, keras.layers.Dense(1)(i)).name

    names = [functional_name()]
    s = keras.Sequential([keras.layers.Dense(2)])
    names.append(s.name)
    s.build((None, 3))
    names.append(functional_name())
    s3 = keras.Sequential([keras.Input((3,))])
    s3.add(keras.layers.Dense(2))
    s3.add(keras.layers.Dense(2))
    names += [s3.name, functional_name()]
    s4 = keras.Sequential([keras.layers.Dense(2)])
    s4.compile(sgd(keras), "mse")
    s4.fit(np.zeros((2, 3)), np.zeros((2, 2)), verbose=0)
    names.append(functional_name())
    return names


def CamelMetric(y_true, y_pred):  # noqa: N802 (Keras names it in snake case)
    return (y_true - y_pred) ** 2


def s_metric_object_names(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(
        sgd(keras),
        keras.losses.MeanSquaredError(name="custom_name"),
        metrics=[keras.losses.MeanAbsoluteError(), CamelMetric, keras.losses.Huber(name="hub")],
    )
    h = m.fit(x, y, batch_size=5, epochs=2, shuffle=False, verbose=0)
    return {**hist(h), "names": m.metrics_names}
