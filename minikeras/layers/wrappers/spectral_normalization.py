"""`SpectralNormalization`: keep a wrapped layer's kernel at spectral norm 1 (Miyato et al.)."""

import numpy as np

from ... import initializers
from ..input_spec import InputSpec
from .wrapper import Wrapper


def _l2_normalize(x):
    # x / max(||x||, 1e-7) over all entries, as keras.ops.normalize(x, axis=None)
    return x / max(float(np.sqrt(np.sum(np.square(x, dtype=np.float64)))), 1e-7)


class SpectralNormalization(Wrapper):
    """Divides the wrapped layer's `kernel` (or `embeddings`) by its largest singular value.

    Each call with `training=True` runs `power_iterations` steps of power iteration on the
    kernel reshaped to `(-1, kernel.shape[-1])`, starting from the stored `vector_u`:
    `v = normalize(u W^T)`, `u = normalize(v W)`, `sigma = v W u^T`. It then stores the new `u`
    and, as Keras 3 does, writes `kernel / sigma` into the wrapped layer's kernel variable
    itself, before calling the layer. An all-zero kernel is left alone. Inference calls use the
    kernel as it stands.

    Args:
        layer: a layer with a `kernel` (`Dense`, `Conv2D`, ...) or `embeddings` (`Embedding`).
        power_iterations: int > 0, the power-iteration steps per training call.

    Weights, Keras 3 order: the wrapped kernel (tracked by the wrapper too), `vector_u`
    `(1, kernel.shape[-1])` (non-trainable, truncated normal with stddev 0.02), then the wrapped
    layer's other weights.

    >>> import numpy as np, minikeras as keras
    >>> keras.utils.set_random_seed(0)  # the kernel and u: power iteration's start
    >>> sn = keras.layers.SpectralNormalization(keras.layers.Dense(3, use_bias=False),
    ...                                         power_iterations=30)
    >>> _ = sn(np.ones((1, 4), "float32"), training=True)
    >>> round(float(np.linalg.norm(sn.layer.kernel.numpy(), 2)), 3)
    1.0
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel  # tracked as the wrapper's own first weight
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"SpectralNormalization layer '{self.name}': {type(self.layer).__name__} object "
                "has no attribute 'kernel' nor 'embeddings'"
            )
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            name="vector_u",
            dtype=self.kernel.dtype,
        )
        self.built = True

    def call(self, inputs, training=False):
        if training and np.any(self.kernel.data != 0):
            u, kernel = self.normalized_weights()
            self.vector_u.data[...] = u
            self.kernel.data[...] = kernel
        return self.layer(inputs)

    def normalized_weights(self):
        """The new `vector_u` and the spectrally normalised kernel, as numpy arrays."""
        w = np.asarray(self.kernel.data).reshape(-1, self.kernel_shape[-1])
        u = np.asarray(self.vector_u.data)
        for _ in range(self.power_iterations):
            v = _l2_normalize(u @ w.T)  # (1, rows)
            u = _l2_normalize(v @ w)  # (1, columns)
        sigma = (v @ w @ u.T).item()
        kernel = np.asarray(self.kernel.data) / np.asarray(sigma, self.kernel.data.dtype)
        return u.astype(self.vector_u.data.dtype), kernel

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
