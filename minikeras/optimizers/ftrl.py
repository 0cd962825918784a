"""`Ftrl`: follow-the-regularized-leader (McMahan et al., 2013), for wide sparse models."""

import numpy as np

from .optimizer import Optimizer


class Ftrl(Optimizer):
    """FTRL-Proximal (as `keras.optimizers.Ftrl`), with L1, L2 and shrinkage-type L2.

    With `p = -learning_rate_power` and `l2 = l2_regularization_strength + beta / (2 * lr)`:
    `g_s = g + 2 * l2_shrinkage * w`, `n_new = n + g**2`,
    `z += g_s - (n_new**p - n**p) / lr * w`, `q = n_new**p / lr + 2 * l2`,
    `w = (clip(z, -l1, l1) - z) / q`, `n = n_new` (`n` is "accumulator", `z` is "linear").

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        learning_rate_power: how the per-weight step shrinks with the accumulator, <= 0 (-0.5).
        initial_accumulator_value: the accumulators' start value, >= 0 (0.1).
        l1_regularization_strength: >= 0 (0.0); weights with |z| <= l1 become exactly 0.
        l2_regularization_strength: >= 0 (0.0), the stabilisation L2 penalty.
        l2_shrinkage_regularization_strength: >= 0 (0.0), the magnitude (shrinkage) L2 penalty.
        beta: adds `beta / (2 * lr)` to the L2 strength (0.0).
        **kwargs: the base `Optimizer` arguments.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> keras.optimizers.Ftrl(learning_rate=0.1).apply([np.array([1.0, -1.0])], [w])
    >>> print(w.numpy().round(4))
    [0.6031 1.4923]
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        for arg, value, ok in [
            ("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
            ("learning_rate_power", learning_rate_power, "negative or zero"),
            ("l1_regularization_strength", l1_regularization_strength, "positive or zero"),
            ("l2_regularization_strength", l2_regularization_strength, "positive or zero"),
            (
                "l2_shrinkage_regularization_strength",
                l2_shrinkage_regularization_strength,
                "positive or zero",
            ),
        ]:
            if (value > 0.0) if ok == "negative or zero" else (value < 0.0):
                raise ValueError(f"Ftrl: `{arg}` needs to be {ok}. Received: {arg}={value}")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulators, self._linears = self.add_optimizer_variables(
            variables,
            ["accumulator", "linear"],
            initializer=[float(self.initial_accumulator_value), "zeros"],
        )

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype.type  # the math runs in the weight's dtype, as in Keras
        i = self._get_variable_index(variable)
        n, z, w = self._accumulators[i].data, self._linears[i].data, variable.data
        lr, p = dt(learning_rate), -self.learning_rate_power
        l1 = self.l1_regularization_strength
        # l2 = l2_regularization_strength + beta / (2 * lr)
        l2 = dt(self.l2_regularization_strength) + dt(self.beta) / (dt(2) * lr)
        # g_s = g + 2 * l2_shrinkage * w
        g_shrunk = gradient + dt(2 * self.l2_shrinkage_regularization_strength) * w
        n_new = n + np.square(gradient)
        # z += g_s - (n_new**p - n**p) / lr * w
        z += g_shrunk - (np.power(n_new, dt(p)) - np.power(n, dt(p))) / lr * w
        # q = n_new**p / lr + 2 * l2 ; w = (clip(z, -l1, l1) - z) / q
        quadratic = np.power(n_new, dt(p)) / lr + dt(2) * l2
        w[...] = (np.clip(z, dt(-l1), dt(l1)) - z) / quadratic
        n[...] = n_new

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }
