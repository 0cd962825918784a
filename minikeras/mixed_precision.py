"""`keras.mixed_precision`: Keras 3's legacy names for dtype policies and loss scaling.

`set_global_policy("mixed_float16")` is `keras.config.set_dtype_policy("mixed_float16")`: layers
created afterwards keep float32 variables and compute in float16. `LossScaleOptimizer` is
`keras.optimizers.LossScaleOptimizer` (loaded on first use, like `keras.optimizers`).

>>> import minikeras as keras
>>> keras.mixed_precision.set_global_policy("mixed_bfloat16")
>>> keras.mixed_precision.global_policy()
<DTypePolicy "mixed_bfloat16">
>>> keras.mixed_precision.set_global_policy("float32")
"""

from .dtype_policies.dtype_policy import DTypePolicy, dtype_policy, set_dtype_policy

Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy


def __getattr__(name):
    if name == "LossScaleOptimizer":
        from .optimizers import LossScaleOptimizer

        return LossScaleOptimizer
    raise AttributeError(f"module 'minikeras.mixed_precision' has no attribute {name!r}")


__all__ = [
    "DTypePolicy",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
