"""`keras.utils.plot_model` and `model_to_dot`: a model's graph of layers drawn with pydot.

pydot (`pip install "minikeras[plot]"`) builds the graph; graphviz's `dot` program (from the
system's package manager, e.g. `apt-get install graphviz`) renders it. Both are imported or run
only when a plot is asked for, so `import minikeras` does not need them.
"""

import os
import sys

from .summary_utils import _type_name

_NOT_BUILT = (
    "This model has not yet been built. Build the model first by calling `build()` or by calling "
    "the model on a batch of data."
)


def _pydot():
    """The pydot module, or None. pydot_ng and pydotplus, older forks, are accepted as Keras 3
    accepts them."""
    for name in ("pydot", "pydot_ng", "pydotplus"):
        try:
            return __import__(name)
        except ImportError:
            continue
    return None


def _graphviz_works(pydot):
    """Whether graphviz's `dot` can render an empty graph (the test Keras 3 makes)."""
    errors = (OSError,) + ((pydot.PydotException,) if hasattr(pydot, "PydotException") else ())
    try:
        pydot.Dot().create()
    except errors:
        return False
    return True


def _in_notebook():
    # Keras 3 prints instead of raising when IPython's namespace magics are loaded (a notebook)
    return "IPython.core.magics.namespace" in sys.modules


def _is_functional(model):
    return hasattr(model, "_nodes_by_depth") and hasattr(model, "_all_layers")


def _is_sequential(model):
    return hasattr(model, "_seq_layers")


def _own_nodes(model):
    """ids of the nodes that make up `model`'s graph (a layer called elsewhere has others)."""
    if _is_functional(model):
        return {id(node) for nodes in model._nodes_by_depth.values() for node in nodes}
    ids = set()
    try:
        tensor = model.outputs[0]
    except (AttributeError, IndexError):
        return ids
    layers = {id(layer) for layer in model.layers}
    while True:
        layer, node_index, _ = tensor._keras_history
        if id(layer) not in layers:
            return ids
        node = layer._inbound_nodes[node_index]
        ids.add(id(node))
        if len(node.input_tensors) != 1:
            return ids
        tensor = node.input_tensors[0]


def _shape_text(value):
    """`(None, 3)` for one tensor, `[(None, 3), (None, 4)]` for several, `?` when unknown."""
    if value is None:
        return "?"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shapes(v)}" for k, v in value.items())
    return str(_shapes(value))


def _shapes(value):
    if isinstance(value, (list, tuple)):
        return [_shapes(v) for v in value]
    if isinstance(value, dict):
        return {k: _shapes(v) for k, v in value.items()}
    return tuple(value.shape)


def _dtypes(value):
    if isinstance(value, (list, tuple)):
        return [_dtypes(v) for v in value]
    if isinstance(value, dict):
        return {k: _dtypes(v) for k, v in value.items()}
    return str(value.dtype)


def _activation_name(activation):
    name = getattr(activation, "name", None) or getattr(activation, "__name__", None)
    return name if isinstance(name, str) else str(activation)


def _cell(text, color="white", font_color=None):
    font = '<font point-size="14"' + (f' color="{font_color}"' if font_color else "") + ">"
    return f'<td bgcolor="{color}">{font}{text}</font></td>'


def _label(
    layer, show_layer_names, show_layer_activations, show_dtype, show_shapes, show_trainable
):
    """The node's HTML-like table: a black title row, an activation row, then one row of cells
    for shapes, dtype and trainable (Keras 3's layout, so plots look alike)."""
    class_name = _type_name(layer)
    width = max(1, int(show_dtype) + int(show_trainable) + 2 * int(show_shapes))
    title = f"<b>{layer.name}</b> ({class_name})" if show_layer_names else f"<b>{class_name}</b>"
    rows = [
        f'<tr><td colspan="{width}" bgcolor="black"><font point-size="16" color="white">'
        f"{title}</font></td></tr>"
    ]
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        rows.append(
            f'<tr><td bgcolor="white" colspan="{width}"><font point-size="14">'
            f"Activation: <b>{_activation_name(activation)}</b></font></td></tr>"
        )
    cells = []
    if show_shapes:
        shape_in = shape_out = None
        try:
            shape_in, shape_out = layer.input, layer.output
        except (ValueError, AttributeError):
            pass
        if class_name != "InputLayer":
            cells.append(_cell(f"Input shape: <b>{_shape_text(shape_in)}</b>"))
        cells.append(_cell(f"Output shape: <b>{_shape_text(shape_out)}</b>"))
    if show_dtype:
        dtype = None
        try:
            dtype = _dtypes(layer.output)
        except (ValueError, AttributeError):
            pass
        cells.append(_cell(f"Output dtype: <b>{dtype or '?'}</b>"))
    if show_trainable and hasattr(layer, "trainable") and layer.weights:
        if layer.trainable:
            cells.append(_cell("<b>Trainable</b>", "forestgreen", "white"))
        else:
            cells.append(_cell("<b>Non-trainable</b>", "firebrick", "white"))
    if cells:
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">'
        + "".join(rows)
        + "</table>>"
    )


def _add_node(pydot, dot, layer, options):
    node = pydot.Node(str(id(layer)), label=_label(layer, **options))
    node.set("fontname", "Helvetica")
    node.set("border", "0")
    node.set("margin", "0")
    dot.add_node(node)


def _add_edge(pydot, dot, src, dst):
    src_id, dst_id = str(id(src)), str(id(dst))
    if not dot.get_edge(src_id, dst_id):
        edge = pydot.Edge(src_id, dst_id)
        edge.set("penwidth", "2")
        dot.add_edge(edge)


def _check_kwargs(kwargs):
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")


def model_to_dot(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    subgraph=False,
    show_layer_activations=False,
    show_trainable=False,
    splines="ortho",
    **kwargs,
):
    """The model's graph as a `pydot.Dot` (or, with `subgraph=True`, a `pydot.Cluster`).

    One node per layer, its id the layer's `id()`: a Sequential model's layers in a chain; a
    functional model's layers, `Input`s and `keras.ops` nodes with an edge per connection; any
    other model a single node.

    Args:
        model: a built model.
        show_shapes: add each layer's input and output shapes.
        show_dtype: add each layer's output dtype.
        show_layer_names: title nodes "name (ClassName)" rather than "ClassName".
        rankdir: graphviz's direction, `"TB"` (top to bottom) or `"LR"` (left to right).
        expand_nested: draw nested Functional and Sequential models as dashed clusters of their
            own layers instead of one node.
        dpi: the image's resolution.
        subgraph: return a `pydot.Cluster` (used for nested models).
        show_layer_activations: add the activation of layers that have one.
        show_trainable: mark layers with weights "Trainable" or "Non-trainable".
        splines: how graphviz draws edges: `"ortho"`, `"curved"`, `"polyline"`, `"spline"`,
            `"line"`.

    Returns:
        A `pydot.Dot`, or a `pydot.Cluster` when `subgraph=True`.

    Raises:
        ValueError: the model is not built, or an unknown keyword argument was given.
        ImportError: pydot is not installed.

    >>> import minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="dense")])
    >>> dot = keras.utils.model_to_dot(model)  # doctest: +SKIP
    >>> "<b>dense</b> (Dense)" in dot.to_string()  # doctest: +SKIP
    True
    """
    if not model.built:
        raise ValueError(_NOT_BUILT)
    pydot = _pydot()
    if pydot is None:
        raise ImportError("You must install pydot (`pip install pydot`) for model_to_dot to work.")
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="record")
    _check_kwargs(kwargs)
    options = dict(
        show_layer_names=show_layer_names,
        show_layer_activations=show_layer_activations,
        show_dtype=show_dtype,
        show_shapes=show_shapes,
        show_trainable=show_trainable,
    )

    sequential = _is_sequential(model)
    if sequential:
        layers = model.layers
    elif _is_functional(model):
        layers = list(model._all_layers)  # InputLayers and op nodes too, as Keras's operations
    else:
        _add_node(pydot, dot, model, options)  # a subclassed model: one box
        return dot

    def is_model(layer):
        return _is_functional(layer) or _is_sequential(layer)

    for layer in layers:
        if expand_nested and is_model(layer):
            dot.add_subgraph(
                model_to_dot(
                    layer,
                    show_shapes,
                    show_dtype,
                    show_layer_names,
                    rankdir,
                    expand_nested,
                    subgraph=True,
                    show_layer_activations=show_layer_activations,
                    show_trainable=show_trainable,
                )
            )
        else:
            _add_node(pydot, dot, layer, options)

    if sequential:
        if not expand_nested:
            for src, dst in zip(layers, layers[1:]):
                _add_edge(pydot, dot, src, dst)
            return dot
        # the first layer's incoming edge is drawn by the enclosing graph, into this model
        layers = layers[1:]

    own = _own_nodes(model)
    for layer in layers:
        for node in layer._inbound_nodes:
            if id(node) not in own:
                continue
            for input_index, tensor in enumerate(node.input_tensors):
                source, _, output_index = tensor._keras_history
                destination = layer
                if expand_nested:
                    # an edge out of a nested model leaves the layer that made that output...
                    while is_model(source):
                        source, _, output_index = source.outputs[output_index]._keras_history
                    # ...and one into it enters its Input (functional) or first layer (sequential)
                    while is_model(destination):
                        if _is_functional(destination):
                            destination = destination.inputs[input_index]._keras_history[0]
                        else:
                            destination = destination.layers[0]
                _add_edge(pydot, dot, source, destination)
    return dot


def plot_model(
    model,
    to_file="model.png",
    show_shapes=False,
    show_dtype=False,
    show_layer_names=False,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    show_layer_activations=False,
    show_trainable=False,
    splines="ortho",
    **kwargs,
):
    """Draws the model's graph (see `model_to_dot`) into an image file.

    The format follows `to_file`'s extension (`.png`, `.svg`, `.pdf`, ...; PNG when there is
    none). Needs pydot (`pip install "minikeras[plot]"`) and graphviz's `dot` program (from the
    system's package manager, e.g. `apt-get install graphviz`). As in Keras 3, when either is
    missing this raises ImportError, except in a notebook, where it prints the message and
    returns None.

    Args:
        model: a built model.
        to_file: the image file to write.
        show_shapes, show_dtype, show_layer_names, rankdir, expand_nested, dpi,
        show_layer_activations, show_trainable, splines: as in `model_to_dot` (here
            `show_layer_names` defaults to False, as in Keras 3).

    Returns:
        An `IPython.display.Image` of the file when IPython is installed and the file is not a
        PDF (so a notebook shows it inline), else None. For an SVG file it is an
        `IPython.display.SVG`, and formats IPython cannot embed (`.ps`, `.dot`, ...) give None,
        where Keras 3.15.1 raises IPython's ValueError after writing the file.

    >>> import minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> keras.utils.plot_model(model, "model.png", show_shapes=True)  # doctest: +SKIP
    """
    if not model.built:
        raise ValueError(_NOT_BUILT)
    pydot = _pydot()
    if pydot is None:
        missing = "You must install pydot (`pip install pydot`) for `plot_model` to work."
    elif not _graphviz_works(pydot):
        missing = (
            "You must install graphviz (see instructions at https://graphviz.gitlab.io/download/) "
            "for `plot_model` to work."
        )
    else:
        missing = None
    if missing:
        if _in_notebook():
            print(missing)
            return None
        raise ImportError(missing)
    _check_kwargs(kwargs)
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
        splines=splines,
    )
    to_file = str(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=extension)
    if extension == "pdf":
        return None
    try:
        from IPython import display
    except ImportError:
        return None
    if extension == "svg":
        return display.SVG(filename=to_file)
    if extension.lower() in ("png", "jpg", "jpeg", "gif"):
        # the format is passed so that a file named without an extension (written as PNG)
        # embeds too
        return display.Image(filename=to_file, format=extension.lower())
    return None
