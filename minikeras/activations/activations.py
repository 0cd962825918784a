"""The activation functions of `keras.activations`, each composed from `core.ops`."""

from ..core import ops
from ..core.ops import fused_bias_act


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with Keras's slope, cap and threshold options.

    With the defaults this is `max(x, 0)`. In general it returns `max_value` for
    `x >= max_value`, `x` for `threshold < x < max_value`, and `negative_slope * (x - threshold)`
    at or below `threshold`.

    Args:
        x: input tensor.
        negative_slope: slope below `threshold`.
        max_value: the largest value returned; `None` means no cap.
        threshold: values below it are damped (or set to 0 when `negative_slope` is 0).

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.relu([-2.0, 1.0, 8.0], max_value=6.0).numpy().tolist()
    [0.0, 1.0, 6.0]
    >>> keras.activations.relu([-2.0, 1.0], negative_slope=0.5).numpy().tolist()
    [-1.0, 1.0]
    """
    if negative_slope != 0 and max_value is None and threshold == 0:
        return ops.leaky_relu(x, negative_slope=negative_slope)
    if threshold != 0:
        out = ops.where(ops.greater(x, threshold), x, 0.0)
    elif max_value == 6:
        out, max_value = ops.relu6(x), None
    else:
        out = ops.relu(x)
    if max_value is not None:
        out = ops.clip(out, 0, max_value)
    if negative_slope != 0:
        out = ops.subtract(out, ops.multiply(ops.relu(ops.subtract(threshold, x)), negative_slope))
    return out


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for `x >= 0` and `negative_slope * x` below.

    Args:
        x: input tensor.
        negative_slope: slope for negative inputs.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.leaky_relu([-1.0, 2.0], negative_slope=0.5).numpy().tolist()
    [-0.5, 2.0]
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.relu6([-1.0, 3.0, 8.0]).numpy().tolist()
    [0.0, 3.0, 6.0]
    """
    return ops.relu6(x)


def sigmoid(x):
    """Logistic sigmoid `1 / (1 + exp(-x))`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, in (0, 1).

    >>> import minikeras as keras
    >>> keras.activations.sigmoid([0.0]).numpy().tolist()
    [0.5]
    """
    return ops.sigmoid(x)


def hard_sigmoid(x):
    """Keras 3's piecewise-linear sigmoid `clip(x / 6 + 0.5, 0, 1)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, in [0, 1].

    >>> import minikeras as keras
    >>> keras.activations.hard_sigmoid([-3.0, 0.0, 3.0]).numpy().tolist()
    [0.0, 0.5, 1.0]
    """
    return ops.hard_sigmoid(x)


def hard_sigmoid_keras2(x):
    """Keras 2's `hard_sigmoid`, `clip(0.2 * x + 0.5, 0, 1)`, for files written by Keras 2.

    `get("hard_sigmoid")` gives the Keras 3 function; loaders pick this one by `keras_version`.
    `serialize` writes it as `"hard_sigmoid"`, the name Keras 2 gave it.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, in [0, 1].

    >>> import minikeras as keras
    >>> keras.activations.hard_sigmoid_keras2([-3.0, 0.0, 2.5]).numpy().tolist()
    [0.0, 0.5, 1.0]
    """
    return ops.clip(ops.add(ops.multiply(x, 0.2), 0.5), 0.0, 1.0)


def softmax(x, axis=-1):
    """Softmax `exp(x) / sum(exp(x))` along `axis`.

    Args:
        x: input tensor.
        axis: the axis that sums to 1.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.softmax([[0.0, 0.0]]).numpy().tolist()
    [[0.5, 0.5]]
    """
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """Log-softmax `log(softmax(x))` along `axis`, computed stably.

    Args:
        x: input tensor.
        axis: the axis to normalise over.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.activations.log_softmax([0.0, 0.0]).numpy().round(4))
    [-0.6931 -0.6931]
    """
    return ops.log_softmax(x, axis=axis)


def tanh(x):
    """Hyperbolic tangent.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, in (-1, 1).

    >>> import minikeras as keras
    >>> keras.activations.tanh([0.0]).numpy().tolist()
    [0.0]
    """
    return ops.tanh(x)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0` and `alpha * (exp(x) - 1)` otherwise.

    Args:
        x: input tensor.
        alpha: scale of the negative part.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.activations.elu([-1.0, 2.0]).numpy().round(4))
    [-0.6321  2.    ]
    """
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled ELU `scale * elu(x, alpha)` with the self-normalising constants.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.activations.selu([0.0, 1.0]).numpy().round(4))
    [0.     1.0507]
    """
    return ops.selu(x)


def gelu(x, approximate=False):
    """Gaussian error linear unit `x * Phi(x)` (the exact erf form by default, as Keras).

    Args:
        x: input tensor.
        approximate: whether to use the tanh approximation.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.activations.gelu([0.0, 1.0]).numpy().round(4))
    [0.     0.8413]
    """
    return ops.gelu(x, approximate=approximate)


def softplus(x):
    """Softplus `log(exp(x) + 1)`, computed without overflow.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, positive.

    >>> import minikeras as keras
    >>> print(keras.activations.softplus([0.0]).numpy().round(4))
    [0.6931]
    """
    return ops.softplus(x)


def softsign(x):
    """Softsign `x / (|x| + 1)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, in (-1, 1).

    >>> import minikeras as keras
    >>> keras.activations.softsign([1.0, -3.0]).numpy().tolist()
    [0.5, -0.75]
    """
    return ops.softsign(x)


def silu(x):
    """Sigmoid linear unit `x * sigmoid(x)` (also `swish`).

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.activations.silu([0.0, 1.0]).numpy().round(4))
    [0.     0.7311]
    """
    return ops.silu(x)


def hard_silu(x):
    """Hard SiLU `x * hard_sigmoid(x)` (also `hard_swish`).

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.hard_silu([0.0, 3.0]).numpy().tolist()
    [0.0, 3.0]
    """
    return ops.hard_silu(x)


def exponential(x):
    """Exponential `exp(x)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.exponential([0.0]).numpy().tolist()
    [1.0]
    """
    return ops.exp(x)


def mish(x):
    """Mish `x * tanh(softplus(x))`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.activations.mish([0.0, 1.0]).numpy().round(4))
    [0.     0.8651]
    """
    return ops.mish(x)


def linear(x):
    """The identity activation: returns `x` unchanged.

    Args:
        x: input tensor.

    Returns:
        `x` itself.

    >>> import minikeras as keras
    >>> keras.activations.linear(3.0)
    3.0
    """
    return x


# the Dense and convolution layers' `bias_act` op applies these two inside its fused kernel
fused_bias_act.register_epilogue(relu, "relu")
fused_bias_act.register_epilogue(linear, "linear")


def log_sigmoid(x):
    """Log-sigmoid `log(sigmoid(x))`, computed stably.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, negative.

    >>> import minikeras as keras
    >>> print(keras.activations.log_sigmoid([0.0]).numpy().round(4))
    [-0.6931]
    """
    return ops.log_sigmoid(x)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU `max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))`.

    This equals `alpha * elu(x / alpha)`.

    Args:
        x: input tensor.
        alpha: scale of the negative part.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.activations.celu([-1.0, 2.0]).numpy().round(4))
    [-0.6321  2.    ]
    """
    return ops.multiply(ops.elu(ops.divide(x, alpha)), alpha)


def hard_tanh(x):
    """Hard tanh `clip(x, -1, 1)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.hard_tanh([-2.0, 0.5, 2.0]).numpy().tolist()
    [-1.0, 0.5, 1.0]
    """
    return ops.clip(x, -1.0, 1.0)


def tanh_shrink(x):
    """Tanh shrinkage `x - tanh(x)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.tanh_shrink([0.0]).numpy().tolist()
    [0.0]
    """
    return ops.subtract(x, ops.tanh(x))


def squareplus(x, b=4):
    """Squareplus `(x + sqrt(x**2 + b)) / 2`, a smooth ReLU.

    Args:
        x: input tensor.
        b: smoothness (> 0).

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.squareplus([0.0]).numpy().tolist()
    [1.0]
    """
    return ops.divide(ops.add(x, ops.sqrt(ops.add(ops.square(x), b))), 2.0)


def glu(x, axis=-1):
    """Gated linear unit: `x` split in two halves `a, b` along `axis`, then `a * sigmoid(b)`.

    Args:
        x: input tensor (`axis` of even size).
        axis: the axis to split.

    Returns:
        A tensor with `axis` halved.

    >>> import minikeras as keras
    >>> keras.activations.glu([[2.0, 0.0]]).numpy().tolist()
    [[1.0]]
    """
    return ops.glu(x, axis=axis)


def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: `x` where `|x| > threshold`, else 0.

    Args:
        x: input tensor.
        threshold: the cut-off.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.hard_shrink([-1.0, 0.25, 0.75]).numpy().tolist()
    [-1.0, 0.0, 0.75]
    """
    return ops.hard_shrink(x, threshold=threshold)


def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: `x` moved `threshold` towards 0, and 0 where `|x| <= threshold`.

    Args:
        x: input tensor.
        threshold: the shrinkage.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.soft_shrink([-1.5, 0.2, 1.5]).numpy().tolist()
    [-1.0, 0.0, 1.0]
    """
    return ops.soft_shrink(x, threshold=threshold)


def sparse_plus(x):
    """SparsePlus: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, and `x` for `x >= 1`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.sparse_plus([-2.0, 0.0, 2.0]).numpy().tolist()
    [0.0, 0.25, 2.0]
    """
    return ops.sparse_plus(x)


def sparse_sigmoid(x):
    """SparseSigmoid: 0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, and 1 for `x >= 1`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.sparse_sigmoid([-2.0, 0.0, 2.0]).numpy().tolist()
    [0.0, 0.5, 1.0]
    """
    return ops.sparse_sigmoid(x)


def sparsemax(x, axis=-1):
    """Sparsemax: the projection of `x` onto the probability simplex along `axis`.

    See `keras.ops.sparsemax`, which also says where Keras 3.15.1 differs.

    Args:
        x: input tensor.
        axis: the axis to normalise.

    Returns:
        A tensor of the same shape, non-negative and summing to 1 along `axis`.

    >>> import minikeras as keras
    >>> keras.activations.sparsemax([[0.0, 0.5, 1.0]]).numpy().tolist()
    [[0.0, 0.25, 0.75]]
    """
    return ops.sparsemax(x, axis=axis)


def threshold(x, threshold, default_value):
    """Keeps `x` where `x > threshold` and uses `default_value` elsewhere.

    Args:
        x: input tensor.
        threshold: the cut-off.
        default_value: the value for entries at or below `threshold`.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.activations.threshold([1.0, 5.0], 2.0, 0.0).numpy().tolist()
    [0.0, 5.0]
    """
    return ops.threshold(x, threshold, default_value)
