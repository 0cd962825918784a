"""`Muon`: momentum orthogonalised by Newton-Schulz for 2-D weights, AdamW for the rest."""

import re

import numpy as np

from .optimizer import Optimizer


def _swap_last_axes(x):
    return np.swapaxes(x, -1, -2)


class Muon(Optimizer):
    """Muon (as `keras.optimizers.Muon`): MomentUm Orthogonalized by Newton-Schulz.

    A 2-D weight keeps a momentum `m = momentum * m + g` and steps along its approximate
    orthogonalisation: with `d = g + momentum * m` (Nesterov) or `d = m`, `X = d / (||d|| + 1e-7)`
    (transposed when it has more rows than columns), then `ns_steps` times
    `A = X X^T`, `X = a X + (b A + c A A) X`; the step is `w -= lr * X`, scaled by
    `sqrt(max(rows, cols)) * rms_rate` unless `rms_rate` is None (Moonlight's adjustment).
    Every other weight (rank != 2, a path containing "embedding" when `exclude_embeddings`, or a
    path matching one of the `exclude_layers` regexes) takes an AdamW step with learning rate
    `lr * adam_lr_ratio`: `m = b1 * m + (1 - b1) * g`, `v = b2 * v + (1 - b2) * g**2`,
    `w -= lr * sqrt(1 - b2**t) / (1 - b1**t) * m / (sqrt(v) + epsilon)`. Decoupled weight decay
    `w -= w * wd * lr` uses `weight_decay` for Muon weights and `adam_weight_decay` for AdamW
    ones.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        adam_beta_1, adam_beta_2: the AdamW moments' decays (0.9, 0.999).
        adam_weight_decay: weight decay of the AdamW weights (0.004).
        epsilon: AdamW's epsilon (1e-7).
        weight_decay: weight decay of the Muon weights (0.004).
        exclude_layers: regexes; weights whose path matches one use AdamW (None: none).
        exclude_embeddings: weights with "embedding" in their path use AdamW (True).
        muon_a, muon_b, muon_c: the quintic Newton-Schulz coefficients (3.4445, -4.7750, 2.0315).
        adam_lr_ratio: AdamW's learning rate relative to `learning_rate` (1).
        momentum: Muon's momentum (0.95).
        ns_steps: Newton-Schulz iterations (5).
        nesterov: use Nesterov momentum (True).
        rms_rate: scale of the Moonlight step adjustment, or None for none (0.2).
        **kwargs: the base `Optimizer` arguments.

    Slots, per weight (Keras's order): `<weight>_momentum`, then `<weight>_velocity` for AdamW
    weights only.

    >>> import numpy as np, minikeras as keras
    >>> w = keras.Variable(np.zeros((2, 2), "float32"))
    >>> opt = keras.optimizers.Muon(learning_rate=0.1, rms_rate=None, weight_decay=None)
    >>> opt.apply([np.eye(2) * 3.0], [w])  # orthogonalised 3 * I: about I, so w is about -lr * I
    >>> print(w.numpy().round(2))
    [[-0.11  0.  ]
     [ 0.   -0.11]]
    """

    def __init__(
        self,
        learning_rate=0.001,
        adam_beta_1=0.9,
        adam_beta_2=0.999,
        adam_weight_decay=0.004,
        epsilon=1e-7,
        weight_decay=0.004,
        exclude_layers=None,
        exclude_embeddings=True,
        muon_a=3.4445,
        muon_b=-4.7750,
        muon_c=2.0315,
        adam_lr_ratio=1,
        momentum=0.95,
        ns_steps=5,
        nesterov=True,
        rms_rate=0.2,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, **kwargs)
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        """AdamW for weights of rank != 2, embeddings (if excluded) and `exclude_layers`."""
        if len(variable.shape) != 2:
            return True
        path = getattr(variable, "path", None) or str(variable.name)
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(pattern, path) for pattern in self.exclude_layers)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = [None] * len(variables)
        self.adam_velocities = [None] * len(variables)
        for i, var in enumerate(variables):
            if getattr(var, "overwrite_with_gradient", False):
                continue
            self.momentums[i] = self.add_variable_from_reference(var, "momentum")
            if self._should_use_adamw(var):
                self.adam_velocities[i] = self.add_variable_from_reference(var, "velocity")

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        m, v = self.momentums[i], self.adam_velocities[i]
        dt = variable.dtype.type  # the math runs in the weight's dtype, as in Keras
        if v is not None:  # a velocity slot marks an AdamW weight
            lr = dt(learning_rate) * dt(self.adam_lr_ratio)
            self._adamw_step(gradient, variable.data, lr, m.data, v.data)
        else:
            self._muon_step(gradient, variable.data, dt(learning_rate), m.data)

    def _muon_step(self, gradient, w, lr, m):
        dt = w.dtype.type
        # m = momentum * m + g, written m += g + (momentum - 1) * m
        m += gradient + m * dt(self.momentum - 1)
        direction = gradient + dt(self.momentum) * m if self.nesterov else m
        step = lr * self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        if self.rms_rate is not None:  # Moonlight: * sqrt(max(rows, cols)) * rms_rate
            step = step * np.sqrt(dt(max(step.shape[0], step.shape[1]))) * dt(self.rms_rate)
        w -= step

    def _adamw_step(self, gradient, w, lr, m, v):
        dt = w.dtype.type
        t = dt(float(np.asarray(self.iterations)) + 1)
        b1_t, b2_t = np.power(dt(self.adam_beta_1), t), np.power(dt(self.adam_beta_2), t)
        # alpha = lr * sqrt(1 - b2**t) / (1 - b1**t)
        alpha = lr * np.sqrt(dt(1) - b2_t) / (dt(1) - b1_t)
        m += (gradient - m) * dt(1 - self.adam_beta_1)
        v += (np.square(gradient) - v) * dt(1 - self.adam_beta_2)
        # w -= alpha * m / (sqrt(v) + epsilon)
        w -= (m * alpha) / (np.sqrt(v) + dt(self.epsilon))

    def zeropower_via_newtonschulz5(self, x, steps):
        """The quintic Newton-Schulz iteration: an approximate `U V^T` of `x = U S V^T` (its
        singular values land near 1, not exactly on it), over the last two axes."""
        x = np.asarray(x)
        if x.ndim < 2:
            raise ValueError(
                "Muon: expected a gradient or momentum of at least 2 dimensions. "
                f"Received: shape={x.shape}"
            )
        dt = x.dtype.type
        a, b, c = dt(self.muon_a), dt(self.muon_b), dt(self.muon_c)
        tall = x.shape[-2] > x.shape[-1]
        if tall:  # iterate on the smaller Gram matrix
            x = _swap_last_axes(x)
        # ||X||_F >= spectral norm, so the scaled X has singular values <= 1
        norm = np.sqrt(np.sum(np.square(x), axis=(-2, -1), keepdims=True))
        x = x / (norm + dt(1e-7))
        for _ in range(steps):
            gram = x @ _swap_last_axes(x)
            # X = a X + (b A + c A A) X
            x = a * x + (b * gram + (c * gram) @ gram) @ x
        return _swap_last_axes(x) if tall else x

    def _apply_weight_decay(self, variables, lr):
        for var in variables:
            if not self._use_weight_decay(var):
                continue
            adamw = self._should_use_adamw(var)
            wd = self.adam_weight_decay if adamw else self.weight_decay
            if wd is None:
                continue
            dt = var.dtype.type
            # w -= w * wd * lr, with Muon's or AdamW's decay
            var.data -= var.data * dt(wd) * dt(lr)

    def get_config(self):
        return {
            **super().get_config(),
            "adam_beta_1": self.adam_beta_1,
            "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon,
            "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a,
            "muon_b": self.muon_b,
            "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio,
            "momentum": self.momentum,
            "ns_steps": self.ns_steps,
            "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay,
            "rms_rate": self.rms_rate,
        }
