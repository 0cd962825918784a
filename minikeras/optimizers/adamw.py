"""`AdamW`: Adam with decoupled weight decay (on by default)."""

from .adam import Adam


class AdamW(Adam):
    """Adam with decoupled weight decay (as `keras.optimizers.AdamW`).

    Each step first does `w -= w * weight_decay * lr` (skipping variables excluded with
    `exclude_from_weight_decay`), then the Adam update.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        weight_decay: the decay rate (default 0.004); must not be None.
        beta_1, beta_2, epsilon, amsgrad: as `Adam`.
        **kwargs: the base `Optimizer` arguments.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable([1.0, 2.0])
    >>> keras.optimizers.AdamW(learning_rate=0.1).apply([np.array([1.0, -1.0])], [w])
    >>> print(w.numpy().round(4))  # one step
    [0.8996 2.0992]
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            weight_decay=weight_decay,
            **kwargs,
        )
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
