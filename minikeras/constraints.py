"""`keras.constraints`: projections applied to a weight after each optimizer step.

A constraint takes a numpy array, Tensor or Variable and returns a numpy array of the same shape
and float dtype (optimizers assign it back to the variable).

>>> import minikeras as keras
>>> keras.constraints.NonNeg()([-1.0, 2.0]).tolist()
[0.0, 2.0]
"""

import numpy as np

from .core import dtypes
from .core.ops.nn import EPSILON
from .core.tensor import Tensor
from .serialization.tables import ObjectKind as _ObjectKind


def _as_array(w):
    a = np.asarray(w.data if isinstance(w, Tensor) else w)
    if a.dtype.kind != "f":
        a = a.astype(dtypes.floatx())
    return a


def _axis(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def _norms(w, axis):
    """L2 norms along `axis`, kept as size-1 dims so they broadcast against `w`."""
    return np.sqrt(np.sum(np.square(w), axis=_axis(axis), keepdims=True))


class Constraint:
    """Base class of weight constraints: `c(w)` returns the projected weight as a numpy array.

    Optimizers apply the constraint after each update and assign the result to the variable.
    Subclasses implement `__call__(w)` and `get_config()`; the base returns `w` unchanged.

    >>> import numpy as np, minikeras as keras
    >>> class Clip(keras.constraints.Constraint):
    ...     def __call__(self, w):
    ...         return np.clip(np.asarray(w), -1.0, 1.0)
    >>> Clip()([-3.0, 0.5]).tolist()
    [-1.0, 0.5]
    """

    def __call__(self, w):
        return _as_array(w)

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class MaxNorm(Constraint):
    """Rescales each slice along `axis` whose L2 norm exceeds `max_value` down to `max_value`.

    The result is `w * clip(norm, 0, max_value) / (eps + norm)` with `eps = 1e-7`. For a Dense
    kernel `(input_dim, units)` the default `axis=0` constrains each unit's incoming weights; for
    a Conv2D kernel use `axis=[0, 1, 2]`.

    Args:
        max_value: the largest allowed norm.
        axis: the axis (or list of axes) along which norms are taken.

    >>> import minikeras as keras
    >>> print(keras.constraints.MaxNorm(1.0)([[3.0], [4.0]]).round(4).tolist())
    [[0.6], [0.8]]
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = _as_array(w)
        norms = _norms(w, self.axis)
        desired = np.clip(norms, 0, self.max_value)
        return (w * (desired / (EPSILON + norms))).astype(w.dtype, copy=False)

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Constraint that sets negative weights to zero.

    >>> import minikeras as keras
    >>> keras.constraints.NonNeg()([-1.0, 2.0]).tolist()
    [0.0, 2.0]
    """

    def __call__(self, w):
        w = _as_array(w)
        return np.maximum(w, 0).astype(w.dtype, copy=False)


class UnitNorm(Constraint):
    """Divides each slice along `axis` by its L2 norm: `w / (eps + norm)` with `eps = 1e-7`.

    Args:
        axis: the axis (or list of axes) along which norms are taken.

    >>> import minikeras as keras
    >>> print(keras.constraints.UnitNorm()([[3.0], [4.0]]).round(4).tolist())
    [[0.6], [0.8]]
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = _as_array(w)
        return (w / (EPSILON + _norms(w, self.axis))).astype(w.dtype, copy=False)

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each slice's L2 norm into `[min_value, max_value]` at speed `rate`.

    The new norm is `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`, applied as
    `w * new_norm / (eps + norm)` with `eps = 1e-7`; `rate=1.0` enforces the bounds strictly.

    Args:
        min_value: the smallest allowed norm.
        max_value: the largest allowed norm.
        rate: how far to move towards the bounds each time (0 to 1).
        axis: the axis (or list of axes) along which norms are taken.

    >>> import minikeras as keras
    >>> print(keras.constraints.MinMaxNorm(1.0, 2.0)([[0.3], [0.4]]).round(4).tolist())
    [[0.6], [0.8]]
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = _as_array(w)
        norms = _norms(w, self.axis)
        desired = self.rate * np.clip(norms, self.min_value, self.max_value)
        desired = desired + (1 - self.rate) * norms
        return (w * (desired / (EPSILON + norms))).astype(w.dtype, copy=False)

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


ALL_OBJECTS_DICT = {c.__name__: c for c in (Constraint, MaxNorm, NonNeg, UnitNorm, MinMaxNorm)}
ALL_OBJECTS_DICT.update(
    {
        "max_norm": MaxNorm,
        "non_neg": NonNeg,
        "unit_norm": UnitNorm,
        "min_max_norm": MinMaxNorm,
        # Keras 1 spellings, still found in old files
        "maxnorm": MaxNorm,
        "nonneg": NonNeg,
        "unitnorm": UnitNorm,
    }
)


# one lookup for every kind of object: the serialization floor's (also registers the table)
_KIND = _ObjectKind("constraint", "keras.constraints", ALL_OBJECTS_DICT)


def serialize(constraint):
    """Returns the Keras 3 config dict of a constraint.

    Args:
        constraint: a constraint object (or a plain function, or `None`).

    Returns:
        A dict `{"module", "class_name", "config", "registered_name"}`, or `None`.

    >>> import minikeras as keras
    >>> keras.constraints.serialize(keras.constraints.MaxNorm(3))["config"]
    {'max_value': 3, 'axis': 0}
    """
    return _KIND.serialize(constraint)


def deserialize(config, custom_objects=None):
    """Builds a constraint from a name or a Keras 2/3 config dict.

    Args:
        config: a name such as `"non_neg"`, or a dict with `class_name` and `config`.
        custom_objects: optional dict of extra names to look up first.

    Returns:
        A constraint object.

    >>> import minikeras as keras
    >>> keras.constraints.deserialize({"class_name": "UnitNorm", "config": {"axis": 1}})
    UnitNorm(axis=1)
    """
    return _KIND.deserialize(config, custom_objects)


def get(identifier):
    """Returns a constraint from a name, config dict, class, instance or callable.

    Args:
        identifier: a name, a config dict, a class (instantiated with defaults), an instance or
            callable (returned as is), or `None` (gives `None`).

    Returns:
        A constraint, or `None`.

    >>> import minikeras as keras
    >>> keras.constraints.get("non_neg")
    NonNeg()
    """
    return _KIND.get(identifier)


def _export_snake_case_aliases():
    # Keras 3 also exports the classes under snake-case names (`keras.regularizers.l2(1e-4)`,
    # `keras.initializers.he_normal()`, `keras.constraints.max_norm(3)`)
    module = globals()
    for key in "max_norm min_max_norm non_neg unit_norm".split():
        if key not in module:
            module[key] = ALL_OBJECTS_DICT[key]


_export_snake_case_aliases()
