"""Post-training quantization of `Dense`, `EinsumDense`, `Embedding` (and `ReversibleEmbedding`,
`quantized_reversible.py`), as Keras 3.15.1 does it.

`layer.quantize(mode)` (or `model.quantize(mode)`) replaces the layer's float weight by its
quantized variables, switches the layer's dtype policy to the quantized one
(`"int8_from_float32"`, `"int4/128_from_float32"`, ...) and its call to the mode's call, once:
`Dense.call` itself never looks at the mode. A layer built from a config whose `dtype` is a
quantized policy (how Keras loads a quantized model) builds its float weight and converts it at
once, so the int8 variables are in place for the weights file to fill.

Modes (Keras's names, shapes and `.weights.h5` order, `variable_serialization_spec`):
- `"int8"`: int8 weight and a float32 scale per output unit (per row for `Embedding`); the
  inputs of `Dense` are quantized per row and multiplied in integers (`ops.quantized_dense`).
- `"int4"`: two int4 values per byte, packed along the last axis; by default (Keras 3.15.1)
  groups of 128 input rows each with a scale and a zero point (`"int4/128"`), or one scale per
  output unit with `Int4QuantizationConfig(block_size=-1)` (`"int4/-1"`). Weight-only: the
  inputs stay float and the kernel is dequantized in the call.
- `"float8"` (`Dense`, `EinsumDense`): the kernel stays float32; inputs and kernel are
  quantized-dequantized through float8 e4m3 with the delayed scales Keras stores (scales and
  1024-step amax histories). In training, the gradients of those variables are their next
  values (the delayed-scaling recipe), which the optimizer writes over them, as Keras does.

Training after quantization follows Keras: the quantized variables are frozen, the bias stays
trainable, gradients reach the inputs through the dequantized weight, and `enable_lora` adds
float32 factors that train on top. Saving a LoRA-enabled quantized layer merges the factors into
the float weight and quantizes it again, as Keras does.

Keras 3.15.1 quantizes no convolution layer (`model.quantize` skips them with a warning), and
minikeras follows it, so that models quantized by either library load in the other.
"""

import warnings

import numpy as np

from ... import quantizers
from ...core import ops
from ...dtype_policies import QuantizedFloat8DTypePolicy, get as get_policy
from ...quantizers import QuantizationConfig, validate_and_resolve_config

MODES = ("int8", "int4", "float8")


def take_quantization_args(layer_cls, kwargs):
    """Pops `quantization_config` (an object or its config dict) from a layer's kwargs; Keras's
    GPTQ-only `gptq_unpacked_column_size` is accepted when None."""
    config = kwargs.pop("quantization_config", None)
    if isinstance(config, dict):
        config = quantizers.deserialize(config)
    if config is not None and not isinstance(config, QuantizationConfig):
        raise ValueError(
            f"{layer_cls.__name__}: `quantization_config` must be a "
            f"keras.quantizers.QuantizationConfig. Received: quantization_config={config!r}"
        )
    gptq = kwargs.pop("gptq_unpacked_column_size", None)
    if gptq is not None:
        raise NotImplementedError(
            f"{layer_cls.__name__}: GPTQ quantization is not supported by minikeras. Received: "
            f"gptq_unpacked_column_size={gptq!r}"
        )
    return config


def block_size_of(layer, config):
    """The int4 block size: the config's, else the layer's `Int4DTypePolicy`'s; None means one
    scale per output unit (Keras's `get_block_size_for_layer`)."""
    if isinstance(config, quantizers.Int4QuantizationConfig):
        size = config.block_size
    else:
        size = getattr(layer.dtype_policy, "block_size", None)
    return None if size is None or size == -1 else size


def is_default_int8_quantizer(quantizer):
    """Whether `quantizer` is Keras's default int8 inputs quantizer (abs-max to [-127, 127]),
    the one `ops.quantized_dense` computes in its fused integer product."""
    return isinstance(quantizer, quantizers.AbsMaxQuantizer) and tuple(quantizer.value_range) == (
        -127,
        127,
    )


def grouped_dequantize(q, scale, zero, g_idx, axis):
    """Keras's `dequantize_with_sz_map`: `(q - zero[g]) * scale[g]` with the groups `g_idx`
    taken along `axis` of `scale` and `zero`."""
    groups = np.asarray(g_idx).astype(np.int64)
    s = np.take(scale, groups, axis=axis)
    z = np.take(zero, groups, axis=axis).astype(s.dtype)
    return (q.astype(s.dtype) - z) * s


class Quantized:
    """Mixin giving a layer Keras's `quantize`, its quantized variables, calls and saving.

    The layer names its float weight in `_lora_weight` (`"kernel"` or `"embeddings"`), keeps the
    constructor's config in `quantization_config` (`take_quantization_args`), calls
    `_build_quantization()` at the end of `build`, and implements, per mode,
    `_quantize_arrays(w, mode, config)` -> `{name: array}` (the quantized variables, in the
    order they are created), `_dequantized()` (the float weight) and `_<mode>_call(inputs)`.
    `variable_serialization_spec` gives Keras's file order.
    """

    quantization_config = None

    # -- Keras's API ------------------------------------------------------------------------
    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the layer's weight in place (post-training quantization).

        Args:
            mode: `"int8"`, `"int4"` or `"float8"` (optional when `config` is given).
            type_check: as Keras, subclasses refuse unless False.
            config: a `keras.quantizers.QuantizationConfig` (e.g.
                `Int4QuantizationConfig(block_size=-1)`); default: the mode's.

        Raises:
            NotImplementedError: for a subclass (with `type_check`) or a mode the layer does
                not support (Keras's message; `model.quantize` turns it into a warning).
            ValueError: if the layer is not built or already quantized, or the mode is unknown.
        """
        if type_check and type(self) is not self._quantizable_class():
            raise self._not_implemented("quantize")
        config = validate_and_resolve_config(mode, config)
        mode = config.mode
        who = f"Layer '{self.name}' (of type '{type(self).__name__}')"
        if not self.built:
            raise ValueError(f"Cannot quantize a layer that isn't yet built. {who} is not built.")
        if self.quantization_mode is not None:
            raise ValueError(
                f"Layer '{self.name}' is already quantized with "
                f"dtype_policy='{self.dtype_policy.name}'. Received: mode={mode}"
            )
        if mode not in self._supported_modes():
            raise self._mode_error(mode)
        if mode == "int8" and self.compute_dtype == "float16":
            raise ValueError(
                f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'. "
                "Consider loading model/layer with another dtype policy such as "
                "'mixed_bfloat16' or 'mixed_float16' before calling `quantize()`."
            )
        self.quantization_config = config
        self._convert(mode, config)
        name = mode
        if mode == "int4":
            size = block_size_of(self, config)
            name = f"int4/{-1 if size is None else size}"
        self.dtype_policy = get_policy(f"{name}_from_{self.dtype_policy.name}")

    def _quantizable_class(self):
        """The library class that mixes a quantization mixin in (`Dense`, ...): Keras refuses
        to quantize its subclasses unless `type_check=False`."""
        for cls in type(self).__mro__:
            if any(b.__module__.startswith(__name__) for b in cls.__bases__):
                return cls
        return type(self)

    def _supported_modes(self):
        return MODES

    def _mode_error(self, mode):
        return NotImplementedError(
            f"Invalid quantization mode. Expected one of {self._supported_modes()}. "
            f"Received: quantization_mode={mode}"
        )

    def _not_implemented(self, method, detail=None):
        extra = f" {detail}" if detail else ""
        return NotImplementedError(
            f"Layer {type(self).__name__} does not have a `{method}` method implemented.{extra}"
        )

    # -- building ------------------------------------------------------------------------------
    def _build_quantization(self):
        """End of `build`: a layer whose policy is quantized (loaded from a config) swaps its
        float weight for the quantized variables right away."""
        mode = self.quantization_mode
        if mode is None:
            return
        if mode not in self._supported_modes():
            raise self._mode_error(mode)
        config = self.quantization_config
        if config is None and mode in MODES:
            config = validate_and_resolve_config(mode, None)
            if mode == "int4":
                config = quantizers.Int4QuantizationConfig(
                    block_size=getattr(self.dtype_policy, "block_size", 128)
                )
        self._convert(mode, config)

    def _convert(self, mode, config):
        name = self._lora_weight
        base = self.__dict__["_" + name]
        self._float_shape = tuple(base.shape)
        self._inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(
            config, quantizers.AbsMaxQuantizer() if mode == "int8" else None
        )
        if mode == "int4":
            self._int4_block_size = block_size_of(self, config)
        if mode == "float8":
            self._add_float8_variables()
        else:
            arrays = self._quantize_arrays(np.asarray(base.numpy()), mode, config)
            self._own_variables.remove(base)
            for key, value in arrays.items():
                v = self.add_weight(
                    shape=value.shape,
                    initializer="zeros",
                    dtype=value.dtype.name,
                    trainable=False,
                    name=key,
                )
                v.assign(value)
                setattr(self, "_" + key if key == name else key, v)
        self.call = getattr(self, f"_{mode}_call")  # the mode's call, chosen once

    def _add_float8_variables(self):
        length = getattr(
            self.dtype_policy,
            "amax_history_length",
            QuantizedFloat8DTypePolicy.default_amax_history_length,
        )
        for part in ("inputs", "kernel", "outputs_grad"):
            for suffix, shape, init in (
                ("scale", (), "ones"),
                ("amax_history", (length,), "zeros"),
            ):
                v = self.add_weight(
                    shape=shape,
                    initializer=init,
                    dtype="float32",
                    name=f"{part}_{suffix}",
                    autocast=False,  # as Keras: float32 under a mixed policy too
                    overwrite_with_gradient=True,
                )
                setattr(self, f"{part}_{suffix}", v)
        self._call_has_training = True  # the float8 call updates its scales in training

    def _lora_base_shape(self):
        """The float weight's shape, for the LoRA factors of a quantized layer."""
        return getattr(self, "_float_shape", None) or tuple(
            self.__dict__["_" + self._lora_weight].shape
        )

    def _lora_update(self, inputs):
        """`(alpha / rank) * (inputs ...A) @ B` added by the quantized calls, None without LoRA."""
        if not self.lora_enabled:
            return None
        a, b = self._lora_factors()
        first = self._lora_first_product(inputs, a)
        return (self.lora_alpha / self.lora_rank) * ops.matmul(first, b)

    def _frozen(self, variable, dtype=None):
        """A variable's value as a constant (no gradient), cast to `dtype` when given."""
        value = ops.stop_gradient(variable)
        return value if dtype is None else ops.cast(value, dtype)

    # -- saving in Keras's order ---------------------------------------------------------------
    def _spec_slots(self):
        """`(name, variable)` in Keras's `variable_serialization_spec` order for the mode,
        skipping the absent ones (no bias; no zero point or g_idx for per-channel int4)."""
        slots = []
        for name in self.variable_serialization_spec[self.quantization_mode]:
            v = self.__dict__.get("_" + name if name == self._lora_weight else name)
            if v is not None:
                slots.append((name, v))
        return slots

    def _lora_delta(self):
        a, b = self._lora_factors()
        return (self.lora_alpha / self.lora_rank) * (a.numpy() @ b.numpy())

    def _lora_merged(self, base):
        if self.quantization_mode in (None, "float8"):
            return super()._lora_merged(base)
        merged = np.asarray(self._dequantized()) + self._lora_delta()
        return ops.convert_to_tensor(merged.astype(np.float32))

    def _loads_by_layout(self):
        """Unquantized, the layer saves its variables in the base layout, which loading checks
        (counts and shapes) before reading anything; quantized ones follow Keras's spec order."""
        return self.quantization_mode is None

    def save_own_variables(self, store):
        mode = self.quantization_mode
        if mode is None:
            return super().save_own_variables(store)
        merged = {}
        if self.lora_enabled and mode in ("int8", "int4"):  # re-quantize W + A @ B, as Keras
            w = (np.asarray(self._dequantized()) + self._lora_delta()).astype(np.float32)
            merged = self._quantize_arrays(w, mode, self.quantization_config)
        for i, (name, v) in enumerate(self._spec_slots()):
            store[str(i)] = merged[name] if name in merged else v.numpy()

    def load_own_variables(self, store):
        if self.quantization_mode is None:
            return super().load_own_variables(store)
        slots = self._spec_slots()
        who = f"layer '{self.name}' ({type(self).__name__}, {self.dtype_policy.name})"
        if len(store) != len(slots):
            raise ValueError(
                f"{who} expects {len(slots)} weights ({[n for n, _ in slots]}), the file holds "
                f"{len(store)}."
            )
        values = [np.asarray(store[str(i)]) for i in range(len(slots))]
        for (name, v), value in zip(slots, values):
            if tuple(value.shape) != tuple(v.shape):
                raise ValueError(
                    f"{who}: weight '{name}' expects shape {tuple(v.shape)}, the file holds "
                    f"{tuple(value.shape)}."
                )
        for (_, v), value in zip(slots, values):
            v.data[...] = value
        if self.lora_enabled:
            for factor in self._lora_factors():
                factor.data[...] = 0

    def _quantization_config_entry(self):
        return {"quantization_config": quantizers.serialize(self.quantization_config)}


def warn_not_quantized(error):
    """`model.quantize`'s warning for a layer that cannot be quantized (Keras's behaviour)."""
    warnings.warn(str(error), stacklevel=3)
