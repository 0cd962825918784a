"""The tensor core: Tensor, Variable, autodiff and ops."""

# the placeholder runs of the functional API (layers/layer_tracing.py) use the kernels' numpy
# references on a cold numba cache instead of compiling (kernels/__init__.py)
from ..kernels import references as kernel_references  # noqa: E402, F401
