"""`Adadelta`: steps scaled by running RMS of past updates over running RMS of gradients."""

import numpy as np

from .optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta (as `keras.optimizers.Adadelta`).

    `G = rho * G + (1 - rho) * g**2`,
    `delta = -sqrt(D + epsilon) * g / sqrt(G + epsilon)`,
    `D = rho * D + (1 - rho) * delta**2`, `w += lr * delta`.

    Args:
        learning_rate: float, schedule or callable (default 0.001; 1.0 is the paper's form).
        rho: decay rate (0.95).
        epsilon: added inside both square roots (1e-7).
        **kwargs: the base `Optimizer` arguments.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> keras.optimizers.Adadelta(learning_rate=1.0).apply([np.array([1.0, -1.0])], [w])
    >>> print(w.numpy().round(4))  # one step: sqrt(1e-7) / sqrt(0.05) = 0.0014
    [0.9986 2.0014]
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            variables, ["accumulated_grad", "accumulated_delta_var"]
        )

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        dt = variable.dtype
        rho, eps = np.asarray(self.rho, dt), np.asarray(self.epsilon, dt)
        acc_g, acc_d = self._accumulated_grads[i].data, self._accumulated_delta_vars[i].data
        acc_g[...] = rho * acc_g + (1 - rho) * gradient * gradient
        delta = -np.sqrt(acc_d + eps) * gradient / np.sqrt(acc_g + eps)
        acc_d[...] = rho * acc_d + (1 - rho) * delta * delta
        variable.data += np.asarray(learning_rate, dt) * delta

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
