"""`MomentOptimizer`: the base of the Adam family (Adam, Adamax, Nadam, Lamb).

It keeps `beta_1`, `beta_2` and `epsilon`, builds two slots per trainable variable (a first
moment and a second statistic, named by `_slot_names` as in Keras 3's variable names) and adds
the three arguments to the config. Subclasses write only their update rule.
"""

from .optimizer import Optimizer


class MomentOptimizer(Optimizer):
    # the names of the two slots: `self._momentums` and `self._velocities`, in this order
    _slot_names = ("momentum", "velocity")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, list(self._slot_names)
        )

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
