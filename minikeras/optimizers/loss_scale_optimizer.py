"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer."""

import numpy as np

from ..core.tensor import Tensor
from ..distribution import data_parallel
from .optimizer import OPTIMIZERS, Optimizer

# base arguments Keras 3's LossScaleOptimizer accepts only at their defaults (older configs
# carried them); set them on the inner optimizer instead
_BASE_DEFAULTS = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


def _array(x):
    return x.data if isinstance(x, Tensor) else np.asarray(x)


class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer with dynamic loss scaling (as `keras.optimizers.LossScaleOptimizer`).

    `fit` multiplies the loss by the current scale (`scale_loss`) before the backward pass, so
    small float16 gradients do not underflow; `apply` divides the gradients by it again and
    hands them to the inner optimizer. If any gradient holds an inf or NaN, the step is skipped
    and the scale halves; after `dynamic_growth_steps` finite steps in a row it doubles.

    Args:
        inner_optimizer: the `Optimizer` that does the updates (its `loss_scale_factor` is
            cleared, so gradients are not unscaled twice).
        initial_scale: the starting loss scale (2**15).
        dynamic_growth_steps: finite steps between doublings of the scale (2000).
        name: the optimizer's name.

    Its variables are `iteration`, `learning_rate` (unused, as Keras keeps them),
    `step_counter`, `dynamic_scale`, then the inner optimizer's; `iterations` and
    `learning_rate` are the inner optimizer's.

    >>> import numpy as np, minikeras as keras
    >>> opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.5), initial_scale=4.0)
    >>> w = keras.Variable([1.0])
    >>> opt.apply([np.array([4.0])], [w])  # the gradient of 4 * loss: 1 after unscaling
    >>> w.numpy().tolist()
    [0.5]
    >>> opt.apply([np.array([np.inf])], [w])  # skipped, and the scale halves
    >>> w.numpy().tolist(), float(opt.dynamic_scale.numpy())
    ([0.5], 2.0)
    """

    def __init__(
        self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Set `loss_scale_factor` "
                "on the inner optimizer instead."
            )
        for arg, default in _BASE_DEFAULTS.items():
            if arg in kwargs and kwargs.pop(arg) != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{arg}`. Set `{arg}` on the "
                    "`inner_optimizer` instead."
                )
        if kwargs:
            raise ValueError(f"LossScaleOptimizer does not support arguments: {sorted(kwargs)}")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                "LossScaleOptimizer: `inner_optimizer` must be an Optimizer instance. "
                f"Received: inner_optimizer={inner_optimizer!r}"
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        self.inner_optimizer.loss_scale_factor = None

    def build(self, variables):
        if self.built:
            return
        self.step_counter = self.add_variable((), "zeros", "int32", name="step_counter")
        self.dynamic_scale = self.add_variable(
            (), float(self.initial_scale), "float32", name="dynamic_scale"
        )
        self.inner_optimizer.build(variables)
        super().build(variables)

    @property
    def variables(self):
        return self._variables + self.inner_optimizer.variables

    def apply(self, grads, trainable_variables=None):
        if not self.built:
            self.build(trainable_variables)
        # averaged over the processes first, so every process takes the same finite/skip path
        grads = data_parallel.reduce_gradients([None if g is None else _array(g) for g in grads])
        if all(np.all(np.isfinite(g)) for g in grads if g is not None):
            variables = trainable_variables or self._trainable_variables
            scale = self.dynamic_scale.data
            unscaled = [  # a variable overwritten by its gradient takes it as is
                g if g is None or getattr(v, "overwrite_with_gradient", False) else g / scale
                for g, v in zip(grads, variables)
            ]
            with data_parallel.gradients_reduced():
                self.inner_optimizer.apply(unscaled, trainable_variables)
            if int(self.step_counter.data) == self.dynamic_growth_steps - 1:
                self.step_counter.data[...] = 0  # growth_steps finite steps: double the scale
                self.dynamic_scale.data *= 2
            else:
                self.step_counter.data += 1
        else:  # skip the step, halve the scale
            self.step_counter.data[...] = 0
            self.dynamic_scale.data *= np.float32(0.5)

    def scale_loss(self, loss):
        """The loss times the current loss scale (`initial_scale` before the first step)."""
        return loss * float(self.dynamic_scale.data if self.built else self.initial_scale)

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    @iterations.setter
    def iterations(self, value):
        self.inner_optimizer.iterations = value

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def set_weights(self, weights):
        if not self.built:
            raise ValueError("Call `optimizer.build(trainable_variables)` before `set_weights()`.")
        for v, w in zip(self.variables, weights):
            v.assign(np.asarray(_array(w)))

    def get_config(self):
        return {
            "name": self.name,
            "inner_optimizer": OPTIMIZERS.serialize(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        inner = OPTIMIZERS.deserialize(config.pop("inner_optimizer"), custom_objects)
        return cls(inner, **config)
