"""`Adagrad`: per-parameter steps shrinking with the sum of squared gradients."""

import numpy as np

from .optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad (as `keras.optimizers.Adagrad`).

    `acc += g**2`; `w -= lr * g / sqrt(acc + epsilon)`, with `acc` starting at
    `initial_accumulator_value`.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        initial_accumulator_value: starting value of the accumulators (0.1).
        epsilon: added inside the sqrt (1e-7).
        **kwargs: the base `Optimizer` arguments.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> keras.optimizers.Adagrad(learning_rate=0.1).apply([np.array([1.0, -1.0])], [w])
    >>> print(w.numpy().round(4))  # one step
    [0.9047 2.0953]
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if initial_accumulator_value < 0:
            raise ValueError(
                "`initial_accumulator_value` must be non-negative. Received: "
                f"initial_accumulator_value={initial_accumulator_value}"
            )
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(
            variables, "accumulator", initializer=float(self.initial_accumulator_value)
        )

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        acc = self._accumulators[self._get_variable_index(variable)].data
        acc += gradient * gradient  # acc += g^2
        # w -= lr * g / sqrt(acc + epsilon)
        variable.data -= (
            np.asarray(learning_rate, dt) * gradient / np.sqrt(acc + np.asarray(self.epsilon, dt))
        )

    def get_config(self):
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }
