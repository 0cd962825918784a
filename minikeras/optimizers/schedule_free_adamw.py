"""`ScheduleFreeAdamW`: AdamW without a learning-rate schedule (Defazio et al., 2024)."""

import numpy as np

from .optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Schedule-Free AdamW (as `keras.optimizers.ScheduleFreeAdamW`).

    Gradient steps go to a base sequence `z` (the `momentum` slot, starting at the weights); the
    running average `x` of `z` (weight `1 / t`) is what a schedule's decay would give; the model
    weights are the interpolation `y = (1 - beta_1) z + beta_1 x`, where gradients are taken.
    `x` is not stored: it is recovered from `y` and the previous `z`, as Keras does.

    Args:
        learning_rate: float, schedule or callable (default 0.0025).
        beta_1: interpolation between `z` and `x` (0.9).
        beta_2: decay of the squared-gradient average (0.999).
        epsilon: added to the denominator (1e-8).
        warmup_steps: steps over which the learning rate grows linearly from 0 (0: none).
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `use_ema`, ...).

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> keras.optimizers.ScheduleFreeAdamW(learning_rate=0.1).apply([np.array([3.0, -0.5])], [w])
    >>> print(w.numpy().round(4))
    [0.9 2.1]
    """

    def __init__(
        self,
        learning_rate=0.0025,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        warmup_steps=0,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        for z, v in zip(self._momentums, variables):
            if z is not None:  # z starts at the weights
                z.data[...] = np.asarray(v.data)

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype.type
        one = dt(1)
        b1, b2, eps = dt(self.beta_1), dt(self.beta_2), dt(self.epsilon)
        t = dt(float(np.asarray(self.iterations)) + 1)
        lr = dt(learning_rate)
        if self.warmup_steps > 0:  # linear warmup: lr * min(t / warmup_steps, 1)
            lr = lr * min(t / dt(self.warmup_steps), one)
        index = self._get_variable_index(variable)
        z, v = self._momentums[index].data, self._velocities[index].data
        z_old = z.copy()
        # v = b2 * v + (1 - b2) * g^2, bias-corrected by 1 - b2^t
        v += (gradient * gradient - v) * (one - b2)
        denom = np.sqrt(v / (one - b2**t)) + eps
        # z -= lr * g / denom
        z -= lr * gradient / denom
        # x_old from y_old = (1 - b1) z_old + b1 x_old; x = (1 - 1/t) x_old + (1/t) z
        x_old = (variable.data - (one - b1) * z_old) / b1
        weight = one / t
        x = (one - weight) * x_old + weight * z
        # y = (1 - b1) z + b1 x
        variable.data[...] = (one - b1) * z + b1 * x

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "warmup_steps": self.warmup_steps,
        }
