"""`Lamb`: Adam's direction scaled per weight by a trust ratio (You et al., 2019)."""

import numpy as np

from .moments import MomentOptimizer


class Lamb(MomentOptimizer):
    """Lamb (as `keras.optimizers.Lamb`): layer-wise adaptive large-batch optimisation.

    Step t (1-based): `m = b1 * m + (1 - b1) * g`, `v = b2 * v + (1 - b2) * g**2`,
    `u = (m / (1 - b1**t)) / (sqrt(v / (1 - b2**t)) + epsilon)`, then
    `w -= (||w|| / ||u||) * lr * u`, where the trust ratio is 1 if either norm is 0.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: decay of the first moment (0.9).
        beta_2: decay of the second moment (0.999).
        epsilon: added to the corrected `sqrt(v)` (1e-7).
        **kwargs: the base `Optimizer` arguments.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([3.0, 4.0])
    >>> keras.optimizers.Lamb(learning_rate=0.1).apply([np.array([1.0, -1.0])], [w])
    >>> print(w.numpy().round(4))  # ||w|| = 5, ||u|| = sqrt(2): each weight moves 0.5/sqrt(2)
    [2.6464 4.3536]
    """

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype.type  # the math runs in the weight's dtype, as in Keras
        i = self._get_variable_index(variable)
        m, v, w = self._momentums[i].data, self._velocities[i].data, variable.data
        t = dt(float(np.asarray(self.iterations)) + 1)
        b1_t, b2_t = np.power(dt(self.beta_1), t), np.power(dt(self.beta_2), t)
        # m = b1 * m + (1 - b1) * g ; v = b2 * v + (1 - b2) * g**2
        m += (gradient - m) * dt(1 - self.beta_1)
        v += (np.square(gradient) - v) * dt(1 - self.beta_2)
        # u = m_hat / (sqrt(v_hat) + epsilon)
        update = (m / (dt(1) - b1_t)) / (np.sqrt(v / (dt(1) - b2_t)) + dt(self.epsilon))
        w_norm, u_norm = np.sqrt(np.sum(np.square(w))), np.sqrt(np.sum(np.square(update)))
        # trust ratio ||w|| / ||u||, or 1 when either norm is 0
        ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else dt(1)
        w -= ratio * dt(learning_rate) * update
