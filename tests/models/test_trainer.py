"""The overridable training hooks and the logs, as Keras 3 calls and names them.

Reference behaviour: Keras 3.15.1 (`keras/src/trainers/trainer.py` and the torch trainer), observed
with `KERAS_BACKEND=torch`; the models follow keras.io examples (knowledge distillation,
"customizing what happens in fit", the Keras 2 `compiled_loss` idiom). Expected numbers are
computed here with numpy.
"""

import inspect
import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


def _data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype("float32")
    return x, rng.integers(0, 3, n)


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _dense_logits(seed):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])
    rng = np.random.default_rng(seed)
    model.layers[0].set_weights(
        [rng.standard_normal((4, 3)).astype("float32"), np.zeros(3, "float32")]
    )
    return model


class Distiller(keras.Model):
    """The keras.io knowledge-distillation `Distiller` (Keras 3 version), unchanged."""

    def __init__(self, student, teacher):
        super().__init__()
        self.teacher = teacher
        self.student = student

    def compile(
        self, optimizer, metrics, student_loss_fn, distillation_loss_fn, alpha=0.1, temperature=3
    ):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.alpha = alpha
        self.temperature = temperature

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, allow_empty=False):
        self.seen_allow_empty = allow_empty
        teacher_pred = self.teacher(x, training=False)
        student_loss = self.student_loss_fn(y, y_pred)
        distillation_loss = self.distillation_loss_fn(
            ops.softmax(teacher_pred / self.temperature, axis=1),
            ops.softmax(y_pred / self.temperature, axis=1),
        ) * (self.temperature**2)
        return self.alpha * student_loss + (1 - self.alpha) * distillation_loss

    def call(self, x):
        return self.student(x)


def test_distiller_compute_loss_override_without_training_argument():
    """keras.io distillation: `compute_loss(..., allow_empty=False)` has no `training`; Keras 3
    calls it as `compute_loss(x, y, y_pred, sample_weight)`, so `allow_empty` keeps its default."""
    x, y = _data()
    teacher, student = _dense_logits(1), _dense_logits(2)
    distiller = Distiller(student=student, teacher=teacher)
    distiller.compile(
        optimizer=keras.optimizers.SGD(0.0),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
        student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        distillation_loss_fn=keras.losses.KLDivergence(),
        alpha=0.1,
        temperature=10,
    )
    history = distiller.fit(x, y, epochs=2, batch_size=32, verbose=0)
    assert list(history.history) == ["loss", "sparse_categorical_accuracy"]
    assert distiller.seen_allow_empty is False
    result = distiller.evaluate(x, y, verbose=0, return_dict=True)

    zs, zt = student.predict(x, verbose=0), teacher.predict(x, verbose=0)
    ce = -np.log(_softmax(zs)[np.arange(len(y)), y]).mean()
    pt, ps = _softmax(zt / 10), _softmax(zs / 10)
    kl = (pt * np.log(pt / ps)).sum(axis=1).mean() * 100
    assert result["loss"] == pytest.approx(0.1 * ce + 0.9 * kl, rel=1e-4)
    assert result["sparse_categorical_accuracy"] == pytest.approx(np.mean(zs.argmax(axis=1) == y))
    assert distiller.metrics_names == ["loss", "compile_metrics"]


def test_compute_loss_signature_matches_keras():
    params = inspect.signature(keras.Model.compute_loss).parameters
    assert [(p.name, p.default) for p in list(params.values())[1:]] == [
        ("x", None),
        ("y", None),
        ("y_pred", None),
        ("sample_weight", None),
        ("training", True),
    ]


def test_compute_loss_override_gets_training_only_when_it_takes_it():
    """Keras 3 passes `training=True` in fit and `training=False` in evaluate to an override that
    names `training`, and nothing extra to one that does not (even with `**kwargs`)."""
    seen = []

    class WithTraining(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, x):
            return self.dense(x)

        def compute_loss(self, x, y, y_pred, sample_weight, training=True):
            seen.append(training)
            return super().compute_loss(x, y, y_pred, sample_weight, training=training)

    class WithKwargs(WithTraining):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, **kwargs):
            seen.append(kwargs)
            return keras.Model.compute_loss(self, x, y, y_pred, sample_weight)

    x, _ = _data(8)
    y = x[:, :1]
    model = WithTraining()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=8, verbose=0)
    model.evaluate(x, y, verbose=0)
    assert seen == [True, False]
    seen.clear()
    model = WithKwargs()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=8, verbose=0)
    model.evaluate(x, y, verbose=0)
    assert seen == [{}, {}]


def test_private_compute_loss_override_is_what_the_steps_call():
    """`keras.distillation.Distiller` overrides `_compute_loss`, the wrapper the steps call."""

    class Halved(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1, kernel_initializer="ones")

        def call(self, x):
            return self.dense(x)

        def _compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            return 0.5 * super()._compute_loss(x, y, y_pred, sample_weight, training)

    x, _ = _data(8)
    y = np.zeros((8, 1), "float32")
    model = Halved()
    model.compile(optimizer="sgd", loss="mse")
    assert model.evaluate(x, y, verbose=0) == pytest.approx(0.5 * (x.sum(1) ** 2).mean(), rel=1e-5)


class _Regressor(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1, kernel_initializer="ones")

    def call(self, x):
        return self.dense(x)


def test_test_step_override_in_keras_io_style_returns_metric_dict():
    """keras.io "customizing fit" (Keras 3): update `self.metrics` by name, return their results."""

    class Model(_Regressor):
        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    x, _ = _data(16)
    y = np.zeros((16, 1), "float32")
    model = Model()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    got = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    pred = x.sum(axis=1)
    assert got == pytest.approx({"loss": (pred**2).mean(), "mae": np.abs(pred).mean()}, rel=1e-5)


def test_compute_metrics_and_get_metrics_result_overrides():
    """Keras's `compute_metrics(self, x, y, y_pred, sample_weight)` docstring example: add a
    custom value to the results of `super().compute_metrics`."""

    class Model(_Regressor):
        def compute_metrics(self, x, y, y_pred, sample_weight):
            results = super().compute_metrics(x, y, y_pred, sample_weight)
            results["max_pred"] = float(np.max(ops.convert_to_numpy(y_pred)))
            return results

    class WithResult(_Regressor):
        def get_metrics_result(self):
            return {**super().get_metrics_result(), "constant": 7.0}

    x, _ = _data(16)
    y = np.zeros((16, 1), "float32")
    model = Model()
    model.compile(optimizer="sgd", loss="mse")
    got = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    assert got["max_pred"] == pytest.approx(x.sum(axis=1).max(), rel=1e-6)
    model = WithResult()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=16, verbose=0)
    assert history.history["constant"] == [7.0]
    assert model.evaluate(x, y, verbose=0, return_dict=True)["constant"] == 7.0


def test_predict_step_override_and_call_signatures():
    """`predict_step(self, data)` shapes `predict`'s output; `call` may take `training` or not."""
    flags = []

    class Classifier(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(3)

        def call(self, x, training=False):
            flags.append(training)
            return self.dense(x)

        def predict_step(self, data):
            x = data  # Keras 3 hands a batch without targets over as `x` itself
            return ops.argmax(self(x, training=False), axis=-1)

    x, y = _data(8)
    model = Classifier()
    model.compile(
        optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    model.fit(x, y, batch_size=8, verbose=0)
    model.evaluate(x, y, verbose=0)
    flags.clear()
    labels = model.predict(x, verbose=0)
    logits = ops.convert_to_numpy(model.dense(ops.convert_to_tensor(x)))
    np.testing.assert_array_equal(labels, logits.argmax(axis=1))
    assert flags == [False]


def test_call_training_flag_in_fit_evaluate_predict():
    flags = []

    class Model(_Regressor):
        def call(self, x, training=None, mask=None):
            flags.append(training)
            return self.dense(x)

    x, _ = _data(8)
    model = Model()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, x[:, :1], batch_size=8, verbose=0)
    model.evaluate(x, x[:, :1], verbose=0)
    model.predict(x, verbose=0)
    assert flags == [True, False, False]


class GAN(keras.Model):
    """The keras.io GAN pattern: own optimizers in `compile`, attribute metrics, custom step."""

    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def train_step(self, real):  # fit(x) without targets: the batch is `x` itself (Keras 3)
        batch = ops.shape(real)[0]
        noise = np.random.default_rng(0).standard_normal((batch, self.latent_dim)).astype("float32")
        fake = self.generator(noise)
        both = ops.concatenate([fake, real], axis=0)
        labels = np.concatenate([np.ones((batch, 1)), np.zeros((batch, 1))]).astype("float32")
        with keras.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(both))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with keras.GradientTape() as tape:
            g_loss = self.loss_fn(
                np.zeros((batch, 1), "float32"), self.discriminator(self.generator(noise))
            )
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def test_gan_custom_train_step_with_metrics_property():
    disc = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    gen = keras.Sequential([keras.Input((2,)), layers.Dense(4)])
    gan = GAN(disc, gen, latent_dim=2)
    gan.compile(
        keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), keras.losses.BinaryCrossentropy()
    )
    x, _ = _data(32)
    history = gan.fit(x, batch_size=8, epochs=2, verbose=0)
    assert list(history.history) == ["d_loss", "g_loss"]
    # the trackers are reset at each epoch: the logged value is the mean of that epoch's 4 steps
    assert gan.d_loss_tracker.count.numpy() == 4
    assert gan.metrics_names == ["d_loss", "g_loss"]


def test_attribute_metrics_are_tracked_and_reset():
    """Keras 3 tracks metrics assigned as model attributes: they join `metrics`, `metrics_names`
    and are reset each epoch; a custom step returning only `loss` logs that step's value."""

    class Model(_Regressor):
        def __init__(self):
            super().__init__()
            self.my_loss = keras.metrics.Mean(name="my_loss")

        def train_step(self, data):
            x, y = data
            with keras.GradientTape() as tape:
                loss = ops.mean(ops.square(self(x, training=True) - y))
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply(grads, self.trainable_weights)
            self.my_loss.update_state(loss)
            return {"loss": loss}

    x, _ = _data(32)
    y = np.zeros((32, 1), "float32")
    model = Model()
    model.compile(optimizer=keras.optimizers.SGD(0.0))
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False)
    assert model.metrics_names == ["loss", "my_loss"]
    assert model.my_loss.count.numpy() == 2  # two steps since the last epoch's reset
    # the logs are the last step's (its keys differ from the metrics'): lr=0, so that batch's loss
    assert history.history["loss"][-1] == pytest.approx((x[16:].sum(1) ** 2).mean(), rel=1e-5)


def test_custom_step_returning_only_loss_logs_the_unused_tracker_as_keras_does():
    """Keras 3 rule (`_get_metrics_result_or_logs`): when a step's logs have the same keys as
    `get_metrics_result()`, the epoch logs come from the metrics; a step that returns `{"loss":
    loss}` without updating them logs 0.0 (observed: Keras 3.15.1, torch backend)."""

    class Model(_Regressor):
        def train_step(self, data):
            x, y = data
            return {"loss": ops.mean(ops.square(self(x) - y))}

    x, _ = _data(16)
    model = Model()
    model.compile(optimizer="sgd")
    assert model.fit(x, x[:, :1], batch_size=16, verbose=0).history == {"loss": [0.0]}


def test_keras2_compiled_loss_and_compiled_metrics_idiom():
    """Keras 2 / tf.keras custom `train_step`: `self.compiled_loss(y, y_pred,
    regularization_losses=self.losses)` and `self.compiled_metrics.update_state(y, y_pred)`.
    Keras 3 keeps them as deprecated shims (TensorFlow backend); here they warn and behave as in
    Keras 2: the loss is recorded in the `loss` metric."""

    class Model(_Regressor):
        def train_step(self, data):
            x, y = data
            with keras.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    x, _ = _data(16)
    y = np.zeros((16, 1), "float32")
    model = Model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", metrics=["mae"])
    with pytest.warns(UserWarning, match="compiled_loss"):
        history = model.fit(x, y, batch_size=8, verbose=0)
    pred = x.sum(axis=1)
    assert history.history["loss"] == pytest.approx([(pred**2).mean()], rel=1e-5)
    assert history.history["mae"] == pytest.approx([np.abs(pred).mean()], rel=1e-5)


def test_log_keys_sorted_and_metrics_names_as_keras():
    """Observed with Keras 3.15.1: logs reach callbacks and History with sorted keys,
    `metrics_names` lists the metric objects (`compile_metrics` is one), and `evaluate` returns
    loss, per-output losses, then the other values sorted."""
    x, y = _data()
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile(
        "adam",
        "sparse_categorical_crossentropy",
        metrics=["accuracy"],
        weighted_metrics=["accuracy"],
    )
    assert model.metrics_names == ["loss", "compile_metrics"]
    history = model.fit(x, y, validation_data=(x, y), verbose=0)
    assert list(history.history) == [
        "accuracy",
        "loss",
        "val_accuracy",
        "val_loss",
        "val_weighted_accuracy",
        "weighted_accuracy",
    ]
    assert list(model.evaluate(x, y, verbose=0, return_dict=True)) == [
        "accuracy",
        "loss",
        "weighted_accuracy",
    ]

    inp = keras.Input((4,))
    outputs = {
        "cls": layers.Dense(3, activation="softmax", name="cls")(inp),
        "reg": layers.Dense(1, name="reg")(inp),
    }
    model = keras.Model(inp, outputs)
    model.compile(
        "adam",
        loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
        metrics={"cls": ["accuracy"], "reg": ["mae"]},
    )
    targets = {"cls": y, "reg": x[:, :1]}
    model.fit(x, targets, verbose=0)
    assert model.metrics_names == ["loss", "compile_metrics", "cls_loss", "reg_loss"]
    d = model.evaluate(x, targets, verbose=0, return_dict=True)
    assert list(d) == ["cls_accuracy", "cls_loss", "loss", "reg_loss", "reg_mae"]
    values = model.evaluate(x, targets, verbose=0)
    assert values == [d[k] for k in ["loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_mae"]]


def test_train_on_batch_logs_sorted():
    x, y = _data()
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    assert list(model.train_on_batch(x, y, return_dict=True)) == ["accuracy", "loss"]
    loss, acc = model.test_on_batch(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = model.predict_on_batch(x)
    assert acc == pytest.approx(np.mean(p.argmax(1) == y))


# -- steps_per_execution -------------------------------------------------------------------
class _BatchEvents(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def on_train_batch_begin(self, batch, logs=None):
        self.events.append(("train_begin", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("train_end", batch))

    def on_test_batch_begin(self, batch, logs=None):
        self.events.append(("test_begin", batch))

    def on_test_batch_end(self, batch, logs=None):
        self.events.append(("test_end", batch))

    def on_predict_batch_begin(self, batch, logs=None):
        self.events.append(("predict_begin", batch))

    def on_predict_batch_end(self, batch, logs=None):
        self.events.append(("predict_end", batch, logs["outputs"].shape))


def test_steps_per_execution_groups_batch_callbacks():
    """Keras 3.15.1 (jax backend; torch refuses steps_per_execution > 1) observed with 10
    samples, batch_size=1, steps_per_execution=4: batch callbacks once per group of 4 steps,
    begin with the group's first index, end with first + 3 (11 for the short last group); every
    batch is still trained on (10 optimizer steps); predict passes the group's outputs."""
    rng = np.random.default_rng(0)
    x, y = rng.random((10, 3), "float32"), rng.random((10, 1), "float32")
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile("sgd", "mse", steps_per_execution=4)
    assert model.steps_per_execution == 4
    cb = _BatchEvents()
    model.fit(x, y, batch_size=1, callbacks=[cb], verbose=0, validation_data=(x, y))
    groups = [(0, 3), (4, 7), (8, 11)]
    assert cb.events == [
        (k + "_" + e, s)
        for k in ("train", "test")
        for g in groups
        for e, s in zip(("begin", "end"), g)
    ]
    assert int(model.optimizer.iterations.numpy()) == 10
    cb.events.clear()
    model.predict(x, batch_size=3, callbacks=[cb], verbose=0)
    assert cb.events == [("predict_begin", 0), ("predict_end", 3, (10, 1))]
    cb.events.clear()
    model.fit(x, y, batch_size=1, steps_per_epoch=5, callbacks=[cb], verbose=0)
    assert cb.events == [("train_begin", 0), ("train_end", 3), ("train_begin", 4), ("train_end", 7)]
    with pytest.raises(ValueError, match="steps_per_execution"):
        model.compile("sgd", "mse", steps_per_execution=0)


def test_steps_per_execution_progress_counts_steps(capsys):
    """Keras 3.15.1 (jax) observed: the bar reaches 10/10 for 10 steps in groups of 4."""
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile("sgd", "mse", steps_per_execution=4)
    model.fit(np.ones((10, 3)), np.ones((10, 1)), batch_size=1, verbose=2)
    assert "10/10" in capsys.readouterr().out


def test_array_metric_results_stay_arrays_in_logs(capsys):
    """Keras 3.15.1 observed (torch): with F1Score(average=None) the batch logs, History and
    evaluate carry the per-class result as a numpy array of shape (3,) (pythonify_logs keeps
    what float() refuses) and the progress line shows its mean."""
    rng = np.random.default_rng(0)
    x = rng.random((16, 4)).astype("float32")
    y = np.eye(3)[rng.integers(0, 3, 16)].astype("float32")
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile("adam", "categorical_crossentropy", metrics=[keras.metrics.F1Score(average=None)])
    seen = []
    cb = keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(logs))
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=2, callbacks=[cb])
    assert isinstance(seen[0]["f1_score"], np.ndarray) and seen[0]["f1_score"].shape == (3,)
    assert isinstance(seen[0]["loss"], float)
    f1 = history.history["f1_score"]
    assert len(f1) == 2 and all(isinstance(v, np.ndarray) and v.shape == (3,) for v in f1)
    line = capsys.readouterr().out.splitlines()[-1]
    assert f"f1_score: {np.mean(f1[-1]):.4f}" in line
    loss, per_class = model.evaluate(x, y, verbose=0)
    assert isinstance(loss, float) and per_class.shape == (3,)


class _Endpoint(layers.Layer):
    """The keras.io endpoint-layer pattern: metrics created in __init__, updated in call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.acc = keras.metrics.BinaryAccuracy(name="ep_acc")
        self.seen = keras.metrics.Sum(name="ep_sum")

    def call(self, logits, targets=None):
        if targets is not None:
            self.acc.update_state(targets, ops.sigmoid(logits))
            self.seen.update_state(ops.sum(targets))
            self.add_loss(ops.mean(ops.square(targets - logits)))
        return ops.sigmoid(logits)


class _Inner(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.ep = _Endpoint()

    def call(self, x, t):
        return self.ep(x, t)


def test_sublayer_metrics_are_model_metrics_and_logged():
    """Keras 3.15.1 observed (torch, same data and weights, shuffle=False): metrics held by
    sub-layers join model.metrics after the compiled ones, listed once per enclosing layer (a
    metric two layers deep twice, Keras's Layer.metrics recursion), reset each epoch, and are
    logged once; these are Keras's numbers."""
    x = keras.Input((1,), name="x")
    t = keras.Input((1,), name="t")
    dense = layers.Dense(
        1,
        kernel_initializer=keras.initializers.Constant(-1.0),
        bias_initializer=keras.initializers.Constant(0.5),
    )
    model = keras.Model([x, t], _Inner()(dense(x), t))
    assert [m.name for m in model.metrics] == ["ep_acc", "ep_sum", "ep_acc", "ep_sum"]
    X = np.linspace(0, 1, 8, dtype="float32").reshape(8, 1)
    T = (X > 0.5).astype("float32")
    model.compile("sgd", loss="mse", metrics=["mae"])
    history = model.fit([X, T], T, epochs=2, batch_size=4, verbose=0, shuffle=False)
    expected = {
        "ep_acc": [0.0, 0.0],
        "ep_sum": [4.0, 4.0],
        "loss": [1.23347, 1.19127],
        "mae": [0.57166, 0.57023],
    }
    assert sorted(history.history) == sorted(expected)
    for key, values in expected.items():
        np.testing.assert_allclose(history.history[key], values, atol=1e-5)
    assert model.metrics_names == [
        "loss",
        "compile_metrics",
        "ep_acc",
        "ep_sum",
        "ep_acc",
        "ep_sum",
    ]
    result = model.evaluate([X, T], T, verbose=0)
    np.testing.assert_allclose(result, [1.13844, 0.5675, 0.0, 4.0, 0.0, 4.0], atol=1e-5)


def test_subclassed_model_collects_sublayer_metrics():
    """Keras 3.15.1 observed: a subclassed model's layer metric is listed once and logged."""

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(1)
            self.ep = _Endpoint()

        def call(self, inputs):
            return self.ep(self.d(inputs[0]), inputs[1])

    model = Sub()
    model.compile("sgd")
    X = np.linspace(0, 1, 8, dtype="float32").reshape(8, 1)
    history = model.fit([X, (X > 0.5).astype("float32")], epochs=1, batch_size=4, verbose=0)
    assert sorted(history.history) == ["ep_acc", "ep_sum", "loss"]
    assert [m.name for m in model.metrics] == ["loss", "ep_acc", "ep_sum"]
    assert [m.name for m in _Endpoint().metrics] == ["ep_acc", "ep_sum"]


def test_recompiling_leaves_one_loss_tracker():
    """Keras 3 compiles without tracking its own trackers: after two compiles `metrics_names`
    is still ['loss', 'compile_metrics']."""
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    model.compile("sgd", "mse", metrics=["mae"])
    assert model.metrics_names == ["loss", "compile_metrics"]


def test_predict_joins_nested_outputs_over_batches():
    # a layer returning (output, kernel), its `.output` used as a model output (keras.io
    # involution): predict keeps the nesting and joins every leaf over the batches
    class Pair(keras.layers.Layer):
        def call(self, x):
            return x * 2.0, x + 1.0

    inputs = keras.Input((3,))
    pair = Pair(name="pair")
    a, b = pair(inputs)
    model = keras.Model(inputs, [pair.output, keras.layers.Identity()(a)])
    x = np.arange(15, dtype="float32").reshape(5, 3)
    (doubled, plus_one), again = model.predict(x, batch_size=2, verbose=0)
    np.testing.assert_allclose(doubled, x * 2.0)
    np.testing.assert_allclose(plus_one, x + 1.0)
    np.testing.assert_allclose(again, x * 2.0)


def test_add_loss_per_sample_and_int_losses_are_summed():
    # Keras 3 sums a non-scalar add_loss tensor and casts an int one to floatx (keras.io
    # captcha_ocr adds a (batch, 1) CTC loss); Keras 3.15.1 (torch) gives 119.5 here
    class PerSample(keras.layers.Layer):
        def call(self, x):
            self.add_loss(keras.ops.sum(keras.ops.square(x), axis=-1, keepdims=True))
            self.add_loss(keras.ops.cast(keras.ops.shape(x)[0], "int32"))
            return x

    inputs = keras.Input((2,))
    dense = keras.layers.Dense(2, kernel_initializer="ones", use_bias=False)
    model = keras.Model(inputs, PerSample()(dense(inputs)))
    model.compile(optimizer=keras.optimizers.SGD(0.0))
    x = np.array([[1.0, 2.0], [3.0, 4.0], [0.5, 0.0]], "float32")
    want = float(np.sum(2 * x.sum(-1) ** 2) + 3)
    assert want == 119.5
    history = model.fit(x, epochs=1, batch_size=3, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [want])
    np.testing.assert_allclose(model.evaluate(x, verbose=0), want)


class _NoTrainingArg(keras.Model):
    def __init__(self):
        super().__init__()
        self.norm = keras.layers.BatchNormalization()
        self.drop = keras.layers.Dropout(0.9)

    def call(self, x):
        return self.drop(self.norm(x))


class _WithTrainingArg(_NoTrainingArg):
    def call(self, x, training=None):
        return self.drop(self.norm(x), training=training)


def test_steps_pass_training_only_to_a_call_that_takes_it():
    # Keras 3's train/test/predict steps call `self(x)` when `call` has no `training`: its
    # layers then run in inference mode in fit too (keras.io gnn_citations' GNNNodeClassifier)
    x = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 1.0]], "float32")
    y = np.zeros_like(x)
    plain = _NoTrainingArg()
    plain.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    # inference BatchNormalization: moving mean 0, variance 1, epsilon 1e-3; no dropout
    want = np.mean((x / np.sqrt(1.0 + 1e-3)) ** 2)
    np.testing.assert_allclose(plain.train_on_batch(x, y), want, rtol=1e-6)
    np.testing.assert_allclose(plain.norm.moving_mean.numpy(), [0.0, 0.0])
    with_arg = _WithTrainingArg()
    with_arg.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    with_arg.train_on_batch(x, y)
    # training mode: the moving mean moved towards the batch mean (momentum 0.99)
    np.testing.assert_allclose(with_arg.norm.moving_mean.numpy(), 0.01 * x.mean(0), rtol=1e-5)


class _NestedLogs(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(2, kernel_initializer="ones")

    def call(self, x, training=False):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        y_pred = self(x, training=True)
        loss = self.compute_loss(x, y, y_pred)
        self._compile_metrics.update_state(y, y_pred)
        # the keras.io custom-step idiom: the metrics' results (a nested dict) spread in
        return {"loss": loss, "extra": loss * 2, **{m.name: m.result() for m in self.metrics}}


def test_epoch_logs_flatten_a_custom_steps_nested_dict_where_its_key_sorts():
    # Keras 3.15.1 (torch) history keys here: ['mae', 'extra', 'loss'] ('compile_metrics'
    # sorts first, then is flattened into 'mae'); the step's own values are kept
    model = _NestedLogs()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = np.ones((4, 3), "float32")
    history = model.fit(x, np.zeros((4, 2), "float32"), epochs=1, batch_size=4, verbose=0)
    assert list(history.history) == ["mae", "extra", "loss"]
    assert history.history["extra"] == [18.0] and history.history["mae"] == [3.0]
