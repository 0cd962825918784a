"""Quantization configs: which quantizers `layer.quantize(mode, config=...)` uses.

`Int8QuantizationConfig` (inputs quantized per row by `AbsMaxQuantizer` unless told otherwise),
`Int4QuantizationConfig` (weights only by default; `block_size` rows per scale, -1 or None for one
scale per output channel) and `Float8QuantizationConfig`, with Keras 3.15.1's configs.
"""

from .quantizers import AbsMaxQuantizer

MODES = ("int8", "float8", "int4", "gptq", "awq")


def _serialize(obj):
    from . import serialize  # the package's (same floor)

    return serialize(obj)


def _deserialize(config):
    from . import deserialize

    return deserialize(config) if config is not None else None


class QuantizationConfig:
    """Base class of quantization configs: a weight quantizer and an activation quantizer.

    Args:
        weight_quantizer: the quantizer of weights (None: the layer's default).
        activation_quantizer: the quantizer of inputs (None: inputs stay float).
    """

    def __init__(self, weight_quantizer=None, activation_quantizer=None):
        self.weight_quantizer = weight_quantizer
        self.activation_quantizer = activation_quantizer

    @property
    def mode(self):
        raise NotImplementedError(
            "Subclasses must implement this property. Do not instantiate QuantizationConfig "
            "directly."
        )

    def get_config(self):
        return {
            "weight_quantizer": _serialize(self.weight_quantizer),
            "activation_quantizer": _serialize(self.activation_quantizer),
        }

    @classmethod
    def from_config(cls, config):
        return cls(
            weight_quantizer=_deserialize(config.get("weight_quantizer")),
            activation_quantizer=_deserialize(config.get("activation_quantizer")),
        )

    @staticmethod
    def weight_quantizer_or_default(config, default):
        if config is not None and config.weight_quantizer is not None:
            return config.weight_quantizer
        return default

    @staticmethod
    def activation_quantizer_or_default(config, default):
        if config is not None:
            return config.activation_quantizer
        return default


class Int8QuantizationConfig(QuantizationConfig):
    """int8 weights; inputs quantized per row by `AbsMaxQuantizer()` unless
    `activation_quantizer` says otherwise (`None`: weight-only).

    >>> import minikeras as keras
    >>> config = keras.quantizers.Int8QuantizationConfig()
    >>> config.mode, type(config.activation_quantizer).__name__
    ('int8', 'AbsMaxQuantizer')
    """

    def __init__(self, weight_quantizer=None, activation_quantizer="default"):
        if activation_quantizer == "default":
            activation_quantizer = AbsMaxQuantizer()
        super().__init__(weight_quantizer, activation_quantizer)
        if self.weight_quantizer is not None and self.weight_quantizer.output_dtype != "int8":
            raise ValueError(
                "Int8QuantizationConfig requires a weight_quantizer with output_dtype='int8'. "
                f"Received: output_dtype={self.weight_quantizer.output_dtype}"
            )

    @property
    def mode(self):
        return "int8"


class Int4QuantizationConfig(QuantizationConfig):
    """int4 weights (two per byte), weight-only by default.

    Args:
        weight_quantizer: a quantizer with `value_range=(-8, 7)` and int8 output (per-channel
            only).
        activation_quantizer: `"default"` means None (inputs stay float).
        block_size: input rows per scale and zero point (default 128); `None` or -1: one scale
            per output channel, no zero point.
    """

    def __init__(self, weight_quantizer=None, activation_quantizer="default", block_size=128):
        if activation_quantizer == "default":
            activation_quantizer = None
        super().__init__(weight_quantizer, activation_quantizer)
        if block_size is not None and block_size != -1 and block_size <= 0:
            raise ValueError(
                "block_size must be None, -1, or a positive integer. "
                f"Received: block_size={block_size}"
            )
        self.block_size = block_size
        custom = self.weight_quantizer is not None or self.activation_quantizer is not None
        if block_size is not None and block_size > 0 and custom:
            raise ValueError(
                "Int4 sub-channel quantization (block_size > 0) does not support custom "
                "quantizers. Either set block_size to None or -1 for per-channel quantization, "
                f"or remove the custom quantizer arguments. Received: block_size={block_size}"
            )
        wq = self.weight_quantizer
        if wq is not None and tuple(wq.value_range) != (-8, 7):
            raise ValueError(
                "Int4QuantizationConfig requires a weight_quantizer with value_range=(-8, 7). "
                f"Received: value_range={wq.value_range}"
            )
        if wq is not None and wq.output_dtype != "int8":
            raise ValueError(
                "Int4QuantizationConfig requires a weight_quantizer with output_dtype='int8'. "
                f"Received: output_dtype={wq.output_dtype}"
            )

    @property
    def mode(self):
        return "int4"

    def get_config(self):
        return {**super().get_config(), "block_size": self.block_size}

    @classmethod
    def from_config(cls, config):
        # configs written before block_size existed were per-channel
        return cls(
            weight_quantizer=_deserialize(config.get("weight_quantizer")),
            activation_quantizer=_deserialize(config.get("activation_quantizer")),
            block_size=config.get("block_size", None),
        )


class Float8QuantizationConfig(QuantizationConfig):
    """float8 training (Keras's delayed-scaling recipe); takes no quantizers."""

    def __init__(self):
        super().__init__(None, None)

    @property
    def mode(self):
        return "float8"

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls()


def validate_and_resolve_config(mode, config):
    """`(mode, config)` -> the config to use: a string config is a mode (older calling form),
    a missing config is the mode's default one, and a config's mode must match `mode`."""
    if isinstance(config, str):
        mode, config = config, None
    if mode is not None and mode not in MODES:
        raise ValueError(
            f"Invalid quantization mode. Expected one of {MODES}. Received: mode={mode}"
        )
    if config is None:
        defaults = {
            "int8": Int8QuantizationConfig,
            "int4": Int4QuantizationConfig,
            "float8": Float8QuantizationConfig,
        }
        if mode not in defaults:
            raise ValueError(
                f"For {mode!r} quantization, pass its config object in the `config` argument "
                f"(minikeras supports {sorted(defaults)} without one). Received: mode={mode!r}"
            )
        return defaults[mode]()
    if not isinstance(config, QuantizationConfig):
        raise ValueError(
            "Argument `config` must be an instance of `QuantizationConfig`. "
            f"Received: config={config} (of type {type(config)})"
        )
    if mode is not None and config.mode != mode:
        raise ValueError(f"Contradictory arguments: mode='{mode}' but config.mode='{config.mode}'")
    return config
