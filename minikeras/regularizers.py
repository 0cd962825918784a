"""`keras.regularizers`: weight penalties `reg(x) -> scalar` added to the loss, built from ops.

>>> import minikeras as keras
>>> float(keras.regularizers.L2(2.0)(keras.ops.ones((5, 5))))
50.0
"""

import math

import numpy as np

from .core import ops
from .core.ops.nn import EPSILON
from .serialization.tables import ObjectKind as _ObjectKind


def _check_factor(value, name):
    ok = isinstance(value, (int, float)) or type(value).__module__ == "numpy"
    if not ok or not math.isfinite(float(value)) or float(value) < 0:
        raise ValueError(
            f"Invalid value for argument `{name}`: expected a non-negative float. "
            f"Received: {name}={value!r}"
        )
    return float(value)


class Regularizer:
    """Base class of weight regularizers: `reg(x)` returns a scalar penalty added to the loss.

    Subclasses implement `__call__(x)` with `keras.ops` (so the penalty is differentiable) and
    `get_config()`. The base class returns a zero penalty.

    >>> import minikeras as keras
    >>> class Sum(keras.regularizers.Regularizer):
    ...     def __call__(self, x):
    ...         return keras.ops.sum(x)
    ...     def get_config(self):
    ...         return {}
    >>> float(Sum()(keras.ops.ones((2, 3))))
    6.0
    """

    def __call__(self, x):
        return ops.zeros((), ops.dtype(x))

    def get_config(self):
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config().")

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class L1(Regularizer):
    """L1 weight penalty `l1 * sum(|x|)`.

    Args:
        l1: the non-negative factor (`None` means 0.01).

    >>> import minikeras as keras
    >>> float(keras.regularizers.L1(0.5)([1.0, -3.0]))
    2.0
    """

    def __init__(self, l1=0.01):
        self.l1 = _check_factor(0.01 if l1 is None else l1, "l1")

    def __call__(self, x):
        return ops.multiply(ops.sum(ops.abs(x)), self.l1)

    def get_config(self):
        # Keras 3 holds l1 as a float32 tensor, so its config has the float32 value
        return {"l1": float(np.float32(self.l1))}


class L2(Regularizer):
    """L2 weight penalty `l2 * sum(x ** 2)` (no factor 1/2, as Keras).

    Args:
        l2: the non-negative factor (`None` means 0.01).

    >>> import minikeras as keras
    >>> float(keras.regularizers.L2(0.5)([1.0, -3.0]))
    5.0
    """

    def __init__(self, l2=0.01):
        self.l2 = _check_factor(0.01 if l2 is None else l2, "l2")

    def __call__(self, x):
        return ops.multiply(ops.sum(ops.square(x)), self.l2)

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """Combined penalty `l1 * sum(|x|) + l2 * sum(x ** 2)`; a zero factor adds no term.

    Args:
        l1: the non-negative L1 factor.
        l2: the non-negative L2 factor.

    >>> import minikeras as keras
    >>> float(keras.regularizers.L1L2(l1=1.0, l2=1.0)([1.0, -3.0]))
    14.0
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor(0.0 if l1 is None else l1, "l1")
        self.l2 = _check_factor(0.0 if l2 is None else l2, "l2")

    def __call__(self, x):
        out = ops.zeros((), ops.dtype(x))
        if self.l1:
            out = ops.add(out, ops.multiply(ops.sum(ops.abs(x)), self.l1))
        if self.l2:
            out = ops.add(out, ops.multiply(ops.sum(ops.square(x)), self.l2))
        return out

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight towards being orthogonal to each other.

    The penalty is `factor * mean(|<u_i, u_j>|)` over pairs `i < j` of the L2-normalised rows
    (`mode="rows"`) or columns (`mode="columns"`).

    Args:
        factor: the non-negative factor.
        mode: `"rows"` or `"columns"`.

    >>> import minikeras as keras
    >>> reg = keras.regularizers.OrthogonalRegularizer(factor=1.0)
    >>> float(reg([[1.0, 0.0], [0.0, 2.0]])), float(reg([[1.0, 0.0], [3.0, 0.0]]))
    (0.0, 1.0)
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _check_factor(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                "Invalid value for argument `mode`: expected 'rows' or 'columns'. "
                f"Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, x):
        if len(ops.shape(x)) != 2:
            raise ValueError(
                f"OrthogonalRegularizer expects a rank-2 input. Received: shape={ops.shape(x)}"
            )
        if self.mode == "columns":
            x = ops.transpose(x)
        # u = x / max(|x|, sqrt(eps)) row by row, as keras.ops.normalize
        sq = ops.sum(ops.square(x), axis=1, keepdims=True)
        # (where, not maximum: Keras 3's public maximum narrows float64 to float32)
        u = ops.multiply(x, ops.rsqrt(ops.where(ops.greater(sq, EPSILON), sq, EPSILON)))
        size = ops.shape(x)[0]
        mask = 1 - np.eye(size, dtype=ops.dtype(x))
        off_diagonal = ops.multiply(ops.matmul(u, ops.transpose(u)), mask)  # (size, size)
        pairs = size * (size - 1) / 2.0
        total = ops.multiply(ops.sum(ops.abs(off_diagonal)), 0.5)  # each pair appears twice
        return ops.multiply(total, self.factor / pairs if pairs else 0.0)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


ALL_OBJECTS_DICT = {c.__name__: c for c in (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)}
ALL_OBJECTS_DICT.update(
    {
        "l1": L1,
        "l2": L2,
        "l1_l2": L1L2,
        "l1l2": L1L2,
        "orthogonal_regularizer": OrthogonalRegularizer,
    }
)


def l1_l2(l1=0.01, l2=0.01):
    """Returns an `L1L2` regularizer with Keras's defaults (0.01 each); `get("l1_l2")` uses it.

    Args:
        l1: the L1 factor.
        l2: the L2 factor.

    Returns:
        An `L1L2` instance.

    >>> import minikeras as keras
    >>> keras.regularizers.l1_l2()
    L1L2(l1=0.01, l2=0.01)
    """
    return L1L2(l1=l1, l2=l2)


# one lookup for every kind of object: the serialization floor's (also registers the table)
_KIND = _ObjectKind(
    "regularizer", "keras.regularizers", ALL_OBJECTS_DICT, {"l1_l2": l1_l2, "l1l2": l1_l2}
)


def serialize(regularizer):
    """Returns the Keras 3 config dict of a regularizer.

    Args:
        regularizer: a regularizer object (or a plain function, or `None`).

    Returns:
        A dict `{"module", "class_name", "config", "registered_name"}`, or `None`.

    >>> import minikeras as keras
    >>> keras.regularizers.serialize(keras.regularizers.L2(0.1))["class_name"]
    'L2'
    """
    return _KIND.serialize(regularizer)


def deserialize(config, custom_objects=None):
    """Builds a regularizer from a name or a Keras 2/3 config dict.

    Args:
        config: a name such as `"l2"`, or a dict with `class_name` and `config`.
        custom_objects: optional dict of extra names to look up first.

    Returns:
        A regularizer object.

    >>> import minikeras as keras
    >>> keras.regularizers.deserialize({"class_name": "L1", "config": {"l1": 0.5}})
    L1(l1=0.5)
    """
    return _KIND.deserialize(config, custom_objects)


def get(identifier):
    """Returns a regularizer from a name, config dict, class, instance or callable.

    Args:
        identifier: a name, a config dict, a class (instantiated with defaults), an instance or
            callable (returned as is), or `None` (gives `None`).

    Returns:
        A regularizer, or `None`.

    >>> import minikeras as keras
    >>> keras.regularizers.get("l2")
    L2(l2=0.01)
    """
    return _KIND.get(identifier)


def _export_snake_case_aliases():
    # Keras 3 also exports the classes under snake-case names (`keras.regularizers.l2(1e-4)`,
    # `keras.initializers.he_normal()`, `keras.constraints.max_norm(3)`)
    module = globals()
    for key in "l1 l2 orthogonal_regularizer".split():
        if key not in module:
            module[key] = ALL_OBJECTS_DICT[key]


_export_snake_case_aliases()
