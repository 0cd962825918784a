"""`Merge`: the base of the elementwise merging layers (Add, Multiply, Maximum, ...)."""

from ...core import ops
from ...core.tensor import Tensor
from ..layer import Layer
from ..node import KerasTensor


def _is_shape_list(input_shape):
    return (
        isinstance(input_shape, (list, tuple))
        and bool(input_shape)
        and all(isinstance(s, (list, tuple)) for s in input_shape)
    )


def expand_mask(mask, x):
    """A `(batch, ...)` mask broadcast to the full shape of `x` (trailing axes added)."""
    while mask.ndim < x.ndim:
        mask = ops.expand_dims(mask, -1)
    return ops.broadcast_to(mask, x.shape)


def masked_reduce(op, inputs, masks):
    """Folds `op` over the inputs; a masked entry takes the other operand's value, so it never
    wins (Keras 3's rule for Maximum and Minimum, which have no identity element)."""
    out, out_mask = None, None
    for x, m in zip(inputs, masks):
        m = None if m is None else expand_mask(m, x)
        if out is None:
            out, out_mask = x, m
            continue
        if m is not None:
            x = ops.where(m, x, out)
        if out_mask is not None:
            out = ops.where(out_mask, out, x)
        out_mask = ops.logical_or(out_mask, m) if m is not None and out_mask is not None else None
        out = op(out, x)
    return out


class Merge(Layer):
    """Base of the elementwise merging layers: takes a list of tensors, checks that their
    shapes broadcast (lower-rank inputs get size-1 axes inserted after the batch axis, as
    Keras does) and combines them with `_merge_function(inputs, masks)`.

    Masks (Keras 3 rule): when every input has a mask, the output mask is their logical OR;
    otherwise the output has no mask.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def get_config(self):
        # defined, as Keras's Merge does: the merge layers keep no automatic arguments
        return super().get_config()

    def _describe(self):
        return f"{type(self).__name__} layer '{self.name}'"

    def _check_list(self, input_shape, what="input_shape"):
        if not _is_shape_list(input_shape):
            raise ValueError(
                f"{self._describe()} should be called on a list of inputs. "
                f"Received: {what}={input_shape} (not a list of tensors)"
            )

    def _elementwise_shape(self, shape1, shape2):
        """Broadcast shape of two shapes without the batch axis, aligned from the right."""
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        if not shape2:
            return tuple(shape1)
        out = list(shape1[: len(shape1) - len(shape2)])
        for i, j in zip(shape1[len(shape1) - len(shape2) :], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1 or j == 1 or i == j:
                out.append(j if i == 1 else i)
            else:
                raise ValueError(
                    f"{self._describe()}: inputs have incompatible shapes. "
                    f"Received shapes {tuple(shape1)} and {tuple(shape2)}"
                )
        return tuple(out)

    def _check_batch_sizes(self, shapes):
        """Build-time check (Keras 3's `Merge.build`): known batch sizes must agree."""
        batch_sizes = {s[0] for s in shapes if len(s)} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"{self._describe()} cannot merge tensors with different batch "
                f"sizes. Received tensors with shapes {[tuple(s) for s in shapes]}"
            )

    def _validate(self, shapes):
        """The output shape: the non-batch axes broadcast together; the batch size is the one
        known batch size, else None (as Keras 3's `compute_output_shape`, which does not check
        batch sizes: `build` does)."""
        self._check_list(shapes)
        batch_sizes = {s[0] for s in shapes if len(s)} - {None}
        out = tuple(shapes[0][1:])
        try:
            for s in shapes[1:]:
                out = self._elementwise_shape(out, tuple(s[1:]))
        except ValueError as e:
            raise ValueError(f"{e} (full input shapes: {[tuple(s) for s in shapes]})") from None
        batch = next(iter(batch_sizes)) if len(batch_sizes) == 1 else None
        return (batch,) + out

    def build(self, input_shape):
        self._check_list(input_shape)
        self._check_batch_sizes(input_shape)
        self._validate(input_shape)

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)):
            self._check_list(inputs, "inputs")
        inputs = list(inputs)
        shapes = [tuple(x.shape) for x in inputs]
        self._validate(shapes)
        # batch sizes are checked once, at build time (with the batch sizes the layer is built
        # for, usually unknown); calls then broadcast, as Keras 3 does: a batch-1 tensor (a
        # learned latent array) merges with a batch-B one
        if len({s[0] for s in shapes if len(s)} - {1}) > 1:
            raise ValueError(
                f"{self._describe()}: the batch sizes of its inputs do not broadcast "
                f"together. Received tensors with shapes {shapes}"
            )
        masks = list(mask) if isinstance(mask, (list, tuple)) else [None] * len(inputs)
        rank = max(x.ndim for x in inputs)
        for i, x in enumerate(inputs):
            if x.ndim < rank:  # (batch, a) with (batch, b, a): insert axes after the batch axis
                for _ in range(rank - x.ndim):
                    x = ops.expand_dims(x, 1)
                inputs[i], masks[i] = x, None
        return self._merge_function(inputs, masks)

    def _merge_function(self, inputs, masks):
        raise NotImplementedError

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)):
            raise ValueError(f"{self._describe()}: `mask` should be a list. Received: mask={mask}")
        if len(mask) != len(inputs):
            raise ValueError(
                f"{self._describe()}: the lists `inputs` and `mask` should have the "
                f"same length. Received {len(inputs)} inputs and {len(mask)} masks."
            )
        if any(m is None for m in mask):
            return None
        out = mask[0] if isinstance(mask[0], Tensor) else Tensor(mask[0])
        for m in mask[1:]:
            out = ops.logical_or(out, m)
        return out

    def compute_output_shape(self, input_shape):
        return self._validate(input_shape)

    def _apply_declared_shapes(self, args, outs):
        """A symbolic call's output shape is `compute_output_shape` of the input shapes (as
        Keras 3's `Merge.compute_output_spec`): a batch-1 input next to an unknown batch gives
        batch 1, and two different known batch sizes give None."""
        first = args[0]
        if len(outs) != 1 or not isinstance(first, (list, tuple)):
            return
        if not all(isinstance(t, KerasTensor) for t in first):
            return
        try:
            shape = self.compute_output_shape([tuple(t.shape) for t in first])
        except Exception:  # keep the traced shape
            return
        if isinstance(shape, tuple) and len(shape) == len(outs[0].shape):
            outs[0].shape = shape
