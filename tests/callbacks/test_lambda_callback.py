"""LambdaCallback: the given functions run at their hooks, with Keras's arguments."""

import pytest

from minikeras.callbacks import LambdaCallback


def test_hooks_called_in_order(make_model, data):
    x, y = data
    events = []
    cb = LambdaCallback(
        on_train_begin=lambda logs: events.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: events.append(f"epoch_begin {epoch}"),
        on_train_batch_begin=lambda batch, logs: events.append(f"batch_begin {batch}"),
        on_train_batch_end=lambda batch, logs: events.append(f"batch_end {batch} {sorted(logs)}"),
        on_epoch_end=lambda epoch, logs: events.append(f"epoch_end {epoch} {sorted(logs)}"),
        on_train_end=lambda logs: events.append("train_end"),
    )
    make_model().fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0, callbacks=[cb])
    one_epoch = lambda e: [
        f"epoch_begin {e}",
        "batch_begin 0",
        "batch_end 0 ['loss']",
        "batch_begin 1",
        "batch_end 1 ['loss']",
        f"epoch_end {e} ['loss']",
    ]
    assert events == ["train_begin"] + one_epoch(0) + one_epoch(1) + ["train_end"]


def test_other_hooks_by_keyword(make_model, data):
    x, y = data
    events = []
    cb = LambdaCallback(
        on_test_begin=lambda logs: events.append("test_begin"),
        on_test_end=lambda logs: events.append(("test_end", sorted(logs))),
        on_predict_end=lambda logs: events.append("predict_end"),
    )
    model = make_model()
    model.evaluate(x, y, verbose=0, callbacks=[cb])
    model.predict(x, verbose=0, callbacks=[cb])
    assert events == ["test_begin", ("test_end", ["loss"]), "predict_end"]


def test_unset_hooks_do_nothing(make_model, data):
    x, y = data
    make_model().fit(x, y, epochs=1, verbose=0, callbacks=[LambdaCallback()])


def test_unknown_keyword_is_an_attribute_and_non_callable_hook_fails():
    # Keras 3 stores other keywords as attributes (a misspelt hook never runs)
    assert LambdaCallback(on_epoch_finish=print, note=3).note == 3
    with pytest.raises(TypeError, match="callable"):
        LambdaCallback(on_epoch_end=3)


def test_legacy_batch_alias_feeds_train_batch_hook(make_model, data):
    x, y = data
    batches = []
    cb = LambdaCallback(on_batch_end=lambda batch, logs: batches.append(batch))
    make_model().fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[cb])
    assert batches == [0, 1]
