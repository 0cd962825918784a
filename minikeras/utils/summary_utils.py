"""`print_summary`: the table `Model.summary()` prints, laid out as Keras 3 prints it.

Keras 3 renders the table with `rich` (heavy header box, a rule between rows); this module
draws the same characters itself: column widths come from `positions` of `line_length`, then
shrink evenly so that borders and padding fit in `line_length`, as rich does.
"""

import re
import shutil

import numpy as np

# box-drawing rows: (left, fill, junction, right)
_TOP = "┏━┳┓"
_HEAD = "┃ ┃┃"
_HEAD_RULE = "┡━╇┩"
_ROW = "│ ││"
_ROW_RULE = "├─┼┤"
_BOTTOM = "└─┴┘"


def count_params(weights):
    return int(sum(int(np.prod(w.shape)) for w in weights))


def weight_memory_size(weights):
    """Bytes taken by the (distinct) weights, from their dtypes."""
    unique = {id(w): w for w in weights}.values()
    return sum(int(np.prod(w.shape)) * np.dtype(w.dtype).itemsize for w in unique)


def readable_memory_size(size):
    """`8448` -> `"8.25 KB"` (powers of 1024, two decimals)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _format_shape(shape):
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _format_shapes(outputs):
    shapes = [_format_shape(t.shape) for t in outputs]
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def format_layer_shape(layer):
    """The output shape(s) of the layer's last call in a graph, or "?" if unknown."""
    nodes = getattr(layer, "_inbound_nodes", None) or []
    if nodes:
        return _format_shapes(nodes[-1].outputs)
    if getattr(layer, "_build_shapes", None) is None:
        return "?"
    try:
        shape = layer.compute_output_shape(layer._build_shapes)
    except Exception:  # noqa: BLE001 - any layer that cannot trace shows "?", as in Keras
        return "?"
    if isinstance(shape, tuple) and all(
        d is None or isinstance(d, (int, np.integer)) for d in shape
    ):
        return _format_shape(shape)
    if isinstance(shape, (list, tuple)):
        return "[" + ", ".join(_format_shape(s) for s in shape) + "]"
    return "?"


def _type_name(layer):
    if getattr(layer, "_is_operation", False) and hasattr(layer, "op_name"):
        return "".join(
            part.capitalize() for part in layer.op_name.split("_")
        )  # not_equal -> NotEqual
    return type(layer).__name__


def _wrap(text, width):
    """Greedy word wrap; a word longer than the width is cut with an ellipsis."""
    lines, line = [], ""
    for word in re.findall(r"\s*\S+\s*", text) or [""]:
        if line and len(line) + len(word.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += word
    lines.append(line.rstrip())
    return [l if len(l) <= width else l[: max(width - 1, 0)] + "…" for l in lines]


def _justify(text, width, how):
    if how == "right":
        return text.rjust(width)
    if how == "center":
        left = (width - len(text)) // 2
        return " " * left + text + " " * (width - len(text) - left)
    return text.ljust(width)


def _column_widths(line_length, positions):
    """Content widths: positions split `line_length`; then, as rich does when a table with
    fixed-width columns is too wide, the excess (padding + borders) is taken evenly."""
    widths, current = [], 0
    for pos in positions:
        width = int(pos * line_length) - current
        if width < 4:
            raise ValueError(
                f"Insufficient console width to print summary. Received: line_length={line_length}"
            )
        widths.append(width)
        current += width
    cells = [w + 2 for w in widths]  # one space of padding each side
    excess = sum(cells) + len(cells) + 1 - line_length
    remaining, shares = excess, len(cells)
    for i in range(len(cells)):
        if remaining <= 0:
            break
        cut = min(cells[i], round(remaining / shares))
        cells[i] -= cut
        remaining -= cut
        shares -= 1
    return [max(c - 2, 1) for c in cells]


def _render_table(header, alignment, rows, widths):
    def rule(chars):
        return chars[0] + chars[2].join(chars[1] * (w + 2) for w in widths) + chars[3]

    def block(cells, chars, aligns, bottom=False):
        wrapped = [_wrap(c, w) for c, w in zip(cells, widths)]
        height = max(len(w) for w in wrapped)
        if bottom:  # rich aligns header cells to the bottom, rows to the top
            wrapped = [[""] * (height - len(w)) + w for w in wrapped]
        out = []
        for i in range(height):
            parts = [
                " " + _justify(w[i] if i < len(w) else "", width, how) + " "
                for w, width, how in zip(wrapped, widths, aligns)
            ]
            out.append(chars[0] + chars[2].join(parts) + chars[3])
        return out

    lines = [rule(_TOP)] + block(header, _HEAD, alignment, bottom=True) + [rule(_HEAD_RULE)]
    for i, row in enumerate(rows):
        if i:
            lines.append(rule(_ROW_RULE))
        lines.extend(block(row, _ROW, alignment))
    lines.append(rule(_BOTTOM))
    return lines


def _is_sequential_like(model):
    """True unless the graph branches, merges or shares a layer (then "Connected to" is shown)."""
    nodes_by_depth = getattr(model, "_nodes_by_depth", None)
    if nodes_by_depth is None:
        return True
    nodes = []
    for depth_nodes in nodes_by_depth.values():
        if len(depth_nodes) > 1 or (depth_nodes and len(depth_nodes[0].input_tensors) > 1):
            return False
        nodes.extend(depth_nodes)
    ids = {id(n) for n in nodes}
    for layer in getattr(model, "_all_layers", model.layers):
        if sum(id(n) in ids for n in layer._inbound_nodes) > 1:
            return False
    return True


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested=False,
    show_trainable=False,
    layer_range=None,
):
    """Prints (or passes to `print_fn`) a table of the model's layers and parameter counts.

    Args:
        model: a `Model`.
        line_length: total width of the table (default 88, or 108 with "Connected to", capped
            at the terminal width minus 4).
        positions: right edges of the columns as fractions of `line_length`.
        print_fn: called once with the whole summary text (default: print to stdout).
        expand_nested: also list the layers of nested models, indented.
        show_trainable: add a "Trainable" column (Y / N / - for weightless layers).
        layer_range: `(first_name, last_name)` (regexes) to print only part of the layers.

    >>> import minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> lines = []
    >>> keras.utils.print_summary(model, print_fn=lines.append)
    >>> print([line for line in lines[0].splitlines() if "Total params" in line][0])
     Total params: 8 (32.00 B)
    """
    if hasattr(model, "_all_layers"):  # Functional: every node's layer, InputLayers and ops too
        layers = list(model._all_layers)
    else:
        layers = list(model.layers)
    sequential_like = _is_sequential_like(model)
    if sequential_like:
        default_length = 88
        positions = list(positions or [0.45, 0.80, 1.0])
        header = ["Layer (type)", "Output Shape", "Param #"]
        alignment = ["left", "left", "right"]
        relevant = set()
    else:
        default_length = 108
        positions = list(positions or [0.3, 0.56, 0.74, 1.0])
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
        relevant = {id(n) for v in model._nodes_by_depth.values() for n in v}
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    line_length = line_length or min(default_length, shutil.get_terminal_size().columns - 4)
    if positions[-1] > 1:  # absolute character positions (Keras 2 style) -> fractions
        positions = [p / line_length for p in positions]
    widths = _column_widths(line_length, positions)

    def connections(layer):
        parts = []
        for node in layer._inbound_nodes:
            if id(node) not in relevant:
                continue
            for t in node.input_tensors:
                src, node_index, tensor_index = t._keras_history
                parts.append(f"{src.name}[{node_index}][{tensor_index}]")
        return ", ".join(parts) or "-"

    def fields(layer, prefix):
        name = f"{prefix}{layer.name} ({_type_name(layer)})"
        if not layer.built:
            params = "0 (unbuilt)"
        else:
            params = f"{count_params(layer.weights):,}"
        row = [name, format_layer_shape(layer), params]
        if not sequential_like:
            row.append(connections(layer))
        if show_trainable:
            row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        return row

    def layer_rows(layer, level=0):
        rows = [fields(layer, "   " * level + "└ " if level else "")]
        if expand_nested and getattr(layer, "layers", None):
            for inner in layer.layers:
                rows.extend(layer_rows(inner, level + 1))
        return rows

    start, stop = _layer_range_bounds(layers, layer_range)
    rows = [row for layer in layers[start:stop] for row in layer_rows(layer)]

    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    optimizer = getattr(model, "optimizer", None)
    opt_vars = (
        list(optimizer.variables)
        if (getattr(model, "compiled", False) and optimizer is not None and optimizer.built)
        else None
    )
    total = count_params(trainable) + count_params(non_trainable) + count_params(opt_vars or [])
    total_mem = sum(weight_memory_size(w) for w in (trainable, non_trainable, opt_vars or []))

    lines = [f'Model: "{model.name}"']
    lines += _render_table(header, alignment, rows, widths)
    lines.append(f" Total params: {total:,} ({readable_memory_size(total_mem)})")
    lines.append(
        f" Trainable params: {count_params(trainable):,} "
        f"({readable_memory_size(weight_memory_size(trainable))})"
    )
    lines.append(
        f" Non-trainable params: {count_params(non_trainable):,} "
        f"({readable_memory_size(weight_memory_size(non_trainable))})"
    )
    if opt_vars is not None:
        lines.append(
            f" Optimizer params: {count_params(opt_vars):,} "
            f"({readable_memory_size(weight_memory_size(opt_vars))})"
        )
    text = "\n".join(lines) + "\n"
    if print_fn is None:
        print(text, end="", flush=True)
    else:
        print_fn(text)  # one call with the whole text, as Keras 3 does


def _layer_range_bounds(layers, layer_range):
    """`[first, last + 1)` indices of the layers matching `layer_range` (two name regexes)."""
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2 or not all(isinstance(n, str) for n in layer_range):
        raise ValueError(
            f"layer_range must be a list or tuple of 2 strings. Received: {layer_range!r}"
        )
    lower = [i for i, l in enumerate(layers) if re.match(layer_range[0], l.name)]
    upper = [i for i, l in enumerate(layers) if re.match(layer_range[1], l.name)]
    if not lower or not upper:
        raise ValueError(
            f"Passed layer_names do not match the layer names in the model. Received: "
            f"{layer_range}. Layers are: {[l.name for l in layers]}"
        )
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1
