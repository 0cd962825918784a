"""Quantizers: abs-max int8/int4 quantization, fake quantization, float8 scaling helpers.

The numerics are Keras 3.15.1's (`keras.quantizers`): `abs_max_quantize` computes the scale
`value_range[1] / (max|x| + epsilon)` over `axis` (kept as a size-1 axis) in the input's dtype,
rounds `x * scale` half to even, clips to `value_range` and casts; a quantized value is turned
back into a float by *dividing* by that scale.

>>> import numpy as np, minikeras as keras
>>> q, scale = keras.quantizers.abs_max_quantize(np.array([[0.5, -1.0, 0.25]], "float32"), axis=-1)
>>> q.numpy().tolist(), scale.shape
([[63, -127, 32]], (1, 1))
"""

import numpy as np

from ..core import dtypes
from ..core.tensor import Tensor

EPSILON = 1e-7  # keras.config.epsilon() when Keras defines the defaults below


def _array(x):
    """The numpy array behind a tensor, variable or array-like."""
    if isinstance(x, Tensor):
        return x.data
    value = getattr(x, "value", None)  # a Variable
    if isinstance(value, Tensor):
        return value.data
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        return np.asarray(x.numpy())
    return np.asarray(x)


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


class Quantizer:
    """Base class of quantizers: `quantizer(x)` returns a quantized form of `x`.

    Subclasses override `__call__` and `get_config`.

    Args:
        output_dtype: the dtype of the quantized values (default `"int8"`).

    >>> import minikeras as keras
    >>> keras.quantizers.Quantizer(output_dtype="int8").output_dtype
    'int8'
    """

    def __init__(self, output_dtype="int8"):
        self.output_dtype = output_dtype

    def __call__(self, x):
        return x

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")


def abs_max_quantize(
    inputs, axis, value_range=(-127, 127), dtype="int8", epsilon=EPSILON, to_numpy=False
):
    """Quantizes `inputs` symmetrically by the absolute maximum over `axis`.

    Args:
        inputs: a float tensor or array.
        axis: the axis (or axes) the maximum is taken over; they stay in the scale as size 1.
        value_range: `(min, max)` of the quantized values (default `(-127, 127)`).
        dtype: the quantized dtype (default `"int8"`).
        epsilon: added to the maximum so an all-zero slice does not divide by zero.
        to_numpy: accepted for Keras compatibility (minikeras always computes on the host).

    Returns:
        `(quantized, scale)` tensors: `quantized = clip(round(inputs * scale))` in `dtype`, and
        `scale = value_range[1] / (max|inputs| + epsilon)` in the input's dtype.
    """
    del to_numpy
    x = _array(inputs)
    if x.dtype.kind != "f" and not dtypes.is_float(x.dtype):
        x = x.astype(dtypes.floatx())
    scale = np.divide(
        value_range[1], np.add(np.max(np.abs(x), axis=_axis(axis), keepdims=True), epsilon)
    ).astype(x.dtype, copy=False)
    out = np.clip(np.round(np.multiply(x, scale)), value_range[0], value_range[1])
    return Tensor(out.astype(dtypes.numpy_dtype(dtype))), Tensor(scale)


def abs_max_quantize_grouped_with_zero_point(
    inputs, block_size, value_range=(-8, 7), dtype="int8", epsilon=EPSILON, to_numpy=False
):
    """Asymmetric quantization of a 2-D `(input_dim, output_dim)` tensor in groups of
    `block_size` rows, each group and column with its own scale and zero point.

    Rows are zero-padded to a multiple of `block_size`. For each group, `scale = (max - min +
    epsilon) / (qmax - qmin)` and `zero = clip(round(-min / scale) + qmin, qmin, qmax)`, and
    `q = clip(round(x / scale) + zero, qmin, qmax)` (Keras 3.15.1's host computation, which its
    layers use when they quantize).

    Returns:
        `(quantized (input_dim, output_dim), scale (n_groups, output_dim), zero_point
        (n_groups, output_dim) int8)` with `n_groups = ceil(input_dim / block_size)`.
    """
    del to_numpy
    x = _array(inputs)
    input_dim, output_dim = x.shape
    n_groups = -(-input_dim // block_size)
    qmin, qmax = value_range
    padded = np.zeros((n_groups * block_size, output_dim), dtype=x.dtype)
    padded[:input_dim] = x
    groups = padded.reshape(n_groups, block_size, output_dim)
    low = np.min(groups, axis=1, keepdims=True)
    high = np.max(groups, axis=1, keepdims=True)
    scale = np.divide(np.subtract(high, low) + epsilon, qmax - qmin)
    zero = np.clip(np.round(np.divide(-low, scale)) + qmin, qmin, qmax)
    out = np.clip(np.round(np.divide(groups, scale)) + zero, qmin, qmax)
    out = out.astype(dtypes.numpy_dtype(dtype)).reshape(-1, output_dim)[:input_dim]
    scale = np.squeeze(scale, axis=1).astype(x.dtype, copy=False)
    return Tensor(out), Tensor(scale), Tensor(np.squeeze(zero, axis=1).astype(np.int8))


class AbsMaxQuantizer(Quantizer):
    """`abs_max_quantize` as an object: `quantizer(x, axis=-1)` -> `(quantized, scale)`.

    Args:
        axis: deprecated in Keras 3 (pass `axis` to the call); the default axis of calls.
        value_range: `(min, max)` of the quantized values; within `[-128, 127]` for int8.
        epsilon: added to the absolute maximum.
        output_dtype: the quantized dtype.

    >>> import numpy as np, minikeras as keras
    >>> q, s = keras.quantizers.AbsMaxQuantizer()(np.array([[2.0, -4.0]], "float32"))
    >>> q.numpy().tolist()
    [[64, -127]]
    """

    def __init__(self, axis=None, value_range=(-127, 127), epsilon=EPSILON, output_dtype="int8"):
        Quantizer.__init__(self, output_dtype=output_dtype)
        if axis is not None:
            axis = (axis,) if isinstance(axis, int) else tuple(axis)
        self.axis = axis
        self.value_range = value_range
        self.epsilon = epsilon
        if output_dtype == "int8" and (value_range[0] < -128 or value_range[1] > 127):
            raise ValueError(
                "Quantizer with output_dtype='int8' requires value_range to be within the "
                f"interval [-128, 127]. Received: value_range={value_range}"
            )

    def __call__(self, x, axis=None, to_numpy=False):
        if axis is None:
            axis = self.axis if self.axis is not None else -1
        return abs_max_quantize(
            x, axis, self.value_range, self.output_dtype, self.epsilon, to_numpy
        )

    def get_config(self):
        config = {
            "value_range": self.value_range,
            "epsilon": self.epsilon,
            "output_dtype": self.output_dtype,
        }
        if self.axis is not None:
            config["axis"] = self.axis
        return config


def _nudged_range(low, high, num_bits, narrow_range):
    """TensorFlow's fake-quant range nudging: the zero point made an integer, and the limits
    moved so that 0.0 is exactly representable."""
    quant_max = (1 << num_bits) - 1
    quant_min = 1 if narrow_range else 0
    scale = (high - low) / (quant_max - quant_min)
    inv_scale = (quant_max - quant_min) / (high - low)
    zero = np.round(np.clip(quant_min - low / scale, quant_min, quant_max))
    return (quant_min - zero) * scale, (quant_max - zero) * scale, scale, inv_scale


def fake_quant_with_min_max_vars(
    inputs, min_vals, max_vals, num_bits=8, narrow_range=False, axis=None
):
    """Quantizes and dequantizes `inputs` into `2**num_bits` levels over `[min_vals, max_vals]`
    (per tensor, or per channel along `axis`), with TensorFlow's nudged range.

    The gradient passes straight through inside the range; values clipped at the minimum
    (maximum) send their gradient to `min_vals` (`max_vals`), so the range can be trained.

    Args:
        inputs: a float tensor.
        min_vals, max_vals: scalars, or one value per channel of `axis`.
        num_bits: the bit width (default 8).
        narrow_range: quantize to `[1, 2**num_bits - 1]` instead of `[0, 2**num_bits - 1]`.
        axis: the channel axis, or `None` for per-tensor quantization.

    Returns:
        A tensor of `inputs`' shape and dtype.
    """
    x_t = inputs if isinstance(inputs, Tensor) else Tensor(_array(inputs))
    lo_t = min_vals if isinstance(min_vals, Tensor) else Tensor(_array(min_vals))
    hi_t = max_vals if isinstance(max_vals, Tensor) else Tensor(_array(max_vals))
    x, lo, hi = x_t.data, lo_t.data, hi_t.data
    work = np.result_type(lo.dtype, np.float32)  # Keras computes the range in >= float32
    num_bits = int(num_bits)
    nudged_min, nudged_max, scale, inv_scale = _nudged_range(
        lo.astype(work), hi.astype(work), num_bits, narrow_range
    )
    quant_zero = np.floor(-nudged_min * inv_scale + 0.5)
    clamped = np.clip(x.astype(work), nudged_min, nudged_max)
    out = (np.floor((clamped - nudged_min) * inv_scale - quant_zero + 0.5) * scale).astype(x.dtype)
    inside = (x >= nudged_min) & (x <= nudged_max)
    below, above = x <= nudged_min, x >= nudged_max
    if axis is not None:
        axis = axis % x.ndim
    others = tuple(i for i in range(x.ndim) if i != axis)

    def backward(dout):
        def reduce(mask):
            g = np.where(mask, dout, 0.0)
            g = np.sum(g, axis=others) if axis is not None else np.sum(g)
            return np.reshape(g, lo.shape).astype(lo.dtype)

        return np.where(inside, dout, 0.0).astype(x.dtype), reduce(below), reduce(above)

    return Tensor.from_op(out, (x_t, lo_t, hi_t), backward, op="fake_quant_with_min_max_vars")


def compute_float8_scale(amax, scale, dtype_max, margin=0):
    """The next float8 scale from the absolute maximum `amax` (NVIDIA Transformer Engine's
    rule, as Keras): `1 / (dtype_max / amax / 2**margin)`, keeping `scale` where `amax` is 0 or
    not finite."""
    amax = _array(amax)
    scale = _array(scale)
    previous = np.reciprocal(scale)
    with np.errstate(divide="ignore", invalid="ignore"):  # amax 0 or inf: replaced below
        sf = np.divide(np.divide(dtype_max, amax), 2**margin).astype(amax.dtype, copy=False)
        sf = np.where(amax > 0.0, sf, previous)
    sf = np.where(np.isfinite(amax), sf, previous)
    return Tensor(np.reciprocal(sf))


def compute_float8_amax_history(x, amax_history):
    """Rolls `amax_history` one step left and writes `max|x|` into its first slot (Keras)."""
    history = _array(amax_history)
    new = np.roll(history, -1)
    new[0] = np.max(np.abs(_array(x))).astype(history.dtype)
    return Tensor(new)


def quantize_and_dequantize(inputs, scale, quantized_dtype, compute_dtype):
    """Divides by `scale`, clips to the float8 type's range, rounds into it, and multiplies
    back: the values a float8 matmul sees (Keras's float8 training).

    Args:
        inputs: a float tensor.
        scale: the scale (`x / scale` is what gets quantized).
        quantized_dtype: `"float8_e4m3fn"` or `"float8_e5m2"` (needs `ml_dtypes`).
        compute_dtype: the float dtype of the computation and the result.
    """
    compute = dtypes.numpy_dtype(compute_dtype)
    quantized = dtypes.numpy_dtype(quantized_dtype)
    ml_dtypes = dtypes._require_ml_dtypes(str(quantized))
    qmax = compute.type(float(ml_dtypes.finfo(quantized).max))
    s = _array(scale).astype(compute)
    x = np.divide(_array(inputs).astype(compute), s)
    x = np.clip(x, -qmax, qmax).astype(quantized)
    return Tensor(np.multiply(x.astype(compute), s))
