"""Reverse-mode autodiff: recording switch, iterative backward pass, `unbroadcast`, `GradientTape`.

Ops record their inputs and a backward closure on the output `Tensor` (see `Tensor.from_op`)
whenever recording is on and one input needs a gradient. `gradients` walks that graph in reverse
topological order with an explicit stack, so a long unrolled recurrence cannot hit Python's
recursion limit.
"""

import contextlib
import threading

import numpy as np

_state = threading.local()


def grad_enabled():
    """True when ops record the graph for differentiation."""
    return getattr(_state, "enabled", True)


@contextlib.contextmanager
def no_grad():
    """Context manager in which ops record nothing (inference: less memory, less time).

    Returns:
        A context manager; on exit the previous recording state is restored.

    >>> import minikeras as keras
    >>> with keras.no_grad():
    ...     y = keras.ops.relu(keras.Variable([-1.0, 2.0]))
    >>> y.requires_grad
    False
    """
    previous = grad_enabled()
    _state.enabled = False
    try:
        yield
    finally:
        _state.enabled = previous


@contextlib.contextmanager
def enable_grad():
    """Context manager that turns recording back on inside `no_grad`.

    Returns:
        A context manager; on exit the previous recording state is restored.

    >>> import minikeras as keras
    >>> v = keras.Variable([2.0])
    >>> with keras.no_grad():
    ...     with keras.enable_grad():
    ...         y = v * v
    >>> y.requires_grad
    True
    """
    previous = grad_enabled()
    _state.enabled = True
    try:
        yield
    finally:
        _state.enabled = previous


def unbroadcast(grad, shape):
    """Sums `grad` over the axes numpy broadcasting added or stretched, giving an array of `shape`."""
    if grad.shape == tuple(shape):
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)


def _topological_order(root):
    """Nodes reachable from `root` through parents that need gradients, parents before children."""
    order, seen = [], {id(root)}
    stack = [(root, iter(root._parents))]
    while stack:  # depth first; a node is placed once all its parents are
        node, parents = stack[-1]
        for parent in parents:
            if parent.requires_grad and id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(parent._parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def gradients(target, sources, output_gradient=None):
    """Gradients of `target` (summed if not a scalar) with respect to each tensor in `sources`.

    Returns a list with one numpy array per source, shaped like the source, or None where the
    source does not influence `target`.
    """
    from .tensor import Tensor

    if not isinstance(target, Tensor):
        raise TypeError(
            f"gradient() needs a Tensor computed from the sources. Received: {type(target).__name__}"
        )
    wanted = {id(s) for s in sources}
    grads = {}
    if target.requires_grad:
        seed = output_gradient
        if seed is None:
            seed = np.ones(target.shape, dtype=target.dtype)
        grads[id(target)] = np.asarray(seed, dtype=target.dtype)
        for node in reversed(_topological_order(target)):
            key = id(node)
            dout = grads.get(key) if key in wanted else grads.pop(key, None)
            if dout is None or node._backward is None:
                continue
            parent_grads = node._backward(dout)
            for parent, g in zip(node._parents, parent_grads):
                if g is None or not parent.requires_grad:
                    continue
                if type(g) is not np.ndarray:
                    g = np.asarray(g)
                data = parent.data
                if g.shape != data.shape:
                    g = unbroadcast(g, data.shape)
                if g.dtype != data.dtype:
                    g = g.astype(data.dtype)
                key = id(parent)
                previous = grads.get(key)
                grads[key] = g if previous is None else previous + g
    return [grads.get(id(s)) for s in sources]


class GradientTape:
    """Records operations so that gradients can be taken afterwards (as `tf.GradientTape`).

    Trainable `Variable`s are watched automatically; `watch(tensor)` adds another tensor.

    Args:
        persistent: whether `gradient` may be called more than once.
        watch_accessed_variables: whether trainable variables are watched automatically.

    >>> import minikeras as keras
    >>> w = keras.Variable(3.0)
    >>> with keras.GradientTape() as tape:
    ...     loss = w * w
    >>> float(tape.gradient(loss, w))
    6.0
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._used = False
        self._ctx = None

    def __enter__(self):
        self._ctx = enable_grad()
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)
        return False

    def watch(self, tensor):
        """Marks `tensor` (a Tensor or Variable, or a list of them) as a source of gradients."""
        from .tensor import Tensor

        for t in tensor if isinstance(tensor, (list, tuple)) else [tensor]:
            if not isinstance(t, Tensor):
                raise TypeError(
                    "GradientTape.watch() takes Tensors or Variables; convert the array first "
                    f"with keras.ops.convert_to_tensor. Received: {type(t).__name__}"
                )
            t.requires_grad = True

    def gradient(self, target, sources, output_gradients=None):
        """Gradient of `target` with respect to `sources` (a tensor, or a list/dict of them).

        Returns the same structure as `sources`, each entry a Tensor shaped like its source or
        None when the source is not connected to `target`.
        """
        from .tensor import Tensor

        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only compute one gradient; "
                "use GradientTape(persistent=True) to call gradient() several times."
            )
        self._used = True
        if isinstance(sources, dict):
            keys = list(sources)
            flat = [sources[k] for k in keys]
        else:
            single = not isinstance(sources, (list, tuple))
            flat = [sources] if single else list(sources)
        grads = gradients(target, flat, output_gradients)
        out = [None if g is None else Tensor(g) for g in grads]
        if isinstance(sources, dict):
            return dict(zip(keys, out))
        return out[0] if single else out
