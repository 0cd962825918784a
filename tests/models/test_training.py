import numpy as np
import pytest

import minikeras as keras
from minikeras import layers


def _blobs(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype("float32")
    y = (x[:, 0] - x[:, 1] > 0).astype("int32")
    return x, y


def _mlp(out=2, activation="softmax"):
    return keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(16, activation="relu"),
            layers.Dense(out, activation=activation),
        ]
    )


def test_fit_learns_separable_task_and_history_has_val_metrics():
    keras.utils.set_random_seed(1)
    x, y = _blobs()
    model = _mlp()
    model.compile(
        optimizer=keras.optimizers.Adam(0.02),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=15, batch_size=32, validation_split=0.25, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 15
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["val_accuracy"][-1] > 0.9
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "accuracy"} and logs["accuracy"] > 0.9
    loss, acc = model.evaluate(x, y, verbose=0)
    assert loss == pytest.approx(logs["loss"]) and acc == pytest.approx(logs["accuracy"])


def test_training_is_deterministic_under_seed():
    x, y = _blobs()

    def run():
        keras.utils.set_random_seed(42)
        model = keras.Sequential(
            [
                keras.Input((4,)),
                layers.Dense(8, activation="relu"),
                layers.Dropout(0.3) if hasattr(layers, "Dropout") else layers.Dense(8),
                layers.Dense(2),
            ]
        )
        model.compile(
            optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        )
        model.fit(x, y, epochs=2, batch_size=16, verbose=0)
        return model.get_weights()

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)


def test_predict_batches_and_matches_call():
    x, _ = _blobs(70)
    model = _mlp()
    out = model.predict(x, batch_size=32, verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (70, 2)
    np.testing.assert_allclose(out, np.asarray(model(x)), rtol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x[:5]), out[:5], rtol=1e-6)


def test_multi_output_loss_dict_weights_and_log_names():
    inp = keras.Input((4,))
    h = layers.Dense(8, activation="relu")(inp)
    cls = layers.Dense(2, activation="softmax", name="cls")(h)
    reg = layers.Dense(1, name="reg")(h)
    model = keras.Model(inp, [cls, reg])
    model.compile(
        optimizer="adam",
        loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
        loss_weights={"cls": 1.0, "reg": 0.5},
        metrics={"cls": ["accuracy"]},
    )
    x, y = _blobs(64)
    yr = x[:, :1] * 2
    logs = model.train_on_batch(x, [y, yr], return_dict=True)
    assert {"loss", "cls_accuracy"} <= set(logs)
    # the total loss is the weighted sum of the per-output losses
    p_cls, p_reg = model.predict(x, verbose=0)
    ce = -np.log(np.clip(p_cls[np.arange(64), y], 1e-7, 1))
    mse = ((p_reg - yr) ** 2).mean()
    ev = model.evaluate(x, [y, yr], verbose=0, return_dict=True)
    assert ev["loss"] == pytest.approx(ce.mean() + 0.5 * mse, rel=1e-4)
    # Keras 3.5+ also logs each output's own loss
    assert ev["cls_loss"] == pytest.approx(ce.mean(), rel=1e-4)
    assert ev["reg_loss"] == pytest.approx(mse, rel=1e-4)


def test_sample_weight_and_class_weight_change_the_loss():
    x, y = _blobs(32)
    model = _mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    p = model.predict(x, verbose=0)
    per = -np.log(p[np.arange(32), y])
    sw = np.linspace(0, 2, 32).astype("float32")
    got = model.evaluate(x, y, sample_weight=sw, verbose=0)
    assert got == pytest.approx((per * sw).mean(), rel=1e-5)
    # class_weight in fit: zero weight on every class gives zero loss and no update
    before = model.get_weights()
    hist = model.fit(x, y, class_weight={0: 0.0, 1: 0.0}, epochs=1, verbose=0, shuffle=False)
    assert hist.history["loss"][0] == pytest.approx(0.0, abs=1e-7)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_generator_and_pydataset_inputs():
    x, y = _blobs(64)

    def gen():
        while True:
            for i in range(0, 64, 16):
                yield x[i : i + 16], y[i : i + 16]

    class Data(keras.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[i * 16 : (i + 1) * 16], y[i * 16 : (i + 1) * 16]

    model = _mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    h = model.fit(gen(), steps_per_epoch=4, epochs=2, verbose=0)
    assert len(h.history["loss"]) == 2
    h = model.fit(Data(), epochs=2, verbose=0, validation_data=Data())
    assert "val_loss" in h.history
    assert model.predict(Data(), verbose=0).shape == (64, 2)


def test_custom_train_step_with_gradient_tape():
    class Custom(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)
            self.calls = 0

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            x, y = data
            self.calls += 1
            with keras.GradientTape() as tape:
                pred = self(x, training=True)
                loss = keras.ops.mean(keras.ops.square(pred - y))
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply(grads, self.trainable_weights)
            return {"loss": loss}

    x = np.random.default_rng(0).standard_normal((64, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], "float32")
    model = Custom()
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    assert model.calls == 80
    # the step updates no metric, so Keras 3 logs the untouched `loss` tracker (0.0); the
    # weights show the training
    np.testing.assert_allclose(model.dense.kernel.numpy()[:, 0], [1.0, -2.0, 0.5], atol=0.05)


def test_progress_output_verbose_levels(capsys):
    x, y = _blobs(40)
    model = _mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=1, batch_size=10, verbose=0)
    assert capsys.readouterr().out == ""
    model.fit(x, y, epochs=2, batch_size=10, verbose=2)
    out = capsys.readouterr().out
    assert out.count("Epoch ") == 2 and "4/4" in out and "loss:" in out and "accuracy:" in out
    model.fit(x, y, epochs=1, batch_size=10, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/1" in out and "4/4" in out and "loss:" in out


def test_fit_errors_are_clear():
    x, y = _blobs(10)
    model = _mlp()
    with pytest.raises(ValueError, match="compile"):
        model.fit(x, y, verbose=0)
    model.compile(optimizer="adam", loss="no_such_loss")  # Keras 3 resolves it at the first batch
    with pytest.raises(ValueError, match="no_such_loss"):
        model.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="no_such_opt"):
        model.compile(optimizer="no_such_opt", loss="mse")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="cardinality|same number"):
        model.fit(x, y[:7], verbose=0)
    with pytest.raises(TypeError, match="numbers|numeric"):
        model.fit(np.array([["a"] * 4] * 10), y, verbose=0)
    with pytest.raises(ValueError, match=r"label 5.*\[0, 2\)"):
        model.fit(x, np.full(10, 5), verbose=0)
    # a Sequential leaves sizes to its layers, as Keras 3 (the Dense names the axis)
    with pytest.raises(ValueError, match=r"axis -1 .* value 4.*\(10, 3\)"):
        model.predict(x[:, :3], verbose=0)


def test_frozen_layer_weights_do_not_change():
    x, y = _blobs(32)
    model = _mlp()
    model.layers[0].trainable = False
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    frozen = [w.copy() for w in model.layers[0].get_weights()]
    head = [w.copy() for w in model.layers[1].get_weights()]
    model.fit(x, y, epochs=2, verbose=0)
    for a, b in zip(frozen, model.layers[0].get_weights()):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(head, model.layers[1].get_weights()))


def test_regularization_losses_join_the_loss():
    model = keras.Sequential(
        [
            keras.Input((2,)),
            layers.Dense(
                1,
                kernel_regularizer=keras.regularizers.L2(0.5),
                kernel_initializer="ones",
                use_bias=False,
            ),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    x = np.zeros((4, 2), "float32")
    y = np.zeros((4, 1), "float32")
    # prediction 0, target 0: the loss is the penalty 0.5 * sum(w**2) = 0.5 * 2
    assert model.evaluate(x, y, verbose=0) == pytest.approx(1.0)
