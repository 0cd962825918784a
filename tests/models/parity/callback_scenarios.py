"""Callback, model-inspection and `keras.utils` scenarios of the training-API sweep (see
`api_scenarios.py` for the conventions: `s_<name>(keras, tmp)` returns plain data)."""

import os

import numpy as np
from api_scenarios import classifier, data, error, fixed_weights, hist, mlp, plain, sgd, weights

HOOKS = [
    "on_train_begin",
    "on_train_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_begin",
    "on_test_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_begin",
    "on_predict_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
]


def recorder(keras):
    """A callback logging `(hook, args, logs)` per call (predict outputs as their shapes)."""

    class Recorder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.calls = []

    def make(hook):
        def fn(self, *args, logs=None):
            if isinstance(logs, dict) and "outputs" in logs:
                logs = {"outputs": list(np.shape(logs["outputs"]))}
            self.calls.append([hook, list(args), plain(logs)])

        return fn

    for hook in HOOKS:
        setattr(Recorder, hook, make(hook))
    return Recorder()


def s_hooks_fit(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse", metrics=["mae"])
    r = recorder(keras)
    m.fit(
        x,
        y,
        batch_size=5,
        epochs=2,
        shuffle=False,
        validation_data=data(n=3, seed=4),
        callbacks=[r],
        verbose=0,
    )
    r2 = recorder(keras)
    m.evaluate(x, y, batch_size=8, callbacks=[r2], verbose=0)
    r3 = recorder(keras)
    m.predict(x, batch_size=8, callbacks=[r3], verbose=0)
    return {"fit": r.calls, "evaluate": r2.calls, "predict": r3.calls, "params": r.params}


def s_lambda_callback(keras, tmp):
    x, y = data()
    seen = []
    cb = keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: seen.append(["epoch_begin", epoch, plain(logs)]),
        on_epoch_end=lambda epoch, logs: seen.append(["epoch_end", epoch, sorted(logs)]),
        on_train_batch_end=lambda batch, logs: seen.append(["batch_end", batch, sorted(logs)]),
        on_train_begin=lambda logs: seen.append(["train_begin", plain(logs)]),
        on_train_end=lambda logs: seen.append(["train_end", sorted(logs or {})]),
    )
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    m.fit(x, y, batch_size=6, epochs=2, shuffle=False, callbacks=[cb], verbose=0)
    return seen


def s_early_stopping(keras, tmp):
    x, y = data()
    out = {}
    cases = {
        "patience0": dict(monitor="loss", min_delta=10.0, patience=0),
        "restore": dict(monitor="loss", min_delta=10.0, patience=1, restore_best_weights=True),
        "start_from": dict(monitor="loss", min_delta=10.0, patience=0, start_from_epoch=2),
        "val_mode_max": dict(monitor="val_loss", mode="max", patience=1),
        "baseline": dict(monitor="loss", baseline=0.01, patience=1),
        "missing": dict(monitor="val_nothing", mode="min", patience=0),
    }
    for name, kw in cases.items():
        m = mlp(keras)
        m.compile(sgd(keras), "mse")
        es = keras.callbacks.EarlyStopping(**kw)
        h = m.fit(
            x,
            y,
            batch_size=4,
            epochs=5,
            shuffle=False,
            validation_data=data(n=4, seed=6),
            callbacks=[es],
            verbose=0,
        )
        out[name] = {
            **hist(h),
            "weights": weights(m),
            "stopped_epoch": es.stopped_epoch,
            "wait": es.wait,
            "best": plain(es.best),
        }
    return out


def s_reduce_lr(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    cb = keras.callbacks.ReduceLROnPlateau(
        monitor="loss", factor=0.5, patience=1, min_delta=10.0, cooldown=1, min_lr=0.02
    )
    h = m.fit(x, y, batch_size=4, epochs=6, shuffle=False, callbacks=[cb], verbose=0)
    return {**hist(h), "weights": weights(m), "lr": float(np.asarray(m.optimizer.learning_rate))}


def s_lr_scheduler(keras, tmp):
    x, y = data()
    out = {}
    for name, fn in [
        ("epoch", lambda epoch: 0.1 / (epoch + 1)),
        ("epoch_lr", lambda epoch, lr: lr * 0.5),
    ]:
        m = mlp(keras)
        m.compile(sgd(keras), "mse")
        cb = keras.callbacks.LearningRateScheduler(fn)
        h = m.fit(x, y, batch_size=4, epochs=3, shuffle=False, callbacks=[cb], verbose=0)
        out[name] = {**hist(h), "weights": weights(m)}
    return out


def s_model_checkpoint(keras, tmp):
    x, y = data()
    out = {}
    cases = {
        "fmt": dict(filepath="w-{epoch:02d}-{loss:.3f}.weights.h5", save_weights_only=True),
        "best": dict(
            filepath="best.weights.h5",
            save_weights_only=True,
            save_best_only=True,
            monitor="val_loss",
            mode="max",
        ),
        "model": dict(filepath="m{epoch}.keras"),
        "freq": dict(filepath="s{epoch}-{batch}.weights.h5", save_weights_only=True, save_freq=2),
    }
    for name, kw in cases.items():
        d = os.path.join(tmp, name)
        os.makedirs(d)
        kw = {**kw, "filepath": os.path.join(d, kw["filepath"])}
        m = mlp(keras)
        m.compile(sgd(keras), "mse")
        cb = keras.callbacks.ModelCheckpoint(**kw)
        m.fit(
            x,
            y,
            batch_size=4,
            epochs=3,
            shuffle=False,
            validation_data=data(n=4, seed=6),
            callbacks=[cb],
            verbose=0,
        )
        files = sorted(os.listdir(d))
        m2 = mlp(keras)
        m2.load_weights(os.path.join(d, files[-1]))
        out[name] = {"files": files, "best": plain(cb.best), "loaded": weights(m2)}
    out["bad_suffix"] = error(
        lambda: keras.callbacks.ModelCheckpoint(os.path.join(tmp, "x.h5"), save_weights_only=True)
    )
    out["bad_model_suffix"] = error(lambda: keras.callbacks.ModelCheckpoint(tmp + "/x.bin"))
    return out


def s_csv_logger(keras, tmp):
    x, y = data()
    out = {}
    for name, kw in [("plain", {}), ("sep", {"separator": ";"})]:
        path = os.path.join(tmp, f"{name}.csv")
        m = mlp(keras)
        m.compile(sgd(keras), "mse", metrics=["mae"])
        cb = keras.callbacks.CSVLogger(path, **kw)
        m.fit(
            x,
            y,
            batch_size=4,
            epochs=2,
            shuffle=False,
            validation_split=0.25,
            callbacks=[cb],
            verbose=0,
        )
        with open(path) as f:
            rows = [line.rstrip("\r\n").split(kw.get("separator", ",")) for line in f]
        out[name] = [rows[0]] + [[float(v) for v in r] for r in rows[1:]]
    path = os.path.join(tmp, "append.csv")
    for _ in range(2):
        m = mlp(keras)
        m.compile(sgd(keras), "mse")
        m.fit(x, y, epochs=1, verbose=0, callbacks=[keras.callbacks.CSVLogger(path, append=True)])
    with open(path) as f:
        out["append_lines"] = len(f.read().splitlines())
    return out


def s_backup_and_restore(keras, tmp):
    x, y = data()

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise RuntimeError("interrupted")

    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    backup = keras.callbacks.BackupAndRestore(os.path.join(tmp, "backup"))
    err = error(
        lambda: m.fit(
            x, y, batch_size=4, epochs=4, shuffle=False, callbacks=[backup, Interrupt()], verbose=0
        )
    )
    m2 = mlp(keras)
    m2.compile(sgd(keras), "mse")
    h = m2.fit(x, y, batch_size=4, epochs=4, shuffle=False, callbacks=[backup], verbose=0)
    return {
        "error": err,
        **hist(h),
        "weights": weights(m2),
        "dir_after": sorted(os.listdir(tmp)),
    }


def s_terminate_on_nan(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras, lr=1e20), "mse")
    h = m.fit(
        x,
        y * 1e10,
        batch_size=2,
        epochs=3,
        shuffle=False,
        callbacks=[keras.callbacks.TerminateOnNaN()],
        verbose=0,
    )
    r = {k: [bool(np.isfinite(v)) for v in vs] for k, vs in h.history.items()}
    return {"finite": r, "epoch": h.epoch, "stop": m.stop_training}


def s_history_object(keras, tmp):
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    h = m.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    h2 = m.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    return {
        "type": type(h).__name__,
        "same_as_model": m.history is h2,
        "first": hist(h),
        "second": hist(h2),
    }


def s_summary_and_json(keras, tmp):
    import json

    lines = []
    m = mlp(keras, name="seq")
    m.summary(print_fn=lambda s, **kw: lines.append(s))
    cfg = json.loads(m.to_json())
    clf = classifier(keras)
    return {
        "summary_tail": "\n".join(lines).splitlines()[-4:],
        "json_keys": sorted(cfg),
        "json_class": cfg["class_name"],
        "json_layer_names": [layer["config"]["name"] for layer in cfg["config"]["layers"]],
        "get_layer_name": m.get_layer("out").name,
        "get_layer_index": m.get_layer(index=0).name,
        "get_layer_missing": error(lambda: m.get_layer("nope")),
        "get_layer_none": error(lambda: m.get_layer()),
        "get_layer_index_out": error(lambda: m.get_layer(index=10)),
        "count_params": int(clf.count_params()),
    }


def s_utils(keras, tmp):
    u = keras.utils
    seqs = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]]
    x = np.arange(20).reshape(10, 2).astype("float32")
    y = np.arange(10)
    u.set_random_seed(3)
    a = np.random.rand(3)
    u.set_random_seed(3)
    b = np.random.rand(3)
    return {
        "to_cat": u.to_categorical([0, 2, 1]).tolist(),
        "to_cat_n": u.to_categorical(np.array([[1], [3]]), num_classes=5).tolist(),
        "to_cat_dtype": str(u.to_categorical([0, 1]).dtype),
        "normalize": plain(u.normalize(np.array([[3.0, 4.0], [1.0, 0.0]]))),
        "normalize_l1": plain(u.normalize(np.array([[3.0, 4.0], [1.0, -1.0]]), axis=0, order=1)),
        "pad": u.pad_sequences(seqs).tolist(),
        "pad_post": u.pad_sequences(seqs, maxlen=4, padding="post", truncating="post").tolist(),
        "pad_value": u.pad_sequences(seqs, maxlen=2, value=-1, dtype="float32").tolist(),
        "pad_dtype": str(u.pad_sequences(seqs).dtype),
        "pad_bad": error(lambda: u.pad_sequences(seqs, padding="middle")),
        "split_no_size": error(lambda: u.split_dataset((x, y))),
        "seeded": bool(np.allclose(a, b)),
    }


def s_fit_shuffle_seed_free(keras, tmp):
    """Shuffled fits see every sample once per epoch: the epoch-end weights differ from the
    unshuffled ones but the loss of a full-batch fit does not depend on the order."""
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse")
    h = m.fit(x, y, batch_size=12, epochs=2, shuffle=True, verbose=0)
    return {**hist(h), "weights": weights(m)}


def s_fixed_weights_roundtrip(keras, tmp):
    m = mlp(keras)
    path = os.path.join(tmp, "w.weights.h5")
    m.save_weights(path)
    m2 = fixed_weights(mlp(keras), seed=9)
    m2.load_weights(path)
    return {"weights": weights(m2)}


def s_terminate_on_nan_output(keras, tmp):
    from extra_scenarios import captured

    x, y = data()
    out = {}
    for name, verbose, vd in [("v0_val", 0, (x, y)), ("v2", 2, None)]:
        m = mlp(keras)
        m.compile(sgd(keras, lr=1e20), "mse")
        runs = []
        lines = captured(
            lambda m=m, verbose=verbose, vd=vd: runs.append(
                m.fit(
                    x,
                    y * 1e10,
                    batch_size=2,
                    epochs=3,
                    shuffle=False,
                    verbose=verbose,
                    validation_data=vd,
                    callbacks=[keras.callbacks.TerminateOnNaN()],
                )
            )
        )
        out[name] = {
            "lines": lines,
            "lengths": {k: len(v) for k, v in sorted(runs[0].history.items())},
        }
    return out


def s_steps_per_execution_jax(keras, tmp):
    """Recorded on Keras's JAX backend (its torch backend allows only steps_per_execution=1)."""
    x, y = data()
    m = mlp(keras)
    m.compile(sgd(keras), "mse", steps_per_execution=2)
    r = recorder(keras)
    h = m.fit(
        x,
        y,
        batch_size=4,
        epochs=1,
        shuffle=False,
        callbacks=[r],
        verbose=0,
        validation_data=(x[:5], y[:5]),
        validation_batch_size=2,
    )
    r2 = recorder(keras)
    m.predict(x, batch_size=5, callbacks=[r2], verbose=0)
    return {**hist(h), "weights": weights(m), "fit": r.calls, "predict": r2.calls}
