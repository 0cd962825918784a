"""`Adafactor`: Adam-like steps with a factored second moment (Shazeer & Stern, 2018)."""

import numpy as np

from .optimizer import Optimizer


def _rms(x):
    return np.sqrt(np.mean(np.square(x)))


class Adafactor(Optimizer):
    """Adafactor (as `keras.optimizers.Adafactor`): memory-light adaptive steps.

    Step t (1-based), with `rho = min(lr, 1 / sqrt(t))`, `alpha = max(epsilon_2, rms(w)) * rho`,
    `b = 1 - t**beta_2_decay` and `s = g**2 + epsilon_1`: a weight of rank >= 2 keeps only the
    row and column means of `s` over its last two axes,
    `r = b * r + (1 - b) * mean(s, -1)`, `c = b * c + (1 - b) * mean(s, -2)`,
    `v = (r / mean(r, -1))[..., None] * c[..., None, :]`; smaller weights keep
    `v = b * v + (1 - b) * s`. Then `u = g / sqrt(v)` and
    `w -= alpha * u / max(1, rms(u) / clip_threshold)`.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_2_decay: exponent of the second-moment decay schedule (-0.8).
        epsilon_1: added to `g**2` (1e-30).
        epsilon_2: lower bound of the weight RMS that scales the step (1e-3).
        clip_threshold: bound of the update's RMS (1.0).
        relative_step: cap a float learning rate at `1 / sqrt(t)` (True).
        **kwargs: the base `Optimizer` arguments.

    Slots, per weight (Keras's order): for rank >= 2 the row and column accumulators, named after
    the weight, then `<weight>_velocity`; for rank < 2 two unused scalar placeholders (as Keras
    creates them, so saved optimizer states line up) and the velocity.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable(np.ones((2, 2), "float32"))
    >>> keras.optimizers.Adafactor(learning_rate=0.1).apply([np.ones((2, 2))], [w])
    >>> print(w.numpy().round(4))  # rms(w) = 1, so each weight moves 0.1
    [[0.9 0.9]
     [0.9 0.9]]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._r, self._c, self._v = [], [], []
        for var in variables:
            name = str(var.name)
            if len(var.shape) < 2:
                # unfactored: Keras still makes two int32 scalar placeholders
                self._r.append(self.add_variable((), "zeros", "int32", name=name))
                self._c.append(self.add_variable((), "zeros", "int32", name=name))
            elif getattr(var, "overwrite_with_gradient", False):
                self._r.append(None)
                self._c.append(None)
            else:  # factor the last two axes
                shape = tuple(var.shape)
                self._r.append(self.add_variable(shape[:-1], "zeros", var.dtype, name=name))
                self._c.append(
                    self.add_variable(shape[:-2] + shape[-1:], "zeros", var.dtype, name=name)
                )
            slot = None
            if not getattr(var, "overwrite_with_gradient", False):
                slot = self.add_variable_from_reference(var, "velocity")
            self._v.append(slot)

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype.type  # the math runs in the weight's dtype, as in Keras
        i = self._get_variable_index(variable)
        w, v = variable.data, self._v[i].data
        t = dt(float(np.asarray(self.iterations)) + 1)
        lr = dt(learning_rate)
        if not callable(self._learning_rate) and self.relative_step:
            lr = min(lr, dt(1) / np.sqrt(t))
        rho = min(lr, dt(1) / np.sqrt(t))
        # alpha = max(epsilon_2, rms(w)) * rho
        alpha = max(dt(self.epsilon_2), _rms(w)) * rho
        sq = np.square(gradient) + dt(self.epsilon_1)
        # b = 1 - t**beta_2_decay
        b = dt(1) - np.power(t, dt(self.beta_2_decay))
        if w.ndim >= 2:
            r, c = self._r[i].data, self._c[i].data
            r[...] = b * r + (dt(1) - b) * np.mean(sq, axis=-1)
            c[...] = b * c + (dt(1) - b) * np.mean(sq, axis=-2)
            # v = (r / mean(r)) (outer) c, over the last two axes
            v[...] = (r / np.mean(r, axis=-1, keepdims=True))[..., None] * c[..., None, :]
        else:
            v[...] = b * v + (dt(1) - b) * sq
        u = gradient / np.sqrt(v)
        # w -= alpha * u / max(1, rms(u) / clip_threshold)
        w -= alpha * (u / max(dt(1), _rms(u) / dt(self.clip_threshold)))

    def get_config(self):
        return {
            **super().get_config(),
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }
