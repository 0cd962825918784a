"""minikeras: a Keras-compatible deep learning library on numpy and numba.

Use it as Keras 3: `import minikeras as keras`.
"""

__version__ = "0.1.0"

from .core import dtypes as _dtypes
from .core.autodiff import GradientTape, enable_grad, no_grad
from .core.tensor import Tensor
from .core.variable import Variable
from .core import ops

KerasTensor = None  # replaced below once layers load
