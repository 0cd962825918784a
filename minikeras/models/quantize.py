"""`Model.quantize`: post-training quantization of every quantizable layer, as Keras 3.15.1.

Each leaf layer that passes `filters` is asked to `quantize(mode, config=config)`; a layer
that cannot (a convolution, `Flatten`, an `Embedding` in float8, a subclass of `Dense`) is left
as it is with a warning, as Keras 3.15.1 does: "Layer Conv2D does not have a `quantize` method
implemented.", or the layer's `NotImplementedError` message.

`include_conv=True` (a minikeras extension, not a Keras argument) also quantizes `Conv1D`,
`Conv2D` and `Conv3D` to int8 (`layers/convolutional/quantized_conv.py`); Keras cannot load a
model saved with such convolutions.
"""

import re
import warnings


def should_quantize(layer, filters):
    """Keras's filter: None (all), a regex searched in the layer's name, a list of them (any
    matches), or a callable taking the layer."""
    if filters is None:
        return True
    if isinstance(filters, str):
        return bool(re.search(filters, layer.name))
    if isinstance(filters, (list, tuple)):
        return any(re.search(p, layer.name) for p in filters)
    return bool(filters(layer))


def quantize_model(model, mode=None, config=None, filters=None, **kwargs):
    """Quantizes `model`'s layers in place (see `Model.quantize`)."""
    type_check = kwargs.pop("type_check", True)
    include_conv = kwargs.pop("include_conv", False)
    if kwargs:
        raise ValueError(
            f"Unrecognized keyword arguments passed to {type(model).__name__}: {kwargs}"
        )
    if (
        filters is not None
        and not isinstance(filters, (str, list, tuple))
        and not callable(filters)
    ):
        raise ValueError(
            "The `filters` argument must be a regex string, a list of regex strings, or a "
            f"callable. Received: {type(filters)}"
        )
    for layer in model._flatten_layers():
        if len(layer._flatten_layers()) != 1 or not should_quantize(layer, filters):
            continue
        extra = {"include_conv": True} if include_conv and _is_conv(layer) else {}
        try:  # Keras's base Layer.quantize raises, and model.quantize warns
            layer.quantize(mode, type_check=type_check, config=config, **extra)
        except NotImplementedError as e:
            warnings.warn(str(e), stacklevel=3)


def _is_conv(layer):
    from ..layers.convolutional.quantized_conv import QuantizedConv

    return isinstance(layer, QuantizedConv)
