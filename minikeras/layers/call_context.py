"""What a layer call passes down to the calls nested in it: the `training` flag and the name
scope that gives a variable its path (`sequential/dense/kernel`)."""

import threading

_ctx = threading.local()


def in_training():
    """The `training` value the enclosing call passed down (False outside any call)."""
    return bool(getattr(_ctx, "training", False))


def enclosing_training():
    """The `training` value the enclosing call passed down, None when no call decided it."""
    return getattr(_ctx, "training", None)


class training_scope:
    """Context manager under which `in_training()` is `value` (a class, not a generator
    function: `Layer.__call__` enters one on every call)."""

    __slots__ = ("value", "previous")

    def __init__(self, value):
        # None: no call decided it, so inner layers fall back to their own `call` default
        self.value = None if value is None else bool(value)

    def __enter__(self):
        self.previous = getattr(_ctx, "training", None)
        _ctx.training = self.value
        return self

    def __exit__(self, *exc):
        _ctx.training = self.previous
        return False


class call_training:
    """Keras 3's call context for `training`, entered by every `Layer.__call__`: each call writes
    the value it resolved (its own argument, else the context's, else its `call` default) into the
    context, and that value stays for the calls after it, siblings and outer layers alike, until
    the outermost call returns. So a layer whose `call` defaults to `training=True` (the random
    augmentation layers), called where nothing decided it, puts the dropouts after it in
    training mode, and an explicit `training=False` switches off the ones after it (Keras 3.15.1)."""

    __slots__ = ("value", "outer", "previous")

    def __init__(self, value):
        self.value = None if value is None else bool(value)

    def __enter__(self):
        depth = getattr(_ctx, "depth", 0)
        self.outer = depth == 0
        self.previous = getattr(_ctx, "training", None)
        _ctx.depth = depth + 1
        _ctx.training = self.value
        return self

    def __exit__(self, *exc):
        _ctx.depth -= 1
        if self.outer:  # the outermost call ends its context
            _ctx.training = self.previous
        return False


# Keras 3's name scopes: (name, layer, parent path) entries. A variable's path is the scope path
# where it is made, so a cell built inside LSTM.build has `lstm/lstm_cell/kernel` and a Dense
# built inside a Sequential `sequential/dense/kernel`. A layer keeps the path it first saw.
_SCOPE = []


def current_path():
    """The `/`-joined path of the innermost open name scope."""
    parts = []
    for name, _, parent in _SCOPE:
        if parent is not None:
            parts = [p for p in parent.split("/") if p]
        parts.append(name)
    return "/".join(parts)


def enter_scope(layer):
    """Opens `layer`'s name scope (pushes unless it is already the innermost); returns whether
    it pushed, so the caller pops with `exit_scope` only then. The first opening records the
    layer's parent path for later ones."""
    parent = layer.__dict__.get("_parent_path")
    if parent is None:
        parent = layer.__dict__["_parent_path"] = current_path()
    if _SCOPE and _SCOPE[-1][1] is layer:
        return False
    _SCOPE.append((layer.name, layer, parent))
    return True


def exit_scope(pushed):
    """Closes the scope `enter_scope` opened (no-op when it did not push)."""
    if pushed:
        _SCOPE.pop()


def describe(layer):
    """`layer 'dense' (Dense)`: how error messages name a layer."""
    return f"layer '{layer.name}' ({type(layer).__name__})"
