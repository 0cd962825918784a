"""How a model's weights map onto Keras's files, independent of HDF5.

* Legacy `.h5` (Keras 2 and 3): one group per entry of `model.layers`, holding that layer's
  weights in *legacy order*: `trainable_weights + non_trainable_weights` (spec 2.3).
* Keras 3 `.weights.h5`: a walk over the object tree (spec 4). Functional/Sequential models
  list `layers` first; then every attribute holding a layer (sorted, private names last) is
  visited at `<path>/<attribute>`; lists of layers get snake-cased class-name keys with
  per-list counters (`dense`, `dense_1`). Each object is visited once.
"""

import functools

from ..layers.core_layers.lora import LoRA
from ..layers.layer import Layer
from ..utils.naming import to_snake_case


def legacy_weights(layer):
    """The weights of one legacy-h5 group, in file order (trainable first)."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def weighted_layers(model):
    """Entries of `model.layers` that own at least one weight (paired by position when loading)."""
    return [layer for layer in model.layers if layer.weights]


def _is_optimizer(obj):
    from ..optimizers import Optimizer

    return isinstance(obj, Optimizer)


def _is_saveable(obj):
    return isinstance(obj, Layer) or _is_optimizer(obj)


@functools.cache
def _skip_names(model=True):
    """Attribute names every base Layer (and, for models, Model) carries; only subclass
    attributes are walked. As Keras, a plain layer's own `layers` property is walked (Pipeline)."""
    from ..layers.core_layers.input_layer import Input
    from ..models import Functional, Model, Sequential

    x = Input((1,), name="__saving_ref_input__")
    refs = [Layer(name="__saving_ref__")]
    if model:
        refs += [
            Model(name="__saving_ref__"),
            Sequential(name="__saving_ref__"),
            Functional(x, x, name="__saving_ref__"),
        ]
    names = set()
    for ref in refs:
        names.update(dir(ref))
    names.discard("optimizer")
    return frozenset(names)


def _name_key(name):
    return "~" + name if name.startswith("_") else name  # private attributes last, as Keras


def saveable_children(obj):
    """`(attribute, value)` pairs the Keras 3 walk visits below `obj`, in visiting order."""
    from ..models import Functional, Sequential

    out = []
    if isinstance(obj, (Functional, Sequential)):
        out.append(("layers", obj.layers))
    if _is_optimizer(obj):
        return out
    from ..models import Model

    skip = _skip_names(isinstance(obj, Model))
    for name in sorted(dir(obj), key=_name_key):
        if name.startswith("__") or name in skip:
            continue
        try:
            value = getattr(obj, name)
        except Exception:  # a property that cannot be computed: nothing to save there
            continue
        if _is_saveable(value):
            out.append((name, value))
        elif isinstance(value, (list, tuple, dict)):
            items = list(value.values()) if isinstance(value, dict) else list(value)
            if any(_is_saveable(v) for v in items):
                out.append((name, items))
    return out


def walk_saveables(root):
    """`(path, object)` for every layer/optimizer the Keras 3 weights file has a group for.

    The root's path is `""` (its variables live in `vars/`).
    """
    out, visited = [], set()

    def visit(obj, path):
        if id(obj) in visited:
            return
        visited.add(id(obj))
        out.append((path, obj))
        for attr, child in saveable_children(obj):
            base = f"{path}/{attr}" if path else attr
            if _is_saveable(child):
                visit(child, base)
                continue
            used = {}
            for item in child:
                if not _is_saveable(item):
                    continue
                key = to_snake_case(type(item).__name__)
                if key in used:
                    used[key] += 1
                    key = f"{key}_{used[key]}"
                else:
                    used[key] = 0
                visit(item, f"{base}/{key}")

    visit(root, "")
    return out


def own_variables(obj):
    """The variables an object stores in its own `vars` group, in creation order."""
    if _is_optimizer(obj):
        return list(obj.variables)
    if isinstance(obj, LoRA):
        return obj._saved_variables()  # with LoRA enabled: the merged weight, no factors
    return list(obj._own_variables)


def loads_by_layout(obj):
    """Whether `obj` loads its `vars` positionally against `own_variables(obj)` (so the file can
    be checked before anything is written): the base `Layer.load_own_variables` or a layer that
    declares its saved variables (LoRA layers); a subclass's own loader is opaque. A layer may
    say so itself with `_loads_by_layout()` (quantizable layers: only while not quantized)."""
    declared = getattr(obj, "_loads_by_layout", None)
    if declared is not None:
        return bool(declared())
    return type(obj).load_own_variables in (Layer.load_own_variables, LoRA.load_own_variables)


def describe(obj):
    """`layer 'name' (Class)` for messages."""
    return f"{'optimizer' if _is_optimizer(obj) else 'layer'} '{obj.name}' ({type(obj).__name__})"
