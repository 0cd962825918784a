"""`compile(loss=...)` with a `None` loss for some outputs, and the targets `fit` then accepts.

Reference behaviour: Keras 3.15.1 (`keras/src/trainers/compile_utils.py`, `CompileLoss.call`),
observed with `KERAS_BACKEND=torch` on a 2-output functional model `Model(inp, [o, h])`:

* `compile(loss=[fn, None])` trains on `o` only. `fit`/`evaluate`/`train_on_batch` accept `y` as a
  single array, `[y]`, `[y, None]`, `(y, None)` or `[y, anything]` (the keras.io miniature GPT
  passes one array); the logs hold `loss` only (no `o_loss`: per-output losses are logged when
  two or more outputs have a loss).
* `compile(loss={"o": fn, "h": None})` accepts `[y, None]` and `[y, anything]`. (Keras raises a
  KeyError for a single array there; minikeras spreads it as for the list form.)
* Metrics of an output without a target are not computed; given a target they are (`h_mae`).

Expected numbers are computed here with numpy from `model.predict`.
"""

import numpy as np
import pytest

import minikeras as keras


def _model():
    inp = keras.Input((4,))
    h = keras.layers.Dense(8, name="h")(inp)
    o = keras.layers.Dense(3, name="o")(h)
    return keras.Model(inp, [o, h])


def _data(n=16):
    rng = np.random.default_rng(0)
    return rng.standard_normal((n, 4)).astype("float32"), rng.integers(0, 3, n)


def _sparse_ce_from_logits(y, logits):
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean())


@pytest.mark.parametrize("form", ["single", "[y]", "[y, None]", "(y, None)", "[y, zeros]"])
@pytest.mark.parametrize("loss_kind", ["list", "dict"])
def test_none_loss_output_needs_no_target(form, loss_kind):
    x, y = _data()
    model = _model()
    fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    loss = [fn, None] if loss_kind == "list" else {"o": fn, "h": None}
    model.compile("sgd", loss=loss)
    targets = {
        "single": y,
        "[y]": [y],
        "[y, None]": [y, None],
        "(y, None)": (y, None),
        "[y, zeros]": [y, np.zeros((16, 8), "float32")],
    }[form]
    logits, _ = model.predict(x, verbose=0)
    logs = model.evaluate(x, targets, verbose=0, return_dict=True)
    assert set(logs) == {"loss"}  # no o_loss / h_loss: one output has a loss
    np.testing.assert_allclose(logs["loss"], _sparse_ce_from_logits(y, logits), rtol=1e-5)
    history = model.fit(x, targets, epochs=1, batch_size=16, verbose=0).history
    assert set(history) == {"loss"}
    assert set(model.train_on_batch(x, targets, return_dict=True)) == {"loss"}


def test_miniature_gpt_fit_with_one_target_array():
    """keras.io text_generation_with_miniature_gpt: `loss=[loss_fn, None]`, `fit(x, y)`."""
    x, y = _data()
    model = _model()
    model.compile("adam", loss=[keras.losses.SparseCategoricalCrossentropy(from_logits=True), None])
    before = model.get_layer("o").get_weights()[0].copy()
    model.fit(x, y, epochs=2, verbose=0)
    assert not np.allclose(before, model.get_layer("o").get_weights()[0])


def test_metrics_of_an_output_without_loss():
    x, y = _data()
    fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model = _model()
    model.compile("sgd", loss=[fn, None], metrics=[["accuracy"], ["mae"]])
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "o_accuracy"}  # no target for h: no h_mae

    model = _model()
    model.compile("sgd", loss=[fn, None], metrics=[["accuracy"], ["mae"]])
    h_target = np.ones((16, 8), "float32")
    logits, h = model.predict(x, verbose=0)
    logs = model.evaluate(x, [y, h_target], verbose=0, return_dict=True)
    assert set(logs) == {"loss", "o_accuracy", "h_mae"}
    np.testing.assert_allclose(logs["h_mae"], np.abs(h - h_target).mean(), rtol=1e-5)
    np.testing.assert_allclose(logs["o_accuracy"], (logits.argmax(1) == y).mean(), rtol=1e-6)


def test_two_losses_still_log_per_output_losses():
    x, y = _data()
    model = _model()
    model.compile("sgd", loss=["mse", "mse"])
    logs = model.evaluate(x, [np.zeros((16, 3)), np.zeros((16, 8))], verbose=0, return_dict=True)
    assert set(logs) == {"loss", "o_loss", "h_loss"}


def test_wrong_number_of_targets_names_the_outputs():
    x, y = _data()
    model = _model()
    model.compile("sgd", loss=["mse", "mse"])
    with pytest.raises(ValueError, match=r"2 outputs \['o', 'h'\] but 1 target arrays"):
        model.evaluate(x, y, verbose=0)
    with pytest.raises(ValueError, match="Output 'h' has a loss"):
        model.evaluate(x, [np.zeros((16, 3)), None], verbose=0)
