"""TerminateOnNaN: training stops at the first batch with a NaN/inf loss."""

import numpy as np
import pytest

from minikeras.callbacks import LambdaCallback, TerminateOnNaN


def poisoned(data, batch, value=np.nan, batch_size=4):
    x, y = data
    y = y.copy()
    y[batch * batch_size] = value  # one bad target makes that batch's loss non-finite
    return x, y


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy on the inf target
@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_stops_at_bad_batch(make_model, data, capsys, value):
    x, y = poisoned(data, batch=2, value=value)
    batches = []
    seen = LambdaCallback(on_train_batch_end=lambda b, logs: batches.append((b, logs["loss"])))
    h = make_model().fit(
        x, y, epochs=5, batch_size=4, shuffle=False, verbose=0, callbacks=[TerminateOnNaN(), seen]
    )
    assert [b for b, _ in batches] == [0, 1, 2]  # batch 3 never ran
    assert np.isfinite(batches[1][1]) and not np.isfinite(batches[2][1])
    assert len(h.history["loss"]) == 1
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out


def test_finite_losses_run_to_the_end(make_model, data):
    x, y = data
    h = make_model().fit(x, y, epochs=3, batch_size=4, verbose=0, callbacks=[TerminateOnNaN()])
    assert len(h.history["loss"]) == 3


def test_without_callback_training_continues(make_model, data):
    x, y = poisoned(data, batch=1)
    h = make_model().fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    assert len(h.history["loss"]) == 2


def test_raise_error(make_model, data):
    x, y = poisoned(data, batch=0)
    with pytest.raises(RuntimeError, match="batch 0"):
        make_model().fit(
            x,
            y,
            epochs=2,
            batch_size=4,
            shuffle=False,
            verbose=0,
            callbacks=[TerminateOnNaN(raise_error=True)],
        )
