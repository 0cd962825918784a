"""`Adam`, with the fused numba update (`kernels/adam.py`)."""

import numpy as np

from ..kernels import load as load_kernels
from .moments import MomentOptimizer


class Adam(MomentOptimizer):
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
        super().__init__(learning_rate, beta_1, beta_2, epsilon, **kwargs)
        self.amsgrad = amsgrad

    def build(self, variables):
        if self.built:
            return
        super().build(variables)  # the momentum and velocity slots
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat")
        # variable index -> (its arrays, their flat views for the kernel or None), see
        # _backend_update_step
        self._flat_views = {}

    def update_step(self, gradient, variable, learning_rate):
        self._update(gradient, variable, self._step_size(learning_rate, variable.data.dtype))

    def _step_size(self, learning_rate, dtype):
        """alpha for this step: the learning rate with both bias corrections folded in, computed
        in the weight's dtype as Keras 3 does (float32 beta powers for float32 weights: 1 - b2**t
        in float64 moves a 0.1 step by ~1e-6)."""
        one = np.dtype(dtype).type(1)
        t = one * (float(np.asarray(self.iterations)) + 1)
        b1, b2 = np.power(one * self.beta_1, t), np.power(one * self.beta_2, t)
        return one * np.asarray(learning_rate) * np.sqrt(one - b2) / (one - b1)

    def _arrays(self, i, variable):
        """(w, m, v, vhat) of the variable with index i; vhat is v without amsgrad."""
        w, m, v = variable.data, self._momentums[i].data, self._velocities[i].data
        return w, m, v, (self._velocity_hats[i].data if self.amsgrad else v)

    def _update(self, gradient, variable, alpha):
        w, m, v, vhat = self._arrays(self._get_variable_index(variable), variable)
        fused_adam(
            w, gradient, m, v, vhat, alpha, self.beta_1, self.beta_2, self.epsilon, self.amsgrad
        )

    def _backend_update_step(self, grads, variables, learning_rate):
        if type(self).update_step is not Adam.update_step:  # a subclass's own update rule
            return super()._backend_update_step(grads, variables, learning_rate)
        kernel = load_kernels("adam")
        scalars = {}
        for g, variable in zip(grads, variables):
            i = self._get_variable_index(variable)
            arrays = self._arrays(i, variable)
            # the kernel's flat views, checked once per set of arrays rather than every step
            cached = self._flat_views.get(i)
            if cached is None or any(a is not b for a, b in zip(cached[0], arrays)):
                cached = self._flat_views[i] = (arrays, _flat_views(*arrays))
            views, dt = cached[1], arrays[0].dtype
            if views is None or g.dtype != dt or not g.flags.c_contiguous:
                w, m, v, vhat = arrays  # the general path: it converts g or falls back
                alpha = self._step_size(learning_rate, dt)
                fused_adam(
                    w, g, m, v, vhat, alpha, self.beta_1, self.beta_2, self.epsilon, self.amsgrad
                )
                continue
            sc = scalars.get(dt)
            if sc is None:
                alpha = self._step_size(learning_rate, dt)  # once per step and dtype
                sc = scalars[dt] = _scalars(dt, alpha, self.beta_1, self.beta_2, self.epsilon)
            kernel.adam_update(views[0], g.reshape(-1), *views[1:], *sc, bool(self.amsgrad))

    def get_config(self):
        return {**super().get_config(), "amsgrad": self.amsgrad}


def _scalars(dt, alpha, beta_1, beta_2, epsilon):
    return dt.type(alpha), dt.type(1 - beta_1), dt.type(1 - beta_2), dt.type(epsilon)


def _flat_views(w, m, v, vhat):
    """1-D views of the weight and its slots for the numba kernel, or None when it cannot run
    on them (other dtypes, float16, non-contiguous arrays, or JIT disabled, where the loop would
    be slow)."""
    dt = w.dtype
    usable = (
        dt.kind == "f"
        and dt.itemsize >= 4
        and not load_kernels("adam").numba.config.DISABLE_JIT
        and all(
            a.flags.c_contiguous and a.dtype == dt and a.shape == w.shape for a in (w, m, v, vhat)
        )
    )
    return tuple(a.reshape(-1) for a in (w, m, v, vhat)) if usable else None


def fused_adam(w, g, m, v, vhat, alpha, beta_1, beta_2, epsilon, amsgrad):
    """Runs the Adam update in place: the numba kernel on contiguous float arrays of one dtype,
    the numpy reference otherwise (or when JIT is disabled, where the loop would be slow)."""
    kernel = load_kernels("adam")
    dt = w.dtype
    if g.dtype != dt or not g.flags.c_contiguous:
        g = np.ascontiguousarray(g, dtype=dt)
    scalars = _scalars(dt, alpha, beta_1, beta_2, epsilon)
    views = _flat_views(w, m, v, vhat)
    if views is not None:
        # flat views of the same memory: the kernel's loop stays inside every array
        kernel.adam_update(views[0], g.reshape(-1), *views[1:], *scalars, bool(amsgrad))
    else:
        kernel.adam_update_ref(w, g, m, v, vhat, *scalars, bool(amsgrad))
