"""`keras.ops`: differentiable ops on numpy arrays, Tensors and Variables.

Every public function also accepts symbolic `KerasTensor`s (from `keras.Input`): then it records
an operation node in the functional graph instead of computing, as Keras 3 does.
"""

import builtins
import functools

from .. import tensor as _tensor_module
from . import _base, conv as _conv, elementwise as _elementwise, linalg as _linalg
from . import nn as _nn, reduce as _reduce, shape as _shape, signal as _signal
from . import ctc as _ctc
from . import decompositions as _decompositions
from . import attention as _attention, control_flow as _control_flow, segment as _segment
from .attention import *  # noqa: F401,F403
from .control_flow import *  # noqa: F401,F403
from .segment import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .ctc import *  # noqa: F401,F403
from .decompositions import *  # noqa: F401,F403
from .elementwise import *  # noqa: F401,F403
from .linalg import *  # noqa: F401,F403
from .nn import *  # noqa: F401,F403
from .reduce import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403
from .signal import *  # noqa: F401,F403

# set by minikeras.layers.core_layers.op_layer: (name, fn, args, kwargs) -> KerasTensor
_symbolic_hook = None


def _is_symbolic(x):
    if hasattr(x, "_keras_history"):
        return True
    if isinstance(x, (list, tuple)):
        return builtins.any(hasattr(i, "_keras_history") for i in x)
    return False


_EAGER_TYPES = _base.EAGER_TYPES


def _any_symbolic(values):
    for a in values:
        if type(a) not in _EAGER_TYPES and _is_symbolic(a):
            return True
    return False


def _dispatching(name, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _symbolic_hook is not None:
            for a in args:  # inlined: this runs on every op call
                if type(a) not in _EAGER_TYPES and _is_symbolic(a):
                    return _symbolic_hook(name, fn, args, kwargs)
            if kwargs and _any_symbolic(kwargs.values()):
                return _symbolic_hook(name, fn, args, kwargs)
        return fn(*args, **kwargs)

    wrapper._raw = fn
    return wrapper


_FAMILIES = (
    _attention,
    _control_flow,
    _conv,
    _ctc,
    _decompositions,
    _elementwise,
    _linalg,
    _nn,
    _reduce,
    _segment,
    _shape,
    _signal,
)


def _install():
    g = globals()
    for module in _FAMILIES:
        for name in module.__all__:
            if name == "EPSILON":
                continue
            g[name] = _dispatching(name, getattr(module, name))


_install()
# Tensor operators use the raw (non-dispatching) functions: they never see KerasTensors.
_tensor_module._ops = _shape.__class__("ops_raw")
for _m in _FAMILIES:
    for _n in _m.__all__:
        setattr(_tensor_module._ops, _n, getattr(_m, _n))

# keras.ops.image: its functions dispatch like the others, recorded under "image.<name>"
from . import image  # noqa: E402

for _n in image.__all__:
    setattr(image, _n, _dispatching(f"image.{_n}", getattr(image, _n)))


class _PublicNamespace(_shape.__class__):
    """`keras.ops.nn`, `keras.ops.numpy`, `keras.ops.linalg`: Keras 3's public sub-namespaces.

    They hold the same dispatching functions as `keras.ops` itself, so
    `keras.ops.nn.softmax(keras.Input((3,)))` records an op node like `keras.ops.softmax`. (The
    family modules `core/ops/nn.py`, `linalg.py` are the raw implementations; the package
    attributes of those names are replaced by these namespaces after the imports above.)
    """

    def __init__(self, name, family=None):
        super().__init__(f"minikeras.ops.{name}")
        self._names = set(family.__all__) if family is not None else None

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        fn = globals().get(name)
        if fn is None or not callable(fn) or name.startswith("_"):
            raise AttributeError(
                f"module 'keras.ops.{self.__name__.rsplit('.', 1)[-1]}' has no attribute '{name}'"
            )
        return fn

    def __dir__(self):
        return sorted(self._names) if self._names is not None else sorted(__all_public__())


def __all_public__():
    return [
        n
        for n, v in globals().items()
        if not n.startswith("_") and callable(v) and getattr(v, "_raw", None) is not None
    ]


nn = _PublicNamespace("nn", _nn)
linalg = _PublicNamespace("linalg", _linalg)
linalg._names |= set(_decompositions.__all__)  # keras.ops.linalg also holds the decompositions
numpy = _PublicNamespace("numpy")
