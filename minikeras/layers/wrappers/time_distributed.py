"""`TimeDistributed`: applies a layer to every time slice of a sequence in one call."""

import numpy as np

from ...core import ops
from ...core.tensor import Tensor
from ..layer import InputSpec
from ..node import flatten, map_structure
from .wrapper import Wrapper


class TimeDistributed(Wrapper):
    """Applies `layer` to every temporal slice of the input.

    The batch and time axes are folded into one, `layer` runs once on
    `(batch * time, ...)` and the result is unfolded to `(batch, time, ...)`, so every step
    shares the same weights and any layer works, a whole model included (e.g. a CNN over the
    frames of a video with any number of frames).

    Args:
        layer: a `keras.layers.Layer` instance (or a model); saved under `layer/`.

    Call arguments:
        inputs: a tensor of shape `(batch, time, ...)`, at least 3-D.
        training: passed to the wrapped layer.
        mask: optional `(batch, time)` mask; folded and passed on when the wrapped layer's `call`
            takes a `mask`. The output carries the input mask (or the wrapped layer's per-step
            output mask, unfolded, when it makes one).

    >>> import numpy as np, minikeras as keras
    >>> td = keras.layers.TimeDistributed(keras.layers.Dense(3))
    >>> td(np.ones((2, 5, 4), "float32")).shape
    (2, 5, 3)
    """

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True
        self._step_mask = None

    def _child_input_shape(self, input_shape):
        if (
            not isinstance(input_shape, (tuple, list))
            or len(input_shape) < 3
            or not all(d is None or isinstance(d, (int, np.integer)) for d in input_shape)
        ):
            raise ValueError(
                f"TimeDistributed layer '{self.name}' expects an input of rank >= 3, shaped "
                f"(batch, time, ...). Received: input_shape={input_shape}"
            )
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape):
        super().build(self._child_input_shape(tuple(input_shape)))
        self.input_spec = InputSpec(min_ndim=3)

    def call(self, inputs, training=None, mask=None):
        shape = tuple(inputs.shape)
        batch, steps = shape[0], shape[1]
        folded = ops.reshape(inputs, (batch * steps,) + shape[2:])  # (batch * time, ...)
        kwargs = {}
        if self.layer._call_has_training:
            kwargs["training"] = training
        if mask is not None and self.layer._call_has_mask:
            kwargs["mask"] = Tensor(self._fold_mask(mask, batch, steps))
        outputs = self.layer(folded, **kwargs)

        def unfold(y):
            y_shape = tuple(y.shape)
            if not y_shape or y_shape[0] != batch * steps:
                raise ValueError(
                    f"TimeDistributed layer '{self.name}': the wrapped layer "
                    f"'{self.layer.name}' must keep the folded batch axis of size "
                    f"{batch * steps} (batch {batch} x time {steps}); it returned shape {y_shape}."
                )
            out = ops.reshape(y, (batch, steps) + y_shape[1:])
            step_mask = getattr(y, "_keras_mask", None)
            if step_mask is not None:
                m = np.asarray(step_mask.data if isinstance(step_mask, Tensor) else step_mask)
                out._keras_mask = Tensor(m.reshape((batch, steps) + m.shape[1:]))
            return out

        outputs = map_structure(unfold, outputs)
        masks = [getattr(o, "_keras_mask", None) for o in flatten(outputs)]
        self._step_mask = masks[0] if len(masks) == 1 else None
        return outputs

    def _fold_mask(self, mask, batch, steps):
        m = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
        if m.shape[:2] != (batch, steps):
            raise ValueError(
                f"TimeDistributed layer '{self.name}' should be passed a `mask` of shape "
                f"({batch}, {steps}, ...), received: mask.shape={m.shape}"
            )
        return m.reshape((batch * steps,) + m.shape[2:])

    def compute_mask(self, inputs, mask=None):
        step_mask, self._step_mask = self._step_mask, None
        return step_mask if step_mask is not None else mask

    def compute_output_shape(self, input_shape):
        child_shape = self._child_input_shape(tuple(input_shape))
        child_out = tuple(self.layer.compute_output_shape(child_shape))
        return (child_out[0], input_shape[1], *child_out[1:])
