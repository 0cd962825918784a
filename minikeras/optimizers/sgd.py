"""`SGD`: gradient descent, optionally with (Nesterov) momentum."""

import numpy as np

from .optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent with optional momentum (as `keras.optimizers.SGD`).

    Without momentum `w -= lr * g`; with it `m = momentum * m - lr * g` and then `w += m`,
    or `w += momentum * m - lr * g` when `nesterov=True`.

    Args:
        learning_rate: float, schedule or callable (default 0.01).
        momentum: float in [0, 1] (default 0).
        nesterov: whether to use Nesterov momentum.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `name`, ...).

    >>> import minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> SGD(0.1).apply([np.array([1.0, -1.0])], [w])
    >>> w.numpy().tolist()
    [0.8999999761581421, 2.0999999046325684]
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: {momentum}")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        w, dt = variable.data, variable.dtype
        lr_g = np.asarray(learning_rate, dt) * gradient
        if self.momentum == 0:
            w -= lr_g  # w -= lr * g
            return
        m = self.momentums[self._get_variable_index(variable)].data
        mom = np.asarray(self.momentum, dt)
        m *= mom
        m -= lr_g  # m = momentum * m - lr * g
        if self.nesterov:
            w += mom * m - lr_g  # w += momentum * m - lr * g
        else:
            w += m

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
