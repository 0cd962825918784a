"""The ops behind `Tensor`'s operators (`+`, `@`, `[]`, `<`, ...) and numpy ufuncs on Tensors.

These are the family implementations themselves, not the dispatching `keras.ops` functions: a
Tensor operator never meets a symbolic `KerasTensor` (that class has its own operators), so it
skips the dispatch check. `minikeras.core.ops` binds this module as `tensor.ops` when imported.
"""

from .elementwise import (  # noqa: F401
    abs,
    add,
    divide,
    equal,
    exp,
    floor_divide,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    power,
    round,
    sqrt,
    square,
    subtract,
    tanh,
)
from .linalg import matmul  # noqa: F401
from .reduce import mean, sum  # noqa: F401
from .conversion import cast  # noqa: F401
from .indexing import getitem  # noqa: F401
from .shape import reshape, transpose  # noqa: F401
