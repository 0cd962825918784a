"""Reverse-mode autodiff: recording switch, iterative backward pass, `unbroadcast`, `GradientTape`.

Ops record their inputs and a backward closure on the output `Tensor` (see `Tensor.from_op`)
whenever recording is on and one input needs a gradient. `gradients` walks that graph in reverse
topological order with an explicit stack, so a long unrolled recurrence cannot hit Python's
recursion limit.

Higher-order gradients: a gradient taken while an enclosing `GradientTape` is recording (TF's
nested tapes; torch's `create_graph=True`) must itself be differentiable. Then each node runs its
`backward_ops`, the same gradient written with Tensor ops so that it is recorded, instead of the
numpy `backward`; an op without one raises `NotImplementedError` rather than return a constant.
Only that case pays for it: a gradient taken after the tape's `with` block (as `fit` does) runs
the numpy backward.
"""

import contextlib
import threading

import numpy as np

from .. import tree

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


# The ops whose backward is right for complex tensors: each returns, for a real loss L and a complex
# output z, the gradients in torch's convention (dL/dRe z + i dL/dIm z), so that conj() enters
# where it must. Backward through any other op with a complex output raises (`_complex_check`), as
# a silently wrong gradient would be worse; a real input of a complex op keeps the real part.
COMPLEX_GRAD_OPS = frozenset(
    """add subtract negative sum mean reshape expand_dims squeeze transpose concat stack getitem
    cast copy abs absolute real imag conjugate angle polar view_as_complex view_as_real
    """.split()
)


# Ops whose output is a holomorphic function of their inputs (for fixed other arguments): their
# numpy backward computes f'(z) * dout, so conj(backward(conj(dout))) = conj(f'(z)) * dout is the
# gradient in the convention above. First-order gradients only; tests/core/ops/test_complex_numbers
# checks each against finite differences.
HOLOMORPHIC_OPS = frozenset(
    """multiply divide square sqrt exp log power matmul einsum tensordot sin cos tan sinh cosh
    tanh reciprocal expm1 log1p cumsum where take prod logaddexp""".split()
)


def _conjugated_backward(node, dout):
    """A holomorphic op's gradients for a complex output (its inputs may be real)."""
    grads = node._backward(np.conjugate(dout))
    return [None if g is None else np.conjugate(g) for g in grads]


def _complex_check(node):
    """Raises for an op outside COMPLEX_GRAD_OPS with a complex output or input (`svd`'s singular
    values are real, but a float backward formula would be wrong for a complex matrix). Runs once
    per node of every backward pass: the real case costs a few dtype tests."""
    if node._op in COMPLEX_GRAD_OPS:
        return
    bad = node if node.data.dtype.kind == "c" else None
    for parent in node._parents if bad is None else ():
        if parent.data.dtype.kind == "c":
            bad = parent
            break
    if bad is not None:
        raise NotImplementedError(
            f"The gradient of '{node._op or 'an unnamed op'}' is not implemented for complex "
            f"tensors (it has a {bad.data.dtype} {'output' if bad is node else 'input'}). Ops "
            f"with complex gradients: {', '.join(sorted(COMPLEX_GRAD_OPS))}; first order only: "
            f"{', '.join(sorted(HOLOMORPHIC_OPS))}."
        )


def _real_part(g, dtype):
    """A complex gradient `g` reaching a real tensor: its real part (the derivative along the real
    axis, which is all a real input can move)."""
    return g.real if g.dtype.kind == "c" and dtype.kind != "c" else g


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


def gradients(target, sources, output_gradient=None, create_graph=False):
    """Gradients of `target` (summed if not a scalar) with respect to each tensor in `sources`.

    Args:
        target: the Tensor to differentiate.
        sources: a list of Tensors (or Variables).
        output_gradient: optional array weighting `target` (the vector of a vector-Jacobian
            product); ones by default.
        create_graph: when True the gradients are Tensors computed by recorded ops, so that
            they can be differentiated again (see `_differentiable_gradients`).

    Returns:
        A list with one entry per source, shaped like the source, or None where the source does
        not influence `target`: numpy arrays, or Tensors with `create_graph=True`.
    """
    from .tensor import Tensor

    if not isinstance(target, Tensor):
        raise TypeError(
            f"gradient() needs a Tensor computed from the sources. Received: {type(target).__name__}"
        )
    if create_graph:
        return _differentiable_gradients(target, sources, output_gradient)
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
            if node._op in HOLOMORPHIC_OPS and node.data.dtype.kind == "c":
                parent_grads = _conjugated_backward(node, dout)  # (a complex input: complex out)
            else:
                _complex_check(node)
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
                    g = _real_part(g, data.dtype).astype(data.dtype)
                key = id(parent)
                previous = grads.get(key)
                grads[key] = g if previous is None else previous + g
    return [grads.get(id(s)) for s in sources]


def records(*tensors):
    """Whether an op on `tensors` records its backward, as `Tensor.from_op` decides: recording
    is on and one of them requires a gradient (arrays and None never do)."""
    return grad_enabled() and any(getattr(t, "requires_grad", False) for t in tensors)


def wanted(tensor):
    """Whether a differentiable backward pass needs the gradient of `tensor` (it leads to a
    source). Ops whose `backward_ops` is costly per input (convolutions) skip the others."""
    reach = getattr(_state, "reach", None)
    return tensor.requires_grad and (reach is None or id(tensor) in reach)


def _unbroadcast_ops(grad, shape):
    """`unbroadcast` with recorded ops: sums the broadcast axes of the Tensor `grad`."""
    from .tensor import ops  # the ops Tensor's operators use (not the package: no cycle)

    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1
    )
    if axes:
        grad = ops.sum(grad, axis=axes)
    return ops.reshape(grad, shape) if grad.shape != tuple(shape) else grad


def _differentiable_gradients(target, sources, output_gradient):
    """`gradients` whose results are recorded Tensors: each node's `backward_ops` computes its
    parents' gradients with ops. Only nodes from which a source can be reached run, so the rest of
    the graph (a GAN's generator behind the discriminator's input) needs no such backward."""
    from .tensor import ops  # the ops Tensor's operators use (not the package: no cycle)
    from .tensor import Tensor

    wanted_ids = {id(s) for s in sources}
    grads = {}
    if not target.requires_grad:
        return [None for _ in sources]
    order = _topological_order(target)
    reach = set(wanted_ids)  # the sources and the nodes with a path to one
    expand = set()  # nodes with a parent in `reach`: the only backwards that run
    for node in order:  # parents first
        for parent in node._parents:
            if id(parent) in reach:
                reach.add(id(node))
                expand.add(id(node))
                break
    seed = output_gradient
    if seed is None:
        seed = np.ones(target.shape, dtype=target.dtype)
    grads[id(target)] = seed if isinstance(seed, Tensor) else Tensor(np.asarray(seed, target.dtype))
    previous_reach = getattr(_state, "reach", None)
    _state.reach = reach
    try:
        for node in reversed(order):
            key = id(node)
            dout = grads.get(key) if key in wanted_ids else grads.pop(key, None)
            if key not in expand:
                continue
            if dout is None or node._backward is None:
                continue
            _complex_check(node)
            if node._backward_ops is None:
                op = node._op or "an unnamed op"
                raise NotImplementedError(
                    f"Second-order gradients are not supported for the op '{op}': the gradient "
                    "was taken while an enclosing GradientTape records (so that it can be "
                    f"differentiated again), and '{op}' has no differentiable backward. Take the "
                    "gradient after the outer tape's `with` block if it need not be "
                    "differentiated."
                )
            parent_grads = node._backward_ops(dout, node)
            for parent, g in zip(node._parents, parent_grads):
                if g is None or id(parent) not in reach:
                    continue
                if not isinstance(g, Tensor):
                    g = Tensor(np.asarray(g))
                if g.shape != parent.shape:
                    g = _unbroadcast_ops(g, parent.shape)
                if g.dtype != parent.dtype:
                    g = ops.cast(g, parent.dtype)
                key = id(parent)
                previous = grads.get(key)
                grads[key] = g if previous is None else ops.add(previous, g)
    finally:
        _state.reach = previous_reach
    return [grads.get(id(s)) for s in sources]


def _active_tapes():
    tapes = getattr(_state, "tapes", None)
    if tapes is None:
        tapes = _state.tapes = []
    return tapes


class GradientTape:
    """Records operations so that gradients can be taken afterwards (as `tf.GradientTape`).

    Trainable `Variable`s are watched automatically; `watch(tensor)` adds another tensor.

    Tapes nest: a `gradient` taken while another tape's `with` block is open (or inside this
    tape's own block when it is persistent) is recorded like any other computation, so that the
    enclosing tape can differentiate it (second-order gradients, e.g. WGAN-GP's gradient
    penalty), as TensorFlow's tapes do.

    Args:
        persistent: whether `gradient` may be called more than once.
        watch_accessed_variables: whether trainable variables are watched automatically.

    >>> import minikeras as keras
    >>> w = keras.Variable(3.0)
    >>> with keras.GradientTape() as tape:
    ...     loss = w * w
    >>> float(tape.gradient(loss, w))
    6.0
    >>> with keras.GradientTape() as outer:
    ...     with keras.GradientTape() as inner:
    ...         y = w * w * w
    ...     dy = inner.gradient(y, w)  # 3 w**2, recorded on `outer`
    >>> float(outer.gradient(dy, w))  # 6 w
    18.0
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._used = False
        self._ctx = None

    def __enter__(self):
        self._ctx = enable_grad()
        self._ctx.__enter__()
        _active_tapes().append(self)
        return self

    def __exit__(self, *exc):
        tapes = _active_tapes()
        for i in range(len(tapes) - 1, -1, -1):
            if tapes[i] is self:
                del tapes[i]
                break
        self._ctx.__exit__(*exc)
        return False

    def _records_gradient(self):
        """Whether a gradient taken now must be differentiable: an enclosing tape is recording,
        or this persistent tape's own block is still open (its `gradient` may be called again on
        the result)."""
        if not grad_enabled():
            return False
        for tape in _active_tapes():
            if tape is not self or self.persistent:
                return True
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

    def _gradient_of(self, target, flat, output_gradient):
        from .tensor import Tensor

        if self._records_gradient():
            return gradients(target, flat, output_gradient, create_graph=True)
        grads = gradients(target, flat, output_gradient)
        return [None if g is None else Tensor(g) for g in grads]

    def gradient(self, target, sources, output_gradients=None):
        """Gradient of `target` (a tensor, or a nested structure of them: the sum of their
        gradients, as TensorFlow's tape) with respect to `sources` (a tensor, or a nested structure
        of them: lists, tuples, dicts, e.g. a list of each sub-model's `trainable_variables`).

        Returns the structure of `sources`, each entry a Tensor shaped like its source or None
        when the source is not connected to `target`.
        """

        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only compute one gradient; "
                "use GradientTape(persistent=True) to call gradient() several times."
            )
        self._used = True
        # a flat list or tuple of tensors (every training step) skips the structure walk
        plain = type(sources) in (list, tuple) and not any(
            isinstance(s, (list, tuple, dict)) for s in sources
        )
        flat = list(sources) if plain else tree.flatten(sources)
        if tree.is_nested(target):
            # as TensorFlow's tape: a structure of targets gets the sum of their gradients
            targets = tree.flatten(target)
            seeds = [None] * len(targets)
            if output_gradients is not None:
                seeds = tree.flatten(output_gradients)
            out = [None] * len(flat)
            for t, seed in zip(targets, seeds):
                for i, g in enumerate(self._gradient_of(t, flat, seed)):
                    out[i] = g if out[i] is None else (out[i] if g is None else out[i] + g)
        else:
            seed = output_gradients
            if isinstance(seed, (list, tuple)) and len(seed) == 1:
                seed = seed[0]  # tf's `output_gradients=[g]` for its one target
            out = self._gradient_of(target, flat, seed)
        if plain:
            return out if type(sources) is list else tuple(out)
        return tree.pack_sequence_as(sources, out)
