"""minikeras: a Keras-compatible deep learning library on numpy and numba.

Use it as Keras 3: `import minikeras as keras`.
"""

__version__ = "0.1.0"

from .core import dtypes as _dtypes
from .core import runtime as _runtime

_runtime.configure()
from .core.autodiff import GradientTape, enable_grad, no_grad
from .core.tensor import Tensor
from .core.variable import Variable
from .core import ops

from . import activations, constraints, initializers, regularizers
from . import layers
from .layers import Input, InputSpec, KerasTensor, Layer
from . import models
from .models import Model, Sequential
from . import callbacks
from . import utils

__all__ = [
    "GradientTape", "Input", "InputSpec", "KerasTensor", "Layer", "Model", "Sequential", "Tensor",
    "Variable", "activations", "callbacks", "constraints", "enable_grad", "initializers",
    "layers", "losses", "metrics", "models", "no_grad", "ops", "optimizers", "regularizers",
    "utils",
]  # fmt: skip


def __getattr__(name):
    # heavier subpackages load on first use, keeping `import minikeras` quick
    import importlib

    if name in ("losses", "metrics", "optimizers", "saving", "applications", "datasets", "backend", "config"):
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'minikeras' has no attribute {name!r}")
