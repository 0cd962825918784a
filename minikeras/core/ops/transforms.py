"""Dtype reinterpretation and function transforms of Keras 3's `keras.ops`: `saturate_cast`,
`view`, `vectorize` and `jvp`.

`jvp` (a forward-mode derivative in Keras, through JAX/torch) is computed here by the reverse-mode
engine: one vector-Jacobian product per output element, so it is exact and suits the small
outputs it is used on.
"""

import numpy as np

from .. import dtypes
from ..autodiff import gradients
from ..tensor import Tensor
from . import arithmetic as _arithmetic
from . import conversion as _conversion
from . import joining as _joining
from ._base import to_tensor, unwrap
from .shape import broadcast_to, reshape

__all__ = ["saturate_cast", "view", "vectorize", "jvp"]


def saturate_cast(x, dtype):
    """Casts to `dtype`, clipping values to its range first instead of wrapping around.

    A plain `cast` of `300.0` to uint8 overflows; `saturate_cast` gives 255. Integer targets
    clip to the dtype's min and max, narrower float targets to its finite range.

    Args:
        x: the tensor to cast.
        dtype: the target dtype name (`"uint8"`, `"int16"`, `"float16"`, ...).

    Returns:
        A tensor of `x`'s shape in `dtype`.

    >>> import minikeras as keras
    >>> keras.ops.saturate_cast([-5.0, 300.0], "uint8").numpy().tolist()
    [0, 255]
    """
    x = to_tensor(x, op="saturate_cast")
    target = dtypes.numpy_dtype(dtype)
    if target.kind in "iu":
        info = np.iinfo(target)
        low, high = info.min, info.max
        if x.dtype.kind == "f":  # the largest floats of x's dtype not above the integer bounds
            low = np.nextafter(x.dtype.type(low), 0) if x.dtype.type(low) < low else low
            high = np.nextafter(x.dtype.type(high), 0) if x.dtype.type(high) > high else high
        x = _arithmetic.clip(x, low, high)
    elif target.kind == "b":  # Keras 3 clips to [0, 1] first: -1.7 gives False
        x = _arithmetic.clip(x, 0, 1)
    elif dtypes.is_float(target) and x.dtype.kind == "f" and target.itemsize < x.dtype.itemsize:
        finfo = np.finfo if target.kind == "f" else dtypes._require_ml_dtypes(target.name).finfo
        info = finfo(target)  # bfloat16's range through ml_dtypes (inf -> its largest finite)
        x = _arithmetic.clip(x, float(info.min), float(info.max))
    return _conversion.cast(x, target)


def view(x, dtype=None):
    """The same bytes read as `dtype` (the last axis rescales by the item size ratio).

    Args:
        x: the input tensor.
        dtype: the dtype to reinterpret the bytes as (default None: `x` unchanged).

    Returns:
        A tensor in `dtype`: its last axis is `x.shape[-1] * x.itemsize / dtype.itemsize` long
        (a 0-d `x` needs equal item sizes). No gradient flows through it.

    >>> import numpy as np, minikeras as keras
    >>> int(keras.ops.view(np.float32(1.0), "int32"))
    1065353216
    """
    a = np.asarray(unwrap(x, "view")[0])
    return Tensor(a if dtype is None else a.view(dtypes.numpy_dtype(dtype)))


def _core_dims(signature):
    """The core dimension counts of each input and of the output in `"(m,n),(n)->(m)"`."""
    inputs, output = signature.replace(" ", "").split("->")

    def count(part):
        return [0 if not g else len(g.split(",")) for g in part[1:-1].split("),(")]

    return count(inputs), count(output)[0]


def vectorize(pyfunc, *, excluded=None, signature=None):
    """Turns `pyfunc` into a function mapped over the leading axes of its tensor arguments.

    As `numpy.vectorize`: `pyfunc` is written for one element (or, with `signature`, for the
    core dimensions the signature names); the wrapped function broadcasts the other (leading)
    axes of its positional arguments, calls `pyfunc` once per position and stacks the results.
    Gradients flow through the calls.

    Args:
        pyfunc: the function to map, taking and returning tensors.
        excluded: optional set of positional argument indices passed to `pyfunc` unchanged
            (keyword arguments always are).
        signature: optional generalized ufunc signature such as `"(m,n),(n)->(m)"`: each
            input's trailing core dimensions are passed whole.

    Returns:
        A function taking `pyfunc`'s arguments and returning a tensor of shape
        `batch_shape + pyfunc's output shape`.

    >>> import numpy as np, minikeras as keras
    >>> f = keras.ops.vectorize(lambda a, b: a * b + 1.0)
    >>> f([1.0, 2.0], [3.0, 4.0]).numpy().tolist()
    [4.0, 9.0]
    >>> matvec = keras.ops.vectorize(keras.ops.matmul, signature="(m,n),(n)->(m)")
    >>> matvec(np.ones((4, 2, 3)), np.ones((4, 3))).shape
    (4, 2)
    """
    excluded = set(excluded or ())

    def mapped(*args, **kwargs):
        positions = [i for i in range(len(args)) if i not in excluded]
        tensors = [to_tensor(args[i], op="vectorize") for i in positions]
        cores = _core_dims(signature)[0] if signature else [0] * len(tensors)
        loop_shapes = [t.shape[: len(t.shape) - c] for t, c in zip(tensors, cores)]
        batch = np.broadcast_shapes(*loop_shapes) if loop_shapes else ()
        tensors = [
            broadcast_to(t, tuple(batch) + tuple(t.shape[len(t.shape) - c :]))
            for t, c in zip(tensors, cores)
        ]
        results = []
        for index in np.ndindex(*batch):
            call = list(args)
            for i, t in zip(positions, tensors):
                call[i] = t[index] if index else t
            results.append(to_tensor(pyfunc(*call, **kwargs), op="vectorize"))
        if not batch:
            return results[0]
        out = _joining.stack(results, axis=0)
        return reshape(out, tuple(batch) + tuple(out.shape[1:]))

    return mapped


def jvp(fun, primals, tangents, has_aux=False):
    """Jacobian-vector product: `fun(*primals)` and its derivative along `tangents`.

    Args:
        fun: a function of tensors returning a tensor (and an auxiliary value if `has_aux`).
        primals: a tuple or list of the arguments.
        tangents: one tangent per primal, of the same shapes.
        has_aux: whether `fun` returns `(output, aux)`.

    Returns:
        `(primals_out, tangents_out)`, or `(primals_out, tangents_out, aux)` with `has_aux`.

    >>> import minikeras as keras
    >>> y, dy = keras.ops.jvp(keras.ops.square, (3.0,), (1.0,))
    >>> float(y), float(dy)
    (9.0, 6.0)
    """
    if len(primals) != len(tangents):
        raise ValueError(
            f"jvp: primals and tangents must have the same length. Received: {len(primals)} "
            f"primals and {len(tangents)} tangents"
        )
    inputs = [Tensor(np.array(unwrap(p, "jvp")[0]), requires_grad=True) for p in primals]
    directions = [np.asarray(unwrap(t, "jvp")[0]) for t in tangents]
    result = fun(*inputs)
    out, aux = result if has_aux else (result, None)
    out = to_tensor(out, op="jvp")
    flat = np.zeros(out.shape, dtype=out.dtype).ravel()
    tangent = np.zeros(out.shape, dtype=out.dtype).ravel()
    for k in range(flat.size):
        flat[:] = 0
        flat[k] = 1
        grads = gradients(out, inputs, output_gradient=flat.reshape(out.shape))
        tangent[k] = sum(float(np.sum(g * d)) for g, d in zip(grads, directions) if g is not None)
    outputs = (Tensor(np.asarray(out.numpy())), Tensor(tangent.reshape(out.shape)))
    return outputs + (aux,) if has_aux else outputs
