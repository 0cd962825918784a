"""`Adam`, with the fused numba update (`kernels/adam.py`)."""

import math

import numpy as np

from .optimizer import Optimizer


class Adam(Optimizer):
    """Adam (as `keras.optimizers.Adam`): bias correction folded into the step size.

    Step t (1-based): `m = b1 * m + (1 - b1) * g`, `v = b2 * v + (1 - b2) * g**2`,
    `alpha = lr * sqrt(1 - b2**t) / (1 - b1**t)`, `w -= alpha * m / (sqrt(v) + epsilon)`.
    With `amsgrad`, `v_hat = max(v_hat, v)` replaces `v` in the last formula.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: decay of the first moment (0.9).
        beta_2: decay of the second moment (0.999).
        epsilon: added to `sqrt(v)` (1e-7, Keras's "epsilon hat").
        amsgrad: use the AMSGrad variant.
        **kwargs: the base `Optimizer` arguments.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> keras.optimizers.Adam(learning_rate=0.1).apply([np.array([1.0, -1.0])], [w])
    >>> print(w.numpy().round(4))  # one step
    [0.9 2.1]
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, **kwargs
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        t = float(np.asarray(self.iterations)) + 1
        alpha = learning_rate * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        w, m, v = variable.data, self._momentums[i].data, self._velocities[i].data
        vhat = self._velocity_hats[i].data if self.amsgrad else v
        fused_adam(
            w, gradient, m, v, vhat, alpha, self.beta_1, self.beta_2, self.epsilon, self.amsgrad
        )

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }


def fused_adam(w, g, m, v, vhat, alpha, beta_1, beta_2, epsilon, amsgrad):
    """Runs the Adam update in place: the numba kernel on contiguous float arrays of one dtype,
    the numpy reference otherwise (or when JIT is disabled, where the loop would be slow)."""
    import numba  # imported on the first step, so that importing the optimizers stays light

    from ..kernels import adam as adam_kernel

    dt = w.dtype
    g = np.ascontiguousarray(g, dtype=dt)
    arrays = (w, g, m, v, vhat)
    scalars = [dt.type(x) for x in (alpha, 1 - beta_1, 1 - beta_2, epsilon)]
    usable = (
        dt.kind == "f"
        and dt.itemsize >= 4
        and not numba.config.DISABLE_JIT
        and all(a.flags.c_contiguous and a.dtype == dt and a.shape == w.shape for a in arrays)
    )
    if usable:
        # flat views of the same memory: the kernel's loop stays inside every array
        flat = [a.reshape(-1) for a in arrays]
        adam_kernel.adam_update(*flat, *scalars, bool(amsgrad))
    else:
        adam_kernel.adam_update_ref(w, g, m, v, vhat, *scalars, bool(amsgrad))
