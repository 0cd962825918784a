"""`AugMix`: mixes the image with a weighted sum of randomly augmented copies."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, keras_factor
from .augmentation_ops import build_ops, run_op

ALL_OPS = (
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
)
GEOMETRIC_OPS = ALL_OPS[:7]


class AugMix(ImageAugmentationLayer):
    """AugMix (Hendrycks et al., 2020) as in Keras 3, during training.

    Per call: chain weights `m ~ Dirichlet(alpha)` over `num_chains` chains and a mixing
    weight `w ~ Beta(alpha, alpha)`; each chain applies `chain_depth` steps, each an operation
    chosen uniformly from the list or "no operation" (one of `len(ops) + 1` choices). The
    output is `w x + (1 - w) sum_k m_k chain_k(x)`, clipped to `value_range`. The list has
    shear, translation, rotation, posterization, solarization, auto contrast and equalization,
    plus brightness, colour degeneration, contrast and sharpness when `all_ops`, each made with
    `factor` as Keras makes them. (Keras picks the operations with Python's global `random`
    module; minikeras draws them from the layer's generator, so a `seed` repeats them.)

    Args:
        value_range: (low, high) of the pixel values.
        num_chains: the number of augmented copies mixed.
        chain_depth: the number of steps in each chain.
        factor: a number f in [0, 1] (strengths in [0, f]) or a pair within [0, 1].
        alpha: the Dirichlet and Beta parameter.
        all_ops: include the colour operations.
        interpolation: "bilinear" or "nearest", for the geometric operations.
        seed: an int for a repeatable sequence.
        data_format: "channels_last" (default) or "channels_first".

    The transformation is `{"chain_mixing_weights": (num_chains,), "weight_sample": w,
    "chain_transforms": [[{"layer_name": name, "seed": int}, ...] per chain]}`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.AugMix(value_range=(0, 1), seed=1)
    >>> x = np.random.default_rng(0).uniform(size=(2, 8, 8, 3))
    >>> y = layer(x).numpy()
    >>> y.shape, bool(y.min() >= 0 and y.max() <= 1)
    ((2, 8, 8, 3), True)
    """

    def __init__(
        self,
        value_range=(0, 255),
        num_chains=3,
        chain_depth=3,
        factor=0.3,
        alpha=1.0,
        all_ops=True,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        self.value_range = value_range
        self.num_chains, self.chain_depth = num_chains, chain_depth
        self.factor = keras_factor(factor, "factor", 0.0, 1.0)
        self.alpha, self.all_ops, self.interpolation = alpha, all_ops, interpolation
        self._names = ALL_OPS if all_ops else GEOMETRIC_OPS
        self._ops = build_ops(self._names, self.factor, value_range, interpolation)
        self._op_layers = tuple(self._ops.values())  # tracked as sublayers

    def draw(self, rng, batch, height, width, channels):
        gamma = rng.gamma(self.alpha, size=self.num_chains)
        chains = []
        for _ in range(self.num_chains):
            steps = []
            for _ in range(self.chain_depth):
                k = int(rng.integers(0, len(self._names) + 1))  # the last choice: no step
                if k < len(self._names):
                    steps.append(
                        {"layer_name": self._names[k], "seed": int(rng.integers(0, 2**31 - 1))}
                    )
            chains.append(steps)
        return {
            "chain_mixing_weights": (gamma / gamma.sum()).astype(np.float32),
            "weight_sample": np.float32(rng.beta(self.alpha, self.alpha)),
            "chain_transforms": chains,
        }

    def apply(self, images, transformation):
        m = as_array(transformation["chain_mixing_weights"], images.dtype).reshape(-1)
        w = float(as_array(transformation["weight_sample"]))
        mixed = None
        for k, chain in enumerate(transformation["chain_transforms"]):
            x = images
            for step in chain:
                x = run_op(
                    self._ops[step["layer_name"]],
                    x,
                    np.random.default_rng(int(step.get("seed", 0))),
                )
            term = x * float(m[k])
            mixed = term if mixed is None else mixed + term
        y = images * w + mixed * (1.0 - w) if mixed is not None else images * w
        return ops.clip(y, self.value_range[0], self.value_range[1])

    def get_config(self):
        value_range = (
            list(self.value_range) if isinstance(self.value_range, tuple) else self.value_range
        )
        return {
            **super().get_config(),
            "value_range": value_range,
            "num_chains": self.num_chains,
            "chain_depth": self.chain_depth,
            "factor": self.factor,
            "alpha": self.alpha,
            "all_ops": self.all_ops,
            "interpolation": self.interpolation,
        }
