"""`RMSprop`: divide the gradient by a running RMS of recent gradients."""

import numpy as np

from .optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop (as `keras.optimizers.RMSprop`).

    `v = rho * v + (1 - rho) * g**2`; `step = lr * g / sqrt(v + epsilon)` (epsilon inside the
    sqrt); centered: `a = rho * a + (1 - rho) * g` and the denominator is
    `sqrt(v - a**2 + epsilon)`; with momentum: `m = momentum * m + step`, `w -= m`, else
    `w -= step`. Slots are grouped: all velocities, then momentums, then average gradients.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        rho: discount of the squared-gradient average (0.9).
        momentum: momentum (0 = none).
        epsilon: added inside the sqrt (1e-7).
        centered: normalise by the estimated variance instead of the second moment.
        **kwargs: the base `Optimizer` arguments.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> keras.optimizers.RMSprop(learning_rate=0.1).apply([np.array([1.0, -1.0])], [w])
    >>> print(w.numpy().round(4))  # one step
    [0.6838 2.3162]
    """

    def __init__(
        self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, **kwargs
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(variables, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(variables, "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        dt = variable.dtype
        rho, eps = np.asarray(self.rho, dt), np.asarray(self.epsilon, dt)
        v = self._velocities[i].data
        v[...] = rho * v + (1 - rho) * gradient * gradient  # v = rho v + (1 - rho) g^2
        if self.centered:
            a = self._average_gradients[i].data
            a[...] = rho * a + (1 - rho) * gradient  # a = rho a + (1 - rho) g
            denominator = v - a * a + eps
        else:
            denominator = v + eps
        increment = np.asarray(learning_rate, dt) * gradient / np.sqrt(denominator)
        if self.momentum > 0:
            m = self._momentums[i].data
            m[...] = np.asarray(self.momentum, dt) * m + increment  # m = momentum m + step
            variable.data -= m
        else:
            variable.data -= increment

    def get_config(self):
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
