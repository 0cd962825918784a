"""Model.summary / utils.print_summary: Keras 3's table (box drawing, columns, totals).

Widths are checked against hand computation of Keras's layout rule: content widths from
`positions` x line_length, one space of padding each side, and the excess over line_length
(padding + borders) taken evenly from the columns, first to last, rounding each share."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.utils import print_summary


def summary_text(model, **kw):
    out = []
    model.summary(print_fn=out.append, **kw)
    assert len(out) == 1  # Keras 3 hands the whole text to print_fn at once
    return out[0]


def table_lines(text):
    return [l for l in text.splitlines() if l[:1] in "┏┃┡│├└"]


def mlp(frozen_last=False):
    keras.utils.clear_session()
    model = keras.Sequential([keras.Input((32,)), keras.layers.Dense(64), keras.layers.Dense(10)])
    if frozen_last:
        model.layers[-1].trainable = False
    return model


def test_sequential_exact_layout():
    text = summary_text(mlp(), line_length=76)
    # 76: content widths int(.45*76)=34, int(.8*76)-34=26, 76-60=16; cells 36/28/18 (+padding);
    # excess 36+28+18+4 borders-76 = 10, taken as 3, 4, 3 -> cells 33, 24, 15
    expected = (
        "\n".join(
            [
                'Model: "sequential"',
                "┏" + "━" * 33 + "┳" + "━" * 24 + "┳" + "━" * 15 + "┓",
                "┃ "
                + "Layer (type)".ljust(31)
                + " ┃ "
                + "Output Shape".ljust(22)
                + " ┃ "
                + "Param #".rjust(13)
                + " ┃",
                "┡" + "━" * 33 + "╇" + "━" * 24 + "╇" + "━" * 15 + "┩",
                "│ "
                + "dense (Dense)".ljust(31)
                + " │ "
                + "(None, 64)".ljust(22)
                + " │ "
                + "2,112".rjust(13)
                + " │",
                "├" + "─" * 33 + "┼" + "─" * 24 + "┼" + "─" * 15 + "┤",
                "│ "
                + "dense_1 (Dense)".ljust(31)
                + " │ "
                + "(None, 10)".ljust(22)
                + " │ "
                + "650".rjust(13)
                + " │",
                "└" + "─" * 33 + "┴" + "─" * 24 + "┴" + "─" * 15 + "┘",
                # 2,762 float32 = 11,048 bytes = 10.789 KB
                " Total params: 2,762 (10.79 KB)",
                " Trainable params: 2,762 (10.79 KB)",
                " Non-trainable params: 0 (0.00 B)",
            ]
        )
        + "\n"
    )
    assert text == expected


@pytest.mark.parametrize("line_length", [50, 76, 88, 120])
def test_every_table_line_is_line_length_wide(line_length):
    lines = table_lines(summary_text(mlp(), line_length=line_length))
    assert lines and all(len(l) == line_length for l in lines)


def test_default_width_follows_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert all(len(l) == 88 for l in table_lines(summary_text(mlp())))
    monkeypatch.setenv("COLUMNS", "70")
    assert all(len(l) == 66 for l in table_lines(summary_text(mlp())))


def test_non_trainable_counts():
    text = summary_text(mlp(frozen_last=True), line_length=88)
    assert " Total params: 2,762 (10.79 KB)" in text
    assert " Trainable params: 2,112 (8.25 KB)" in text  # 8,448 bytes
    assert " Non-trainable params: 650 (2.54 KB)" in text  # 2,600 bytes


def test_show_trainable_column():
    text = summary_text(mlp(frozen_last=True), line_length=130, show_trainable=True)
    lines = table_lines(text)
    assert "Trainable" in lines[1]
    rows = {l.split("│")[1].strip(): l.split("│")[-2].strip() for l in lines if "(Dense)" in l}
    assert rows == {"dense (Dense)": "Y", "dense_1 (Dense)": "N"}


def test_optimizer_params_after_training():
    model = mlp()
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    assert "Optimizer params" not in summary_text(model, line_length=88)  # not built yet
    model.fit(np.zeros((4, 32), "float32"), np.zeros((4, 10), "float32"), verbose=0)
    text = summary_text(model, line_length=88)
    # Adam: iteration (int32) + learning_rate (float32) + 2 slots per weight = 2 + 5,524
    assert " Optimizer params: 5,526 (21.59 KB)" in text  # 8 + 22,096 bytes
    assert " Total params: 8,288 (32.38 KB)" in text  # 33,152 bytes


def test_sequential_has_no_input_layer_row():
    text = summary_text(mlp(), line_length=88)
    assert "InputLayer" not in text and "Connected to" not in text


def test_functional_chain_lists_input_layer_without_connections():
    keras.utils.clear_session()
    x = keras.Input((4,), name="features")
    model = keras.Model(
        x, keras.layers.Dense(2, name="out")(keras.layers.Dense(3)(x)), name="chain"
    )
    text = summary_text(model, line_length=88)
    assert text.startswith('Model: "chain"\n')
    names = [l.split("│")[1].strip() for l in table_lines(text) if l.startswith("│")]
    assert names == ["features (InputLayer)", "dense (Dense)", "out (Dense)"]
    assert "(None, 4)" in text and "(None, 3)" in text and "(None, 2)" in text
    assert "Connected to" not in text
    assert " Total params: 23 (92.00 B)" in text  # 4*3+3 + 3*2+2


def branching_model():
    keras.utils.clear_session()
    x = keras.Input((4,), name="x")
    a = keras.layers.Dense(3, name="a")(x)
    b = keras.layers.Dense(3, name="b")(x)
    out = keras.layers.Dense(1, name="head")(a + b)
    return keras.Model(x, out, name="branchy")


def test_functional_graph_has_connected_to_column():
    text = summary_text(branching_model(), line_length=140)
    lines = table_lines(text)
    assert [c.strip() for c in lines[1].split("┃")[1:-1]] == [
        "Layer (type)",
        "Output Shape",
        "Param #",
        "Connected to",
    ]
    rows = {
        l.split("│")[1].strip(): [c.strip() for c in l.split("│")[2:-1]]
        for l in lines
        if l.startswith("│")
    }
    assert rows["x (InputLayer)"] == ["(None, 4)", "0", "-"]
    assert rows["a (Dense)"] == ["(None, 3)", "15", "x[0][0]"]
    assert rows["add (Add)"] == ["(None, 3)", "0", "a[0][0], b[0][0]"]
    assert rows["head (Dense)"] == ["(None, 1)", "4", "add[0][0]"]
    assert all(len(l) == 140 for l in lines)


def test_default_width_with_connected_to(monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    assert all(len(l) == 108 for l in table_lines(summary_text(branching_model())))


def test_narrow_cells_wrap_and_truncate():
    keras.utils.clear_session()
    x = keras.Input((4,), name="x")
    y = keras.layers.Dense(2, name="a_really_long_layer_name_for_wrapping_checks")(x)
    lines = table_lines(summary_text(keras.Model(x, y), line_length=60))
    assert all(len(l) == 60 for l in lines)
    assert any(l.rstrip(" │").endswith("…") or "…" in l for l in lines)  # the long word is cut
    assert any("(Dense)" in l for l in lines)  # wrapped to the next line of the cell


def test_unbuilt_sequential():
    keras.utils.clear_session()
    model = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(2)], name="lazy")
    text = summary_text(model, line_length=88)
    rows = [[c.strip() for c in l.split("│")[1:-1]] for l in table_lines(text) if l[0] == "│"]
    assert rows == [["dense (Dense)", "?", "0 (unbuilt)"], ["dense_1 (Dense)", "?", "0 (unbuilt)"]]
    assert " Total params: 0 (0.00 B)" in text


def test_expand_nested():
    keras.utils.clear_session()
    inner = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(4), keras.layers.Dense(2)], name="inner"
    )
    x = keras.Input((8,), name="x")
    model = keras.Model(x, inner(x), name="outer")
    flat = summary_text(model, line_length=88)
    assert "inner (Sequential)" in flat and "dense (Dense)" not in flat
    text = summary_text(model, line_length=88, expand_nested=True)
    names = [l.split("│")[1].rstrip() for l in table_lines(text) if l[0] == "│"]
    assert names == [
        " x (InputLayer)",
        " inner (Sequential)",
        "    └ dense (Dense)",
        "    └ dense_1 (Dense)",
    ]
    assert " Total params: 46 (184.00 B)" in text  # 8*4+4 + 4*2+2, counted once


def test_multiple_outputs_shape():
    class Twice(keras.layers.Layer):
        def call(self, x):
            return [x, x * 2]

    keras.utils.clear_session()
    x = keras.Input((5,), name="x")
    a, b = Twice(name="twice")(x)
    model = keras.Model(x, [a, b])
    assert "[(None, 5), (None, 5)]" in summary_text(model, line_length=120)


def test_subclassed_model_built_by_a_call():
    class Net(keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.hidden = keras.layers.Dense(4)
            self.out = keras.layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    keras.utils.clear_session()
    model = Net()
    model(np.zeros((2, 3), "float32"))
    text = summary_text(model, line_length=88)
    rows = [[c.strip() for c in l.split("│")[1:-1]] for l in table_lines(text) if l[0] == "│"]
    assert rows == [["dense (Dense)", "(2, 4)", "16"], ["dense_1 (Dense)", "(2, 1)", "5"]]


def test_layer_range():
    got = []
    print_summary(branching_model(), line_length=140, print_fn=got.append, layer_range=["b", "add"])
    names = [l.split("│")[1].strip() for l in table_lines(got[0]) if l[0] == "│"]
    assert names == ["b (Dense)", "add (Add)"]
    with pytest.raises(ValueError, match="layer names"):
        print_summary(branching_model(), print_fn=got.append, layer_range=["nope", "add"])


def test_summary_prints_to_stdout(capsys):
    model = mlp()
    assert model.summary(line_length=76) is None
    out = capsys.readouterr().out
    assert out.startswith('Model: "sequential"\n┏') and out.endswith("(0.00 B)\n")


def test_print_summary_function_matches_method():
    model = mlp()
    got = []
    print_summary(model, line_length=80, print_fn=got.append)
    assert got == [summary_text(model, line_length=80)]


def test_too_narrow_raises():
    with pytest.raises(ValueError, match="width"):
        summary_text(mlp(), line_length=8)
