"""`keras.regularizers`: weight penalties `reg(x) -> scalar` added to the loss, built from ops.

>>> import minikeras as keras
>>> float(keras.regularizers.L2(2.0)(keras.ops.ones((5, 5))))
50.0
"""

import math

import numpy as np

from .core import ops
from .core.ops.nn import EPSILON
from .initializers import _object_from_config, _object_to_config


def _check_factor(value, name):
    ok = isinstance(value, (int, float)) or type(value).__module__ == "numpy"
    if not ok or not math.isfinite(float(value)) or float(value) < 0:
        raise ValueError(
            f"Invalid value for argument `{name}`: expected a non-negative float. "
            f"Received: {name}={value!r}"
        )
    return float(value)


class Regularizer:
    """Base class: `__call__(x)` returns a scalar penalty; subclasses implement `get_config`."""

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
    """`l1 * sum(|x|)`."""

    def __init__(self, l1=0.01):
        self.l1 = _check_factor(0.01 if l1 is None else l1, "l1")

    def __call__(self, x):
        return ops.multiply(ops.sum(ops.abs(x)), self.l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """`l2 * sum(x ** 2)`."""

    def __init__(self, l2=0.01):
        self.l2 = _check_factor(0.01 if l2 is None else l2, "l2")

    def __call__(self, x):
        return ops.multiply(ops.sum(ops.square(x)), self.l2)

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x ** 2)`; a zero factor adds no term."""

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

    Penalty: `factor * mean(|<u_i, u_j>|)` over pairs i < j of the L2-normalised rows
    (`mode="rows"`) or columns (`mode="columns"`).
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
        u = ops.multiply(x, ops.rsqrt(ops.maximum(sq, EPSILON)))
        size = ops.shape(x)[0]
        mask = 1 - np.eye(size, dtype=ops.dtype(x))
        off_diagonal = ops.multiply(ops.matmul(u, ops.transpose(u)), mask)  # (size, size)
        pairs = size * (size - 1) / 2.0
        total = ops.multiply(ops.sum(ops.abs(off_diagonal)), 0.5)  # each pair appears twice
        return ops.multiply(total, self.factor / pairs if pairs else 0.0)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


ALL_OBJECTS_DICT = {c.__name__: c for c in (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)}
ALL_OBJECTS_DICT.update({"l1": L1, "l2": L2, "l1_l2": L1L2, "l1l2": L1L2,
                         "orthogonal_regularizer": OrthogonalRegularizer})  # fmt: skip


def l1_l2(l1=0.01, l2=0.01):
    """`L1L2` with Keras's documented string defaults (0.01 each); `get("l1_l2")` uses it."""
    return L1L2(l1=l1, l2=l2)


def serialize(regularizer):
    """Keras 3 dict: `{"module": "keras.regularizers", "class_name", "config", ...}`."""
    return _object_to_config(regularizer, "keras.regularizers", ALL_OBJECTS_DICT, "regularizer")


def deserialize(config, custom_objects=None):
    """A regularizer from a name or a Keras 2/3 config dict."""
    if isinstance(config, str):
        if config in ("l1_l2", "l1l2"):
            return l1_l2()
        config = {"class_name": config, "config": {}}
    return _object_from_config(config, ALL_OBJECTS_DICT, "regularizer", custom_objects)


def get(identifier):
    """A regularizer from a name, config dict, class, instance or callable; None gives None."""
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}")
