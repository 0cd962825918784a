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
from .initializers import _object_from_config, _object_to_config


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
    """Base class: `__call__(w)` returns the projected weight (the base returns it unchanged)."""

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

    `w * clip(norm, 0, max_value) / (eps + norm)`, eps = 1e-7. For a Dense kernel
    `(input_dim, units)` the default `axis=0` constrains each unit's incoming weights; for a
    Conv2D kernel use `axis=[0, 1, 2]`.
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
    """Sets negative weights to zero."""

    def __call__(self, w):
        w = _as_array(w)
        return np.maximum(w, 0).astype(w.dtype, copy=False)


class UnitNorm(Constraint):
    """Divides each slice along `axis` by its L2 norm: `w / (eps + norm)`, eps = 1e-7."""

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
    `w * new_norm / (eps + norm)`, eps = 1e-7; `rate=1.0` enforces the bounds strictly.
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
ALL_OBJECTS_DICT.update({"max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm,
                         "min_max_norm": MinMaxNorm,
                         # Keras 1 spellings, still found in old files
                         "maxnorm": MaxNorm, "nonneg": NonNeg, "unitnorm": UnitNorm})  # fmt: skip


def serialize(constraint):
    """Keras 3 dict: `{"module": "keras.constraints", "class_name", "config", ...}`."""
    return _object_to_config(constraint, "keras.constraints", ALL_OBJECTS_DICT, "constraint")


def deserialize(config, custom_objects=None):
    """A constraint from a name or a Keras 2/3 config dict."""
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    return _object_from_config(config, ALL_OBJECTS_DICT, "constraint", custom_objects)


def get(identifier):
    """A constraint from a name, config dict, class, instance or callable; None gives None."""
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret constraint identifier: {identifier!r}")
