"""What `fit` / `evaluate` / `predict` accept as data and how they batch it, as Keras 3 does.

Reference behaviour: Keras 3.15.1 observed with `KERAS_BACKEND=torch` (and jax for the batch
packing); expected numbers are computed here with numpy.
"""

import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers
from minikeras.models import data_adapter


def _data(n=20, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 4)).astype("float32"), rng.integers(0, 3, n)


def _sequential():
    return keras.Sequential([keras.Input((4,), name="inp"), layers.Dense(2)])


def _functional():
    inp = keras.Input((4,), name="inp")
    return keras.Model(inp, layers.Dense(2)(inp))


@pytest.mark.parametrize("build", [_sequential, _functional])
@pytest.mark.parametrize("wrap", [lambda a: [a], lambda a: (a,), lambda a: {"inp": a}])
def test_one_input_model_takes_one_element_list_tuple_or_dict(build, wrap):
    """Keras 3 runs a one-input model on `[x]`, `(x,)` or `{input_name: x}` as on `x` (with a
    structure warning); minikeras once returned a `(1, n, ...)` prediction for `[x]`."""
    x, _ = _data()
    y = x[:, :2] * 2
    keras.utils.set_random_seed(0)
    plain = build()
    plain.compile(keras.optimizers.SGD(0.1), "mse")
    keras.utils.set_random_seed(0)
    wrapped = build()
    wrapped.compile(keras.optimizers.SGD(0.1), "mse")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that the structure differs; so may we
        np.testing.assert_allclose(wrapped.predict(wrap(x), verbose=0), plain.predict(x, verbose=0))
        h1 = plain.fit(
            x, y, batch_size=5, epochs=2, shuffle=False, verbose=0, validation_data=(x, y)
        )
        h2 = wrapped.fit(
            wrap(x),
            y,
            batch_size=5,
            epochs=2,
            shuffle=False,
            verbose=0,
            validation_data=(wrap(x), y),
        )
        assert h2.history.keys() == h1.history.keys()
        for key, values in h1.history.items():  # approx takes no nested dicts (pytest >= 9.2)
            assert h2.history[key] == pytest.approx(values)
        expected = plain.evaluate(x, y, verbose=0)
        assert wrapped.evaluate(wrap(x), y, verbose=0) == pytest.approx(expected)
        assert wrapped.predict_on_batch(wrap(x)).shape == (20, 2)


def test_sequential_dict_input_with_unknown_key_names_the_input():
    x, _ = _data()
    with pytest.raises(ValueError, match="'inp'"):
        _sequential().predict({"other": x}, verbose=0)


def test_batch_without_targets_is_x_itself():
    """Keras 3 packs a batch with no `y` as `x` itself (a list or tuple `x` as `(x,)`), so
    `train_step(self, images)` receives the array (the keras.io GAN pattern)."""
    seen = []

    class Model(keras.Model):
        def call(self, x):
            return x

        def train_step(self, data):
            seen.append(data)
            return {}

    x, y = _data(4)
    model = Model()
    model.compile()
    model.fit(x, batch_size=4, verbose=0)
    model.fit(x, y, batch_size=4, verbose=0)
    assert isinstance(seen[0], np.ndarray) and seen[0].shape == (4, 4)
    assert isinstance(seen[1], tuple) and len(seen[1]) == 2
    assert data_adapter.pack_x_y_sample_weight([x]) == ([x],)
    assert data_adapter.unpack_x_y_sample_weight(x)[0] is x


def _counting_model():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    return model


class _Batches(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.per_epoch = getattr(self, "per_epoch", []) + [0]

    def on_train_batch_end(self, batch, logs=None):
        self.per_epoch[-1] += 1


def test_finite_generator_epochs_follow_keras():
    """Keras 3 reads a generator's first two batches ahead and replays them whenever it starts a
    new pass: without `steps_per_epoch` a 5-batch generator gives epochs of 5 then 2 batches;
    with `steps_per_epoch=2` the pass carries over epochs (2, 2, 1 with a warning, then 2)."""
    x, y = _data()
    yielded = []

    def gen():
        for i in range(5):
            yielded.append(i)
            yield x[4 * i : 4 * i + 4], y[4 * i : 4 * i + 4]

    count = _Batches()
    history = _counting_model().fit(gen(), epochs=2, verbose=0, callbacks=[count])
    assert count.per_epoch == [5, 2] and len(history.history["loss"]) == 2
    assert yielded == [0, 1, 2, 3, 4]

    count = _Batches()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = _counting_model().fit(
            gen(), steps_per_epoch=2, epochs=4, verbose=0, callbacks=[count]
        )
    assert count.per_epoch == [2, 2, 1, 2] and history.epoch == [0, 1, 2, 3]


def test_empty_generator_is_an_error():
    def gen():
        return
        yield

    with pytest.raises(ValueError, match="yielded no batch"):
        _counting_model().fit(gen(), verbose=0)


def test_validation_data_with_sample_weight_and_class_weight():
    """`validation_data=(x, y, sw)` weights `val_loss` (sum of weighted losses / samples, as the
    Keras `sum_over_batch_size` reduction), and `class_weight` works with sparse or one-hot `y`
    (Keras 3.15.1 gives 1.44508 for both in this setting)."""
    x, y = _data()
    sw = np.random.default_rng(1).uniform(0, 2, 20).astype("float32")
    kernel = np.random.default_rng(2).standard_normal((4, 3)).astype("float32")

    def model(loss):
        m = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
        m.layers[0].set_weights([kernel, np.zeros(3, "float32")])
        m.compile(keras.optimizers.SGD(0.0), loss)
        return m

    z = x @ kernel
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    ce = -np.log(p[np.arange(20), y])
    h = model("sparse_categorical_crossentropy").fit(
        x, y, batch_size=8, verbose=0, shuffle=False, validation_data=(x, y, sw)
    )
    assert h.history["val_loss"][0] == pytest.approx((ce * sw).mean(), rel=1e-5)
    assert h.history["loss"][0] == pytest.approx(ce.mean(), rel=1e-5)

    cw = {0: 1.0, 1: 3.0, 2: 0.5}
    weights = np.array([cw[int(c)] for c in y])
    sparse = model("sparse_categorical_crossentropy").fit(
        x, y, batch_size=8, verbose=0, shuffle=False, class_weight=cw
    )
    onehot = model("categorical_crossentropy").fit(
        x, np.eye(3, dtype="float32")[y], batch_size=8, verbose=0, shuffle=False, class_weight=cw
    )
    assert sparse.history["loss"][0] == pytest.approx((ce * weights).mean(), rel=1e-5)
    assert onehot.history["loss"][0] == pytest.approx((ce * weights).mean(), rel=1e-5)


class _IndexLog(keras.utils.PyDataset):
    """Six one-sample batches; records the indices asked for."""

    def __init__(self):
        super().__init__()
        self.asked = []

    def __len__(self):
        return 6

    def __getitem__(self, i):
        self.asked.append(i)
        return np.full((1, 4), i, "float32"), np.zeros((1, 2), "float32")


def test_fit_shuffles_a_pydatasets_batch_order_evaluate_does_not():
    # Keras 3's PyDatasetAdapter shuffles the batch indices per pass when fit(shuffle=True)
    model = _sequential()
    model.compile("sgd", "mse")
    keras.utils.set_random_seed(0)
    seq = _IndexLog()
    model.fit(seq, epochs=4, verbose=0)
    passes = [seq.asked[i : i + 6] for i in range(0, 24, 6)]
    assert all(sorted(p) == list(range(6)) for p in passes)
    assert any(p != list(range(6)) for p in passes)
    seq.asked.clear()
    model.fit(seq, epochs=1, shuffle=False, verbose=0)
    model.evaluate(seq, verbose=0)
    assert seq.asked == list(range(6)) * 2


def test_steps_per_epoch_carries_a_pass_over_epochs():
    # Keras 3's EpochIterator: with steps_per_epoch the next epoch continues the same pass and
    # a new pass starts once all batches were used; params["steps"] is steps_per_epoch
    model = _sequential()
    model.compile("sgd", "mse")
    seq = _IndexLog()
    with pytest.warns(UserWarning, match="ran out of data; this epoch ends after 2 of steps=4"):
        hist = model.fit(seq, epochs=4, steps_per_epoch=4, shuffle=False, verbose=0)
    assert seq.asked == [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]  # epochs 2 and 4 end a pass early
    assert hist.params["steps"] == 4
