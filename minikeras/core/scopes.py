"""Keras 3's top-level scopes: `name_scope`, `device`, `StatelessScope`, `SymbolicScope`,
`RematScope` and `remat`, with what each means on minikeras (one CPU device, eager numpy).
"""

import threading

import numpy as np

_state = threading.local()


def _stack(kind):
    if not hasattr(_state, kind):
        setattr(_state, kind, [])
    return getattr(_state, kind)


class name_scope:  # noqa: N801  (Keras's name)
    """A context manager that records a name prefix (`keras.name_scope("block")`).

    Keras 3 prefixes the paths of variables created inside it; minikeras records the nesting
    (`current_path()`), and variable names and saved files are unchanged.

    Args:
        name: the scope's name (a non-empty string).
        caller: the object opening the scope (Keras's argument; recorded).
        deduplicate: Keras's flag to skip a repeated nested name; as Keras, a scope opened
            inside one of the same name adds nothing when True.
        override_parent: a path that replaces the enclosing scopes' path.

    >>> import minikeras as keras
    >>> with keras.name_scope("block") as scope:
    ...     scope.name
    'block'
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or not name:
            raise ValueError(f"name_scope needs a non-empty string name. Received: name={name!r}")
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pushed = False

    def __enter__(self):
        stack = _stack("names")
        if not (self.deduplicate and stack and stack[-1][0] == self.name):
            parent = self.override_parent if self.override_parent is not None else _path()
            stack.append((self.name, f"{parent}/{self.name}" if parent else self.name))
            self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _stack("names").pop()
            self._pushed = False


def _path():
    stack = _stack("names")
    return stack[-1][1] if stack else ""


def current_path():
    """The `/`-joined names of the open `name_scope`s ("" outside any)."""
    return _path()


class device:  # noqa: N801  (Keras's name)
    """A context manager placing computation on a device: minikeras has one, the CPU.

    Args:
        device_name: `"cpu"`, `"cpu:0"` (any case, with or without a leading `/` or
            `device:`). A GPU or TPU name raises ValueError: minikeras runs on the CPU only.

    >>> import minikeras as keras
    >>> with keras.device("cpu:0"):
    ...     keras.ops.ones(2).shape
    (2,)
    """

    def __init__(self, device_name):
        name = str(device_name).lower().lstrip("/").replace("device:", "")
        kind, _, index = name.partition(":")
        if kind != "cpu" or index not in ("", "0"):
            raise ValueError(
                "minikeras runs on the CPU only: keras.device accepts 'cpu' or 'cpu:0'. "
                f"Received: device_name={device_name!r}"
            )
        self.name = "cpu:0"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


class StatelessScope:
    """Runs code without changing variables: assignments inside are collected, then undone.

    As Keras 3: `state_mapping` gives variables temporary values inside the scope, reads see
    them, `var.assign(...)` inside changes only the scope's view (`get_current_value`), and
    each of those variables is back to its value on exit. Unlike Keras, a variable that is not
    in `state_mapping` (nor passed to `add_update`) is not watched: an assignment to it inside
    the scope stays (minikeras's variables have no hook telling the scope about it).

    Args:
        state_mapping: a list of `(variable, value)` pairs used inside the scope.
        collect_losses: Keras's flag to gather `add_loss` values (recorded; `losses` is a list).
        initialize_variables: Keras's flag (variables are always created eagerly here).

    >>> import minikeras as keras
    >>> v = keras.Variable(1.0)
    >>> with keras.StatelessScope(state_mapping=[(v, 5.0)]) as scope:
    ...     _ = v.assign(7.0)
    ...     float(scope.get_current_value(v))
    7.0
    >>> float(v.numpy())
    1.0
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        self.state_mapping = list(state_mapping or [])
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self._saved = {}
        self._variables = {}
        self._current = {}

    def __enter__(self):
        for variable, value in self.state_mapping:
            self._remember(variable)
            variable.assign(np.asarray(value, dtype=variable.numpy().dtype))
        _stack("stateless").append(self)
        return self

    def _remember(self, variable):
        if id(variable) not in self._saved:
            self._saved[id(variable)] = np.array(variable.numpy(), copy=True)
            self._variables[id(variable)] = variable

    def add_update(self, update):
        """Records `(variable, value)` as the variable's value inside the scope."""
        variable, value = update
        self._remember(variable)
        variable.assign(value)

    def get_current_value(self, variable):
        """The variable's value as seen inside the scope (after it closes: its last value inside),
        or None for a variable the scope does not track."""
        if id(variable) not in self._saved:
            return None
        return self._current.get(id(variable), variable.value)

    def __exit__(self, *exc):
        _stack("stateless").pop()
        self._current = {k: np.array(v.numpy(), copy=True) for k, v in self._variables.items()}
        for key, variable in self._variables.items():
            variable.assign(self._saved[key])


def in_stateless_scope():
    """Whether a `StatelessScope` is open."""
    return bool(_stack("stateless"))


class SymbolicScope:
    """Marks code as running on symbolic tensors (Keras 3's shape-inference scope).

    minikeras records it (`in_symbolic_scope()`); shape inference runs on KerasTensors anyway.

    >>> import minikeras as keras
    >>> with keras.SymbolicScope():
    ...     pass
    """

    def __enter__(self):
        _stack("symbolic").append(self)
        return self

    def __exit__(self, *exc):
        _stack("symbolic").pop()


def in_symbolic_scope():
    """Whether a `SymbolicScope` is open."""
    return bool(_stack("symbolic"))


class RematScope:
    """Asks for rematerialization (recomputing activations in the backward pass to save memory).

    minikeras records the setting and computes as usual: its tape keeps every activation, so
    memory is traded for nothing here and results and gradients are the same as without it.

    Args:
        mode: `"full"`, `"activations"`, `"larger_than"`, `"list_of_layers"` or None.
        output_size_threshold: Keras's size threshold for `"larger_than"`.
        layer_names: Keras's layer list for `"list_of_layers"`.

    >>> import minikeras as keras
    >>> with keras.RematScope(mode="full") as scope:
    ...     scope.mode
    'full'
    """

    _MODES = (None, "full", "activations", "larger_than", "list_of_layers")

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in self._MODES:
            raise ValueError(f"RematScope: mode must be one of {self._MODES}. Received: {mode!r}")
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = list(layer_names or [])

    def __enter__(self):
        _stack("remat").append(self)
        return self

    def __exit__(self, *exc):
        _stack("remat").pop()


def remat(f):
    """Wraps `f` for rematerialization; on minikeras the wrapper just calls `f`.

    Args:
        f: a function (or layer call).

    Returns:
        A function computing the same values and gradients as `f` (see `RematScope`).

    >>> import minikeras as keras
    >>> keras.remat(lambda x: x + 1)(1)
    2
    """

    def wrapped(*args, **kwargs):
        return f(*args, **kwargs)

    wrapped.__wrapped__ = f
    return wrapped
