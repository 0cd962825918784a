"""`Lion`: sign-of-momentum updates (Chen et al., 2023)."""

import numpy as np

from .optimizer import Optimizer


class Lion(Optimizer):
    """Lion (as `keras.optimizers.Lion`): every weight moves by exactly `lr` per step.

    `w -= lr * sign(b1 * m + (1 - b1) * g)`, then `m = b2 * m + (1 - b2) * g`. The sign makes
    the step larger than Adam's, so Lion wants a 3-10x smaller learning rate (and a 3-10x larger
    `weight_decay`) than AdamW.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: mixes the gradient into the momentum for the update direction (0.9); in (0, 1].
        beta_2: decay of the momentum that is kept (0.99).
        **kwargs: the base `Optimizer` arguments.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> keras.optimizers.Lion(learning_rate=0.1).apply([np.array([3.0, -0.5])], [w])
    >>> print(w.numpy().round(4))  # one step: +-lr whatever the gradient's size
    [0.9 2.1]
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1  # a TypeError naming the argument for a non-number (the base class)
        if not callable(beta_1) and (beta_1 <= 0 or beta_1 > 1):
            raise ValueError(
                "Argument `beta_1` must be in the (0, 1] range; with 0 Lion is SignSGD. "
                f"Received: beta_1={beta_1}"
            )
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype.type
        lr, b1, b2 = dt(learning_rate), dt(self.beta_1), dt(self.beta_2)
        m = self._momentums[self._get_variable_index(variable)].data
        # w -= lr * sign(b1 * m + (1 - b1) * g)
        variable.data -= lr * np.sign(m * b1 + gradient * (dt(1) - b1))
        # m = b2 * m + (1 - b2) * g
        m[...] = m * b2 + gradient * (dt(1) - b2)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
