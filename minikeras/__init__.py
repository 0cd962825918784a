"""minikeras: a Keras-compatible deep learning library on numpy and numba.

Use it as Keras 3: `import minikeras as keras`.
"""

from .version import __version__ as __version__, version

from .core import dtypes as _dtypes  # noqa: F401  (registers the dtype names first)
from .kernels import runtime as _runtime

_runtime.configure()
from .core.autodiff import GradientTape, enable_grad, no_grad
from .core.tensor import Tensor
from .core.variable import Variable
from .core.scopes import RematScope, StatelessScope, SymbolicScope, device, name_scope, remat
from .core import ops

from . import random
from . import tree
from . import dtype_policies, mixed_precision, quantizers
from .dtype_policies import DTypePolicy, FloatDTypePolicy
from .quantizers import Quantizer
from . import activations, constraints, initializers, regularizers
from .initializers import Initializer
from .regularizers import Regularizer
from . import layers
from .layers import Input, InputSpec, KerasTensor, Layer
from . import models
from .models import Model, Sequential
from .layers.operation import Operation
from .models.function import Function
from . import callbacks
from . import distribution
from . import utils

__all__ = [
    "DTypePolicy",
    "FloatDTypePolicy",
    "Function",
    "Operation",
    "RematScope",
    "StatelessScope",
    "SymbolicScope",
    "device",
    "name_scope",
    "remat",
    "GradientTape",
    "Initializer",
    "Input",
    "InputSpec",
    "KerasTensor",
    "Layer",
    "Loss",
    "Metric",
    "Model",
    "Optimizer",
    "Quantizer",
    "Regularizer",
    "Sequential",
    "Tensor",
    "Variable",
    "activations",
    "callbacks",
    "constraints",
    "distribution",
    "dtype_policies",
    "enable_grad",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "no_grad",
    "ops",
    "optimizers",
    "quantizers",
    "random",
    "regularizers",
    "tree",
    "utils",
    "version",
]

# Keras 3's top-level base classes that live in the lazily loaded subpackages
_LAZY_CLASSES = {"Loss": "losses", "Metric": "metrics", "Optimizer": "optimizers"}


def _register_lazy_tables():
    # loading a config may name a loss, metric or optimizer before its package was imported:
    # the serialization floor asks these loaders (it never imports upward itself)
    import importlib

    from .serialization import registry

    for kind in ("losses", "metrics", "optimizers"):
        registry.register_loader(
            kind, lambda kind=kind: importlib.import_module(f".{kind}", __name__)
        )
    # FeatureSpace and its parts (a Keras `.keras` file of one names them)
    registry.register_loader(
        "feature_space", lambda: importlib.import_module(".utils.feature_space", __name__)
    )


_register_lazy_tables()


def _connect_core_serializables():
    # policies and quantizers live on the core floor, below the serialization registry: hand
    # it to them
    from .serialization import registry

    for owner, kind in ((dtype_policies, "dtype_policies"), (quantizers, "quantizers")):
        registry.register_table(kind, owner.ALL_OBJECTS_DICT)
        owner.set_registry(registry.get_registered_object, registry.get_registered_name)


_connect_core_serializables()


def __getattr__(name):
    # heavier subpackages load on first use, keeping `import minikeras` quick
    import importlib

    if name in (
        "losses",
        "metrics",
        "optimizers",
        "saving",
        "applications",
        "datasets",
        "backend",
        "config",
        "preprocessing",
    ):
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    if name in _LAZY_CLASSES:
        value = getattr(importlib.import_module(f".{_LAZY_CLASSES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'minikeras' has no attribute {name!r}")
