"""`Nadam`: Adam with Nesterov momentum (Dozat's momentum schedule)."""

import numpy as np

from .moments import MomentOptimizer


class Nadam(MomentOptimizer):
    """Nadam (as `keras.optimizers.Nadam`).

    With `u_t = b1 * (1 - 0.5 * 0.96**t)` and the running product `U_t = u_1 * ... * u_t`:
    `m = b1 * m + (1 - b1) * g`, `v = b2 * v + (1 - b2) * g**2`,
    `m_hat = u_{t+1} * m / (1 - U_t * u_{t+1}) + (1 - u_t) * g / (1 - U_t)`,
    `v_hat = v / (1 - b2**t)`, `w -= lr * m_hat / (sqrt(v_hat) + epsilon)`.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1, beta_2, epsilon: as `Adam` (0.9, 0.999, 1e-7).
        **kwargs: the base `Optimizer` arguments.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> keras.optimizers.Nadam(learning_rate=0.1).apply([np.array([1.0, -1.0])], [w])
    >>> print(w.numpy().round(4))  # one step
    [0.8937 2.1063]
    """

    def build(self, variables):
        if self.built:
            return
        super().build(variables)  # the momentum and velocity slots
        dtype = variables[0].dtype if variables else "float32"
        # Keras 3 makes it a plain unnamed Variable: its path is "<optimizer>/variable"
        self._u_product = self.add_variable((), "ones", dtype)

    def _backend_update_step(self, grads, variables, learning_rate):
        t = float(np.asarray(self.iterations)) + 1
        # U_t = U_{t-1} * u_t, once per step before the per-weight updates
        self._u_product.data *= np.asarray(
            self.beta_1 * (1.0 - 0.5 * 0.96**t), self._u_product.dtype
        )
        super()._backend_update_step(grads, variables, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        dt = variable.dtype
        t = float(np.asarray(self.iterations)) + 1
        b1, b2 = self.beta_1, self.beta_2
        u_t = b1 * (1.0 - 0.5 * 0.96**t)
        u_next = b1 * (1.0 - 0.5 * 0.96 ** (t + 1))
        u_prod = float(self._u_product.data)
        m, v = self._momentums[i].data, self._velocities[i].data
        m += (gradient - m) * np.asarray(1 - b1, dt)
        v += (gradient * gradient - v) * np.asarray(1 - b2, dt)
        m_hat = (
            np.asarray(u_next / (1 - u_prod * u_next), dt) * m
            + np.asarray((1 - u_t) / (1 - u_prod), dt) * gradient
        )
        v_hat = v / np.asarray(1 - b2**t, dt)
        variable.data -= (
            np.asarray(learning_rate, dt) * m_hat / (np.sqrt(v_hat) + np.asarray(self.epsilon, dt))
        )
