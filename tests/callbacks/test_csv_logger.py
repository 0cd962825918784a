"""CSVLogger: the file holds a header `epoch,<sorted keys>` and one row per epoch, as Keras."""

import csv

import numpy as np

from minikeras.callbacks import CSVLogger


def read(path, sep=","):
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter=sep))


def fit(model, data, callbacks, epochs, **kw):
    x, y = data
    return model.fit(
        x, y, epochs=epochs, batch_size=8, shuffle=False, verbose=0, callbacks=callbacks, **kw
    )


def test_header_and_rows_match_history(make_model, data, tmp_path):
    path = tmp_path / "log.csv"
    x, y = data
    h = fit(
        make_model(metrics=["mae"]), data, [CSVLogger(str(path))], epochs=3, validation_data=(x, y)
    )
    rows = read(path)
    keys = sorted(h.history)
    assert rows[0] == ["epoch"] + keys
    assert [r[0] for r in rows[1:]] == ["0", "1", "2"]
    for i, row in enumerate(rows[1:]):
        for k, cell in zip(keys, row[1:]):
            assert float(cell) == h.history[k][i]  # written with full float precision


def test_excel_line_endings(make_model, data, tmp_path):
    path = tmp_path / "log.csv"
    fit(make_model(), data, [CSVLogger(str(path))], epochs=2)
    raw = path.read_bytes().decode()
    # csv.excel dialect, and a val_ column per key when no validation ran, as Keras writes it
    assert raw.startswith("epoch,loss,val_loss\r\n0,")
    assert raw.splitlines()[1].endswith(",NA")
    assert raw.count("\r\n") == 3


def test_separator(make_model, data, tmp_path):
    path = tmp_path / "log.tsv"
    fit(make_model(), data, [CSVLogger(str(path), separator="\t")], epochs=2)
    rows = read(path, "\t")
    assert rows[0] == ["epoch", "loss", "val_loss"] and len(rows) == 3


def test_overwrite_by_default(make_model, data, tmp_path):
    path = tmp_path / "log.csv"
    model = make_model()
    fit(model, data, [CSVLogger(str(path))], epochs=3)
    fit(model, data, [CSVLogger(str(path))], epochs=2)
    assert len(read(path)) == 3


def test_append_keeps_one_header(make_model, data, tmp_path):
    path = tmp_path / "log.csv"
    model = make_model()
    logger = CSVLogger(str(path), append=True)
    h1 = fit(model, data, [logger], epochs=2)
    h2 = fit(model, data, [logger], epochs=2)
    rows = read(path)
    assert rows[0] == ["epoch", "loss", "val_loss"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "0", "1"]
    losses = [float(r[1]) for r in rows[1:]]
    assert losses == h1.history["loss"] + h2.history["loss"]


def test_append_to_empty_file_writes_header(make_model, data, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("")
    fit(make_model(), data, [CSVLogger(str(path), append=True)], epochs=1)
    assert read(path)[0] == ["epoch", "loss", "val_loss"]


def test_missing_values_are_na_and_arrays_are_quoted(make_model, data, tmp_path, scripted):
    path = tmp_path / "log.csv"
    vec = scripted("vec", [np.array([1, 2]), np.array([3, 4])])

    class DropLoss(scripted):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                logs.pop("loss")

    fit(make_model(), data, [vec, DropLoss("x", []), CSVLogger(str(path))], epochs=2)
    rows = read(path)
    assert rows[0] == ["epoch", "loss", "vec", "val_loss", "val_vec"]
    assert rows[1][2] == '"[1, 2]"'
    assert rows[2][1] == "NA" and rows[2][2] == '"[3, 4]"'


def test_file_closed_after_training(make_model, data, tmp_path):
    logger = CSVLogger(str(tmp_path / "log.csv"))
    fit(make_model(), data, [logger], epochs=1)
    assert logger.csv_file.closed
