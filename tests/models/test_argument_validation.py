"""fit/evaluate/predict check their loop arguments before touching the data.

Expected behaviour comes from Keras 3.15.1 run with the torch backend (observed for this file):
Keras raises `ValueError("batch_size should be a positive integer value, but got
batch_size=-1")` for negative, fractional and bool batch sizes and refuses to fit on 0
samples. Where Keras silently does something wrong, these tests expect a clear ValueError
instead; each such case says so. Keras accepts a single callback not in a list (it flattens
`callbacks`), and so does minikeras.
"""

import numpy as np
import pytest

import minikeras as keras

X = np.arange(30, dtype="float32").reshape(10, 3) / 30
Y = X.sum(axis=1, keepdims=True)


@pytest.fixture
def model():
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    m.compile(optimizer="sgd", loss="mse")
    return m


@pytest.mark.parametrize("call", ["fit", "evaluate", "predict"])
@pytest.mark.parametrize("bad", [-1, 0, 4.5, 4.0, True, "4"])
def test_bad_batch_size(model, call, bad):
    """Keras 3: ValueError for -1, 4.5, 4.0 and True (as here); but `batch_size=0` silently
    means 32 and `"4"` ends in a TypeError. Before this check minikeras returned 0.0 for
    evaluate(batch_size=-1), read 0 as 32, called negative sizes "empty data" and failed on
    4.5 with a slicing TypeError."""
    args = (X,) if call == "predict" else (X, Y)
    with pytest.raises(ValueError, match=r"`batch_size` should be a positive integer") as info:
        getattr(model, call)(*args, batch_size=bad, verbose=0)
    assert f"batch_size={bad!r}" in str(info.value) and f"{call}()" in str(info.value)


def test_numpy_integer_batch_size_is_accepted(model):
    """Keras 3 refuses `np.int64(4)` (it checks `isinstance(batch_size, int)`); minikeras
    accepts numpy integers: the value is a whole positive number."""
    out = model.predict(X, batch_size=np.int64(4), verbose=0)
    assert out.shape == (10, 1)


def test_float_epochs_is_a_type_error(model):
    with pytest.raises(TypeError, match="`epochs`"):  # Keras 3's type (from range())
        model.fit(X, Y, verbose=0, epochs=1.5)
    with pytest.raises(ValueError, match="validation_freq"):  # Keras: a list or an int only
        model.fit(X, Y, verbose=0, validation_data=(X, Y), validation_freq=(1,))


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"steps_per_epoch": 0}, "steps_per_epoch"),  # Keras: silently a full epoch
        ({"steps_per_epoch": -1}, "steps_per_epoch"),  # Keras: "batch_size ... -10"
        ({"steps_per_epoch": 1.5}, "steps_per_epoch"),  # Keras: TypeError
        ({"validation_steps": 0, "validation_data": (X, Y)}, "validation_steps"),  # Keras: ignored
        ({"validation_steps": -1, "validation_data": (X, Y)}, "validation_steps"),
        ({"validation_batch_size": -1, "validation_data": (X, Y)}, "validation_batch_size"),
        ({"epochs": -1}, "epochs"),  # Keras: silently trains nothing
        ({"initial_epoch": -1}, "initial_epoch"),  # Keras: silently runs an extra epoch -1
        ({"validation_split": 1.5}, "validation_split"),  # Keras: silently a broken split
        ({"validation_split": -0.1}, "validation_split"),  # Keras: silently ignored
        ({"validation_split": 1}, "validation_split"),
        (
            {"validation_freq": 0, "validation_data": (X, Y)},
            "validation_freq",
        ),  # Keras: ZeroDivisionError
        (
            {"validation_freq": -1, "validation_data": (X, Y)},
            "validation_freq",
        ),  # Keras: every epoch
        ({"validation_freq": 1.5, "validation_data": (X, Y)}, "validation_freq"),
        ({"validation_freq": [0, 2], "validation_data": (X, Y)}, "validation_freq"),
    ],
)
def test_bad_fit_arguments(model, kwargs, name):
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match=f"`{name}`") as info:
        model.fit(X, Y, verbose=0, epochs=kwargs.pop("epochs", 2), **kwargs)
    assert name in str(info.value) and "fit()" in str(info.value)
    for got, want in zip(model.get_weights(), before):  # refused before any training
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("call", ["evaluate", "predict"])
@pytest.mark.parametrize("bad", [0, -1, 1.5])
def test_bad_steps(model, call, bad):
    """Keras 3: `steps=0` silently means all batches, -1 fails with a batch_size message,
    1.5 with a TypeError; each is a ValueError naming `steps` here."""
    args = (X,) if call == "predict" else (X, Y)
    with pytest.raises(ValueError, match=r"`steps` should be a positive integer"):
        getattr(model, call)(*args, steps=bad, verbose=0)


@pytest.mark.parametrize("call", ["fit", "evaluate", "predict"])
def test_empty_data_raises(model, call):
    """Keras 3 refuses to fit on 0 samples (ValueError) but evaluate returns [] and predict
    fails with an UnboundLocalError; minikeras's evaluate returned 0.0. All three raise a
    ValueError saying the data is empty."""
    args = (X[:0],) if call == "predict" else (X[:0], Y[:0])
    with pytest.raises(ValueError, match="empty"):
        getattr(model, call)(*args, verbose=0)


def test_scalar_input_raises(model):
    """`predict(np.float32(1))`: Keras 3 raises IndexError, minikeras said `len() of unsized
    object`; now a ValueError asks for a batch dimension."""
    with pytest.raises(ValueError, match="leading batch"):
        model.predict(np.float32(1), verbose=0)
    with pytest.raises(ValueError, match="`y` needs a leading batch"):
        model.evaluate(X, np.float32(1), verbose=0)


def test_good_edge_values_still_work(model):
    """`epochs=0` trains nothing (as Keras: empty history); `validation_split=0` and a list
    `validation_freq` (1-based epochs, as Keras 3) work."""
    assert model.fit(X, Y, epochs=0, verbose=0).history == {}
    h = model.fit(X, Y, epochs=3, validation_data=(X, Y), validation_freq=[2, 3], verbose=0)
    assert len(h.history["loss"]) == 3 and len(h.history["val_loss"]) == 2
    h = model.fit(X, Y, epochs=1, validation_split=0.0, batch_size=4, verbose=0)
    assert list(h.history) == ["loss"]
    assert model.evaluate(X, Y, batch_size=3, steps=2, verbose=0) > 0


def test_single_callback_not_in_a_list(model):
    """Keras 3 flattens `callbacks`, so one callback (not in a list) works: observed for fit
    and evaluate, and `CallbackList(History())` holds it."""
    seen = []
    cb = keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))
    model.fit(X, Y, epochs=2, callbacks=cb, verbose=0)
    assert seen == [0, 1]
    tested = []
    cb = keras.callbacks.LambdaCallback(on_test_end=lambda logs: tested.append(1))
    model.evaluate(X, Y, callbacks=cb, verbose=0)
    assert tested == [1]
    seen.clear()
    model.fit(
        X,
        Y,
        epochs=1,
        callbacks=[
            cb,
            [keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))],
        ],
        verbose=0,
    )
    assert seen == [0]


def test_a_string_as_data_is_keras_unrecognized_data_type():
    # Keras 3.15.1: "Unrecognized data type: x=abc (of type <class 'str'>)"; minikeras took the
    # string for an iterable dataset and complained about `y`
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile("adam", "mse")
    for call in (
        lambda: model.fit("abc", np.zeros(3), verbose=0),
        lambda: model.predict("abc", verbose=0),
    ):
        with pytest.raises(ValueError, match=r"Unrecognized data type: x=abc \(of type"):
            call()
