"""`Adamax`: Adam with the infinity norm."""

import numpy as np

from .moments import MomentOptimizer


class Adamax(MomentOptimizer):
    """Adamax (as `keras.optimizers.Adamax`).

    `m = b1 * m + (1 - b1) * g`, `u = max(b2 * u, |g|)`,
    `w -= lr * m / ((1 - b1**t) * (u + epsilon))`.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: decay of the first moment (0.9).
        beta_2: decay of the infinity norm (0.999).
        epsilon: added to `u` (1e-7).
        **kwargs: the base `Optimizer` arguments.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> keras.optimizers.Adamax(learning_rate=0.1).apply([np.array([1.0, -1.0])], [w])
    >>> print(w.numpy().round(4))  # one step
    [0.9 2.1]
    """

    _slot_names = ("momentum", "norm")  # the second slot holds the infinity norm u

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        dt = variable.dtype
        t = float(np.asarray(self.iterations)) + 1
        m, u = self._momentums[i].data, self._velocities[i].data
        m += (gradient - m) * np.asarray(1 - self.beta_1, dt)  # m = b1 * m + (1 - b1) * g
        np.maximum(np.asarray(self.beta_2, dt) * u, np.abs(gradient), out=u)  # u = max(b2 u, |g|)
        # w -= lr * m / ((1 - b1**t) * (u + epsilon))
        variable.data -= (
            np.asarray(learning_rate, dt)
            * m
            / (np.asarray(1 - self.beta_1**t, dt) * (u + np.asarray(self.epsilon, dt)))
        )
