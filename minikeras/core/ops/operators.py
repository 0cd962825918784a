"""The ops behind `Tensor`'s operators (`+`, `@`, `[]`, `<`, ...) and numpy ufuncs on Tensors.

These are the family implementations themselves, not the dispatching `keras.ops` functions: a
Tensor operator never meets a symbolic `KerasTensor` (that class has its own operators), so it
skips the dispatch check. `minikeras.core.ops` binds this module as `tensor.ops` when imported.
"""

from .elementwise import abs, exp, log, power, round, sqrt, square
from .arithmetic import (
    add,
    divide,
    floor_divide,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    subtract,
)
from .comparison import (
    equal,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    not_equal,
)
from .trigonometry import tanh
from .linalg import matmul
from .reduce import mean, sum
from .conversion import cast
from .indexing import getitem
from .shape import reshape, transpose

__all__ = [
    "abs",
    "exp",
    "log",
    "power",
    "round",
    "sqrt",
    "square",
    "add",
    "divide",
    "floor_divide",
    "maximum",
    "minimum",
    "mod",
    "multiply",
    "negative",
    "subtract",
    "equal",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "not_equal",
    "tanh",
    "matmul",
    "mean",
    "sum",
    "cast",
    "getitem",
    "reshape",
    "transpose",
]
