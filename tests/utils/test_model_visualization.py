"""`keras.utils.plot_model` / `model_to_dot`.

Expected strings are what Keras 3.15.1 (torch backend) produced for the same models: its error
messages without pydot, and its `model_to_dot(...).to_string()` with pydot 4 installed (node ids
mapped to layer names); the minikeras graph matched it line for line when this was written.
"""

import shutil
import sys
import types

import pytest

import minikeras as keras
from minikeras import ops

PYDOT_MESSAGE = "You must install pydot (`pip install pydot`) for `plot_model` to work."
TO_DOT_MESSAGE = "You must install pydot (`pip install pydot`) for model_to_dot to work."


def small_sequential():
    return keras.Sequential(
        [
            keras.Input((3,), name="x"),
            keras.layers.Dense(2, activation="relu", name="d1"),
            keras.layers.Dropout(0.1, name="drop"),
            keras.layers.Dense(1, name="d2"),
        ],
        name="seq",
    )


def two_input_model():
    a, b = keras.Input((3,), name="a"), keras.Input((4,), name="b")
    h = keras.layers.Dense(3, name="h")(keras.layers.Concatenate(name="cat")([a, b]))
    o1 = keras.layers.Dense(1, name="o1")(ops.add(h, a))
    o2 = keras.layers.Dense(2, name="o2", activation="softmax")(h)
    return keras.Model([a, b], [o1, o2], name="two")


def nested_model():
    i = keras.Input((4,), name="ii")
    inner = keras.Model(i, keras.layers.Dense(3, name="idense")(i), name="inner")
    inseq = keras.Sequential(
        [keras.layers.Dense(2, name="s1"), keras.layers.Dense(2, name="s2")], name="inseq"
    )
    x = keras.Input((4,), name="x")
    y = keras.layers.Dense(1, name="out")(inseq(inner(x)))
    return keras.Model(x, y, name="outer")


@pytest.fixture
def no_pydot(monkeypatch):
    """`import pydot` (and its forks) fails, outside a notebook."""
    for name in ("pydot", "pydot_ng", "pydotplus"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "IPython.core.magics.namespace", raising=False)


def test_without_pydot_plot_model_and_model_to_dot_raise_keras_messages(no_pydot, tmp_path):
    """Keras 3.15.1 without pydot: ImportError with these exact messages; no file written."""
    model = small_sequential()
    with pytest.raises(ImportError) as err:
        keras.utils.plot_model(model, to_file=tmp_path / "m.png")
    assert str(err.value) == PYDOT_MESSAGE
    with pytest.raises(ImportError) as err:
        keras.utils.model_to_dot(model)
    assert str(err.value) == TO_DOT_MESSAGE
    assert not (tmp_path / "m.png").exists()


def test_without_pydot_in_a_notebook_plot_model_prints_and_returns_none(
    no_pydot, monkeypatch, capsys
):
    """Keras 3 prints the message instead of raising when IPython's namespace magics are
    loaded (a notebook), so notebooks run on without graphviz."""
    monkeypatch.setitem(
        sys.modules,
        "IPython.core.magics.namespace",
        types.ModuleType("IPython.core.magics.namespace"),
    )
    assert keras.utils.plot_model(small_sequential()) is None
    assert PYDOT_MESSAGE in capsys.readouterr().out


def test_unbuilt_model_is_rejected_before_pydot_is_looked_for(no_pydot):
    """Keras 3.15.1 checks `model.built` first (ValueError even without pydot)."""
    model = keras.Sequential([keras.layers.Dense(2)])
    for fn in (keras.utils.plot_model, keras.utils.model_to_dot):
        with pytest.raises(ValueError, match="This model has not yet been built"):
            fn(model)


def test_signatures_match_keras():
    """Keras 3.15.1's parameters and defaults (plot_model hides layer names by default)."""
    import inspect

    plot = inspect.signature(keras.utils.plot_model).parameters
    assert {k: p.default for k, p in plot.items() if k not in ("model", "kwargs")} == {
        "to_file": "model.png",
        "show_shapes": False,
        "show_dtype": False,
        "show_layer_names": False,
        "rankdir": "TB",
        "expand_nested": False,
        "dpi": 200,
        "show_layer_activations": False,
        "show_trainable": False,
        "splines": "ortho",
    }
    to_dot = inspect.signature(keras.utils.model_to_dot).parameters
    assert to_dot["show_layer_names"].default is True
    assert to_dot["subgraph"].default is False


# ---- with pydot (and graphviz's `dot` for files) ----


def pydot_or_skip():
    return pytest.importorskip("pydot")


def needs_dot():
    pydot_or_skip()
    if shutil.which("dot") is None:
        pytest.skip("graphviz's `dot` program is not on PATH (apt-get install graphviz)")


def names_by_id(model):
    out = {}

    def walk(m):
        out[str(id(m))] = m.name
        for layer in list(getattr(m, "_all_layers", [])) + list(m.layers):
            out[str(id(layer))] = layer.name
            if hasattr(layer, "layers"):
                walk(layer)

    walk(model)
    return out


def edges(model, dot):
    names = names_by_id(model)

    def all_edges(graph):
        found = [(names[e.get_source()], names[e.get_destination()]) for e in graph.get_edges()]
        for sub in graph.get_subgraphs():
            found += all_edges(sub)
        return found

    return all_edges(dot)


def labels(model, dot):
    names = names_by_id(model)

    def all_nodes(graph):
        found = {
            names[n.get_name()]: n.get("label") for n in graph.get_nodes() if n.get_name() in names
        }
        for sub in graph.get_subgraphs():
            found.update(all_nodes(sub))
        return found

    return all_nodes(dot)


def test_two_input_functional_graph_nodes_edges_and_shapes():
    """Keras 3.15.1: Inputs and the `ops.add` node (class `Add`) are boxes; one edge per
    connection, in layer order; shapes as `(None, 3)` / `[(None, 3), (None, 4)]`."""
    pydot_or_skip()
    model = two_input_model()
    dot = keras.utils.model_to_dot(model, show_shapes=True, rankdir="LR", dpi=96)
    assert edges(model, dot) == [
        ("a", "cat"),
        ("b", "cat"),
        ("cat", "h"),
        ("h", "add"),
        ("a", "add"),
        ("add", "o1"),
        ("h", "o2"),
    ]
    found = labels(model, dot)
    assert list(found) == ["a", "b", "cat", "h", "add", "o1", "o2"]
    assert found["cat"] == (
        '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10"><tr><td colspan="2" '
        'bgcolor="black"><font point-size="16" color="white"><b>cat</b> (Concatenate)</font></td>'
        '</tr><tr><td bgcolor="white"><font point-size="14">Input shape: <b>[(None, 3), (None, 4)]'
        '</b></font></td><td bgcolor="white"><font point-size="14">Output shape: <b>(None, 7)</b>'
        "</font></td></tr></table>>"
    )
    assert "<b>add</b> (Add)" in found["add"]
    assert "Input shape" not in found["a"] and "Output shape: <b>(None, 3)</b>" in found["a"]
    text = dot.to_string()
    for line in (
        "rankdir=LR;",
        "concentrate=true;",
        "dpi=96;",
        "splines=ortho;",
        "node [shape=record];",
    ):
        assert line in text


def test_sequential_chain_activations_dtype_and_trainable():
    """Keras 3.15.1: a Sequential's InputLayer is not drawn; a layer without weights gets no
    trainable cell; names hidden show only the class name."""
    pydot_or_skip()
    model = small_sequential()
    model.layers[0].trainable = False
    dot = keras.utils.model_to_dot(
        model, show_shapes=True, show_dtype=True, show_layer_activations=True, show_trainable=True
    )
    assert edges(model, dot) == [("d1", "drop"), ("drop", "d2")]
    found = labels(model, dot)
    assert found["d1"] == (
        '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10"><tr><td colspan="4" '
        'bgcolor="black"><font point-size="16" color="white"><b>d1</b> (Dense)</font></td></tr>'
        '<tr><td bgcolor="white" colspan="4"><font point-size="14">Activation: <b>relu</b></font>'
        '</td></tr><tr><td bgcolor="white"><font point-size="14">Input shape: <b>(None, 3)</b>'
        '</font></td><td bgcolor="white"><font point-size="14">Output shape: <b>(None, 2)</b>'
        '</font></td><td bgcolor="white"><font point-size="14">Output dtype: <b>float32</b></font>'
        '</td><td bgcolor="firebrick"><font point-size="14" color="white"><b>Non-trainable</b>'
        "</font></td></tr></table>>"
    )
    assert "Trainable" not in found["drop"]
    assert "forestgreen" in found["d2"] and "Activation: <b>linear</b>" in found["d2"]
    plain = labels(model, keras.utils.model_to_dot(model, show_layer_names=False))
    assert ">Dense</b>" in plain["d1"] and "d1" not in plain["d1"]


def test_nested_models_collapsed_and_expanded():
    """Keras 3.15.1: collapsed, a nested model is one box (`Functional` / `Sequential`);
    expanded, a dashed cluster named after it, edges entering its Input or first layer and
    leaving the layer that made its output."""
    pydot_or_skip()
    model = nested_model()
    dot = keras.utils.model_to_dot(model)
    assert edges(model, dot) == [("x", "inner"), ("inner", "inseq"), ("inseq", "out")]
    found = labels(model, dot)
    assert "<b>inner</b> (Functional)" in found["inner"]
    assert "<b>inseq</b> (Sequential)" in found["inseq"]

    dot = keras.utils.model_to_dot(model, expand_nested=True, show_shapes=True)
    assert sorted(edges(model, dot)) == sorted(
        [
            ("ii", "idense"),
            ("s1", "s2"),
            ("x", "ii"),
            ("idense", "s1"),
            ("s2", "out"),
        ]
    )
    clusters = {c.get_name(): c for c in dot.get_subgraphs()}
    assert set(clusters) == {"cluster_inner", "cluster_inseq"}
    assert clusters["cluster_inner"].get("style") == "dashed"
    assert clusters["cluster_inner"].get("label") == "inner"
    assert set(labels(model, dot)) == {"x", "ii", "idense", "s1", "s2", "out"}
    assert "Input shape: <b>(None, 3)</b>" in labels(model, dot)["s1"]


def test_subclassed_model_is_one_node_and_bad_kwargs_raise():
    """Keras 3.15.1: a subclassed model is a single box; `layer_range` and unknown keyword
    arguments raise ValueError."""
    pydot_or_skip()

    class Net(keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.d = keras.layers.Dense(2)

        def call(self, x):
            return self.d(x)

    net = Net()
    net(keras.ops.ones((1, 3)))
    dot = keras.utils.model_to_dot(net)
    assert [n.get_name() for n in dot.get_nodes() if n.get_name() != "node"] == [str(id(net))]
    assert edges(net, dot) == []
    with pytest.raises(ValueError, match="`layer_range` is no longer supported"):
        keras.utils.model_to_dot(small_sequential(), layer_range=("a", "b"))
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        keras.utils.model_to_dot(small_sequential(), colour=True)


def test_plot_model_writes_png_svg_and_pdf(tmp_path, monkeypatch):
    """The file's format follows its extension (PNG without one), as in Keras 3."""
    needs_dot()
    monkeypatch.delitem(sys.modules, "IPython.core.magics.namespace", raising=False)
    model = two_input_model()
    keras.utils.plot_model(model, to_file=tmp_path / "m.png", show_shapes=True)
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keras.utils.plot_model(model, to_file=str(tmp_path / "noext"))
    assert (tmp_path / "noext").read_bytes()[:4] == b"\x89PNG"
    keras.utils.plot_model(model, to_file=tmp_path / "m.svg", expand_nested=True)
    assert b"<svg" in (tmp_path / "m.svg").read_bytes()
    assert keras.utils.plot_model(model, to_file=tmp_path / "m.pdf") is None
    assert (tmp_path / "m.pdf").read_bytes()[:4] == b"%PDF"


def test_plot_model_returns_an_ipython_image_when_ipython_is_installed(tmp_path):
    """Keras 3 returns `IPython.display.Image(filename=to_file)` for non-PDF files."""
    needs_dot()
    display = pytest.importorskip("IPython.display")
    image = keras.utils.plot_model(small_sequential(), to_file=tmp_path / "m.png")
    assert isinstance(image, display.Image)
    assert image.data[:4] == b"\x89PNG"
    svg = keras.utils.plot_model(small_sequential(), to_file=tmp_path / "m.svg")
    assert isinstance(svg, display.SVG) and "<svg" in svg.data
