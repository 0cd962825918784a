"""Control flow (`cond`, `switch`, `while_loop`, `fori_loop`, `scan`, `associative_scan`, `map`,
`vectorized_map`) and `custom_gradient`, as Keras 3's `keras.ops` core functions.

They run eagerly in Python, calling the user's functions on Tensors: every op those functions
apply is recorded like any other, so gradients flow through the branch `cond` took and through
each iteration a loop ran (the tape sees the unrolled computation). Nested structures (lists,
tuples, dicts) of tensors are accepted wherever Keras accepts them.
"""

import builtins
import inspect

import numpy as np

from .. import autodiff
from ..tensor import Tensor
from ._base import to_tensor, unwrap
from .joining import concatenate, stack
from .shape import flip, moveaxis, reshape
from .creation import zeros_like

__all__ = [
    "cond",
    "switch",
    "while_loop",
    "fori_loop",
    "scan",
    "associative_scan",
    "map",
    "vectorized_map",
    "custom_gradient",
]


# ---- nested structures (Keras's `tree`: dicts flatten in sorted key order) ---------------------


def _is_nested(s):
    return isinstance(s, (list, tuple, dict))


def _flatten(s):
    if isinstance(s, (list, tuple)):
        return [leaf for item in s for leaf in _flatten(item)]
    if isinstance(s, dict):
        return [leaf for k in sorted(s) for leaf in _flatten(s[k])]
    return [s]


def _pack(structure, flat):
    """`flat` (a list of leaves) arranged as `structure`."""
    it = iter(flat)

    def build(s):
        if isinstance(s, (list, tuple)):
            items = [build(x) for x in s]
            return type(s)(*items) if hasattr(s, "_fields") else type(s)(items)
        if isinstance(s, dict):
            built = {k: build(s[k]) for k in sorted(s)}
            return {k: built[k] for k in s}
        return next(it)

    return build(structure)


def _map(fn, *structures):
    flats = [_flatten(s) for s in structures]
    return _pack(structures[0], [fn(*leaves) for leaves in zip(*flats)])


def _tensor(x, op):
    return x if isinstance(x, Tensor) else to_tensor(x, op=op)


def _scalar(x, op, what):
    value = np.asarray(unwrap(x, op)[0])
    if value.size != 1:
        raise ValueError(f"{op}: `{what}` must be a scalar. Received: shape {value.shape}.")
    return value.reshape(())


# ---- branching -----------------------------------------------------------------------------


def cond(pred, true_fn, false_fn):
    """Calls `true_fn()` when `pred` is true, else `false_fn()`.

    Only the branch taken runs, so gradients flow through it alone.

    Args:
        pred: a boolean scalar (Python bool or tensor).
        true_fn: callable without arguments, called when `pred` is true.
        false_fn: callable without arguments, called otherwise.

    Returns:
        The output of the branch called.

    >>> import minikeras as keras
    >>> x = keras.ops.array(3.0)
    >>> keras.ops.cond(x > 0, lambda: x * 2, lambda: -x).numpy().item()
    6.0
    """
    for name, fn in (("true_fn", true_fn), ("false_fn", false_fn)):
        if not callable(fn):
            raise TypeError(f"cond: `{name}` must be callable. Received: {name}={fn!r}")
    return true_fn() if bool(_scalar(pred, "cond", "pred")) else false_fn()


def switch(index, branches, *operands):
    """Calls `branches[index](*operands)`; an out-of-range `index` is clamped into range.

    Args:
        index: an integer scalar.
        branches: a sequence of callables.
        *operands: the arguments given to the branch called.

    Returns:
        The output of the branch called.

    >>> import minikeras as keras
    >>> branches = [lambda x, y: x + y, lambda x, y: x - y]
    >>> float(keras.ops.switch(1, branches, 2.0, 0.5))
    1.5
    """
    if not branches:
        raise ValueError("switch: `branches` must hold at least one callable. Received: [].")
    i = int(_scalar(index, "switch", "index"))
    return branches[builtins.min(builtins.max(i, 0), len(branches) - 1)](*operands)


# ---- loops ---------------------------------------------------------------------------------


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Repeats `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true.

    Args:
        cond: callable returning a boolean scalar. When `loop_vars` is a list or tuple, its
            elements are passed positionally; otherwise `loop_vars` itself is passed.
        body: callable returning new loop variables of the same structure.
        loop_vars: a tensor or a (nested) structure of tensors.
        maximum_iterations: optional cap on the number of iterations.

    Returns:
        The final loop variables, as tensors, in the structure of `loop_vars`.

    >>> import minikeras as keras
    >>> keras.ops.while_loop(lambda i: i < 10, lambda i: i + 1, 0).numpy().item()
    10
    >>> x, y = keras.ops.while_loop(lambda x, y: x < 10, lambda x, y: (x + 1, y + 1), (0, 1))
    >>> int(x), int(y)
    (10, 11)
    """
    is_tuple = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_tuple else (loop_vars,)
    state = _map(lambda v: _tensor(v, "while_loop"), state)
    iterations = 0
    while (maximum_iterations is None or iterations < maximum_iterations) and bool(
        _scalar(cond(*state), "while_loop", "cond(*loop_vars)")
    ):
        state = body(*state)
        state = tuple(state) if isinstance(state, (list, tuple)) else (state,)
        iterations += 1
    return state if is_tuple else state[0]


def fori_loop(lower, upper, body_fun, init_val):
    """Runs `val = body_fun(i, val)` for `i` in `range(lower, upper)`, starting at `init_val`.

    Args:
        lower: the first loop index (int).
        upper: the loop index to stop before (int).
        body_fun: callable `(i, val) -> val`.
        init_val: the initial state (any structure).

    Returns:
        The final state.

    >>> import minikeras as keras
    >>> keras.ops.fori_loop(0, 10, lambda i, s: s + i, 0)
    45
    """
    lo = int(_scalar(lower, "fori_loop", "lower"))
    hi = int(_scalar(upper, "fori_loop", "upper"))
    val = init_val
    for i in range(lo, hi):
        val = body_fun(i, val)
    return val


def _stack_structures(ys, op):
    """A list of equally structured outputs -> one structure of stacked tensors."""
    if not ys:
        raise ValueError(f"{op}: cannot stack zero outputs (the loop ran no iterations).")
    return _map(lambda *leaves: stack([_tensor(v, op) for v in leaves]), *ys)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Scans `f` over the leading axis of `xs`, carrying a state along.

    Like `carry = init; for x in xs: carry, y = f(carry, x); ys.append(y)` and returns
    `(carry, stack(ys))`.

    Args:
        f: callable `(carry, x) -> (carry, y)`; `x` is `None` when `xs` is `None`.
        init: the initial carry (tensor or nested structure).
        xs: optional tensor or structure of tensors to scan over their leading axis.
        length: number of iterations; defaults to the leading size of `xs` (required
            when `xs` is `None`).
        reverse: scan from the last element to the first (`ys` stays in input order).
        unroll: accepted for Keras compatibility (a positive int or a bool); it does not change
            the result.

    Returns:
        `(final_carry, stacked_ys)`.

    >>> import minikeras as keras
    >>> carry, ys = keras.ops.scan(lambda c, x: (c + x, c + x), 0, keras.ops.array([1, 2, 3]))
    >>> int(carry), ys.numpy().tolist()
    (6, [1, 3, 6])
    """
    if not callable(f):
        raise TypeError(f"scan: `f` should be a callable. Received: f={f!r}")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(
            f"scan: `unroll` must be a positive integer or boolean. Received: unroll={unroll!r}"
        )
    if xs is None and length is None:
        raise ValueError("scan: got no `xs` to scan over and `length` was not provided.")
    if xs is None:
        xs_flat, n = [], int(length)
    else:
        xs_flat = [_tensor(x, "scan") for x in _flatten(xs)]
        n = int(length) if length is not None else xs_flat[0].shape[0]
    carry = _map(lambda v: _tensor(v, "scan"), init)
    ys = []
    order = range(n - 1, -1, -1) if reverse else range(n)
    for i in order:
        x = _pack(xs, [t[i] for t in xs_flat]) if xs_flat else None
        carry, y = f(carry, x)
        ys.append(y if y is not None else _map(zeros_like, carry))
    if reverse:
        ys.reverse()
    return carry, _stack_structures(ys, "scan")


def _leading_axis(flat, op):
    """The tensors mapped over share a leading axis: an AxisError (an IndexError, as Keras 3
    on torch raises, and a ValueError) naming `op` otherwise."""
    if not flat:
        raise ValueError(f"{op}: nothing to map over (no tensors given).")
    for t in flat:
        if not t.shape:
            raise np.exceptions.AxisError(
                f"{op}: the elements are unstacked along axis 0, which a scalar does not have. "
                f"Received a tensor of shape {tuple(t.shape)}."
            )
    if len({t.shape[0] for t in flat}) > 1:
        raise ValueError(
            f"{op}: the tensors must share their leading axis. Received shapes "
            f"{[tuple(t.shape) for t in flat]}."
        )


def map(f, xs):
    """Applies `f` to each slice of `xs` along its leading axis and stacks the results.

    Args:
        f: callable applied to one slice (a structure like `xs`), returning a structure.
        xs: a tensor or (nested) structure of tensors with the same leading size.

    Returns:
        The outputs of `f`, stacked along a new leading axis.

    >>> import minikeras as keras
    >>> keras.ops.map(lambda x: x ** 2, keras.ops.arange(4)).numpy().tolist()
    [0, 1, 4, 9]
    """
    flat = [_tensor(x, "map") for x in _flatten(xs)]
    _leading_axis(flat, "map")
    return _stack_structures(
        [f(_pack(xs, [t[i] for t in flat])) for i in range(flat[0].shape[0])], "map"
    )


def vectorized_map(function, elements):
    """Applies `function` to each element of `elements` along axis 0 and stacks the outputs.

    When `elements` is a list or tuple of tensors, `function` receives one list holding the
    `i`-th slice of each, as Keras 3 calls it.

    Args:
        function: callable applied to one slice.
        elements: a tensor, or a list/tuple of tensors with the same leading size.

    Returns:
        The stacked outputs.

    >>> import minikeras as keras
    >>> keras.ops.vectorized_map(lambda x: x * 2, keras.ops.ones((2, 3))).shape
    (2, 3)
    """
    if isinstance(elements, (list, tuple)):
        flat = [_tensor(e, "vectorized_map") for e in elements]
        _leading_axis(flat, "vectorized_map")
        outs = [function([e[i] for e in flat]) for i in range(flat[0].shape[0])]
    else:
        t = _tensor(elements, "vectorized_map")
        _leading_axis([t], "vectorized_map")
        outs = [function(t[i]) for i in range(t.shape[0])]
    return _stack_structures(outs, "vectorized_map")


def _interleave(a, b):
    """`[a0, b0, a1, b1, ...]` along axis 0, where `len(a)` is `len(b)` or `len(b) + 1`."""
    pairs = stack([a[: b.shape[0]], b], axis=1)  # (n_b, 2, ...)
    merged = reshape(pairs, (2 * b.shape[0],) + tuple(b.shape[1:]))
    return concatenate([merged, a[b.shape[0] :]], axis=0) if a.shape[0] > b.shape[0] else merged


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan with an associative binary `f`: `[a, f(a, b), f(f(a, b), c), ...]`.

    Computed with the parallel prefix algorithm (Blelloch): `f` is called on whole strided
    slices, O(log n) times.

    Args:
        f: associative callable `(a, b) -> r`, elementwise over `axis`; `a`, `b` and `r` have
            the structure of `elems`.
        elems: a tensor or (nested) structure of tensors with the same size along `axis`.
        reverse: scan from the end of `axis` to its start.
        axis: the axis scanned over.

    Returns:
        The scanned values, in the structure and shapes of `elems`.

    >>> import minikeras as keras
    >>> keras.ops.associative_scan(lambda a, b: a + b, keras.ops.arange(5)).numpy().tolist()
    [0, 1, 3, 6, 10]
    """
    if not callable(f):
        raise TypeError(f"associative_scan: `f` should be a callable. Received: f={f!r}")
    flat = [_tensor(e, "associative_scan") for e in _flatten(elems)]
    ax = axis % flat[0].ndim
    sizes = [t.shape[ax] for t in flat]
    if len(set(sizes)) != 1:
        raise ValueError(
            "associative_scan: the arrays in `elems` must have the same size along "
            f"axis {axis}. Received shapes {[t.shape for t in flat]}."
        )
    # the recursion works on axis 0; `f` sees the arrays with `axis` in place
    flat = [moveaxis(t, ax, 0) for t in flat]
    if reverse:
        flat = [flip(t, 0) for t in flat]

    def combine(a, b):
        out = f(
            _pack(elems, [moveaxis(t, 0, ax) for t in a]),
            _pack(elems, [moveaxis(t, 0, ax) for t in b]),
        )
        return [moveaxis(_tensor(t, "associative_scan"), ax, 0) for t in _flatten(out)]

    def run(items):
        n = items[0].shape[0]
        if n < 2:
            return items
        pairs = combine([t[0:-1:2] for t in items], [t[1::2] for t in items])  # x0+x1, x2+x3...
        odd = run(pairs)  # prefixes ending at odd positions 1, 3, 5, ...
        if n % 2 == 0:
            even = combine([t[:-1] for t in odd], [t[2::2] for t in items])
        else:
            even = combine(odd, [t[2::2] for t in items])
        even = [concatenate([t[:1], e], axis=0) for t, e in zip(items, even)]
        return [_interleave(e, o) for e, o in zip(even, odd)]

    out = run(flat)
    if reverse:
        out = [flip(t, 0) for t in out]
    return _pack(elems, [moveaxis(t, 0, ax) for t in out])


# ---- custom gradients ----------------------------------------------------------------------


def _upstream_by_keyword(grad_fn):
    """True for torch-style `grad(*args, upstream)`: `upstream` is keyword-only."""
    try:
        params = inspect.signature(grad_fn).parameters
    except (TypeError, ValueError):
        return False
    p = params.get("upstream")
    return p is not None and p.kind is inspect.Parameter.KEYWORD_ONLY


def custom_gradient(f):
    """Decorator giving a function its own gradient.

    `f(*args)` returns `(output, grad_fn)`. `output` is what the decorated function returns;
    during backpropagation `grad_fn` receives the gradient of the loss with respect to `output`
    and returns the gradients for the tensor arguments of `f` (one per argument, a single tensor
    when there is one argument). Keras's two calling conventions both work: `grad_fn(upstream)`
    (JAX/TensorFlow style, one upstream per output) and, when `upstream` is keyword-only,
    `grad_fn(*args, upstream=upstream)` (the PyTorch backend's, and the form Keras documents as
    portable). The operations `f` runs in its forward pass are not recorded: only `grad_fn`
    defines the gradient. Gradients for variables that `f` reads without receiving them as
    arguments are not supported.

    Args:
        f: the forward function, returning `(output, grad_fn)`.

    Returns:
        A function with the same arguments as `f`, returning `output`.

    >>> import minikeras as keras
    >>> @keras.ops.custom_gradient
    ... def clip_grad_identity(x):
    ...     def grad(upstream):
    ...         return keras.ops.clip(upstream, -1.0, 1.0)
    ...     return x, grad
    >>> v = keras.Variable([1.0])
    >>> with keras.GradientTape() as tape:
    ...     y = keras.ops.sum(clip_grad_identity(v) * 10.0)
    >>> tape.gradient(y, v).numpy().tolist()
    [1.0]
    """

    def wrapper(*args, **kwargs):
        parents = tuple(
            a if isinstance(a, Tensor) else to_tensor(a, op="custom_gradient") for a in args
        )
        with autodiff.no_grad():
            output, grad_fn = f(*parents, **kwargs)
        outs = _flatten(output)
        out_arrays = [np.asarray(unwrap(o, "custom_gradient")[0]) for o in outs]

        def grads_for(k, dout):
            # every other output's upstream is zero: grad_fn is linear in its upstreams, so the
            # engine's sum over the outputs gives grad_fn(all upstreams)
            ups = [dout if j == k else zeros_like(a) for j, a in enumerate(out_arrays)]
            ups = _pack(output, ups) if _is_nested(output) else ups[0]
            if _upstream_by_keyword(grad_fn):
                grads = grad_fn(*parents, upstream=ups)
            else:
                grads = grad_fn(*(ups if _is_nested(output) else (ups,)))
            grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
            if len(grads) != len(parents):
                raise ValueError(
                    f"custom_gradient: grad_fn of {getattr(f, '__name__', f)!r} returned "
                    f"{len(grads)} gradients for {len(parents)} arguments."
                )
            return grads

        def make(k):
            def backward(dout):
                return tuple(
                    None if g is None else np.asarray(unwrap(g)[0])
                    for g in grads_for(k, Tensor(dout))
                )

            def backward_ops(dout, out):
                return tuple(
                    None if g is None else _tensor(g, "custom_gradient") for g in grads_for(k, dout)
                )

            return Tensor.from_op(out_arrays[k], parents, backward, "custom_gradient", backward_ops)

        results = [make(k) for k in range(len(out_arrays))]
        return _pack(output, results) if _is_nested(output) else results[0]

    wrapper.__name__ = getattr(f, "__name__", "custom_gradient")
    wrapper.__doc__ = getattr(f, "__doc__", None)
    return wrapper
