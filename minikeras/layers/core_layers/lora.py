"""LoRA (low-rank adaptation) of a layer's main weight, as Keras 3's `lora_rank` and `enable_lora`.

`Dense`, `EinsumDense`, `Conv1D`/`Conv2D`/`Conv3D` (weight `kernel`) and `Embedding` (weight
`embeddings`) share it. Enabling LoRA freezes the weight `W` and adds two trainable float32
factors, `A` of shape `W.shape[:-1] + (rank,)` and `B` of shape `(rank, W.shape[-1])`; the layer
then computes with `W + (lora_alpha / rank) * A @ B`. `B` starts at zero, so enabling LoRA leaves
the outputs unchanged until training moves it.

Saving follows Keras: the weights file holds the merged `W` in `W`'s slot and no factors, so it
has the same layout as the layer without LoRA. Loading into a LoRA layer writes the file's value
into `W` and sets both factors to zero (as Keras does: the loaded model computes exactly what was
saved, and a new `enable_lora` is needed on a fresh layer to fine-tune again).
"""

import numpy as np

from ... import initializers
from ...core import ops


def lora_weight(name):
    """A property `name` that reads the variable stored as `_name`, merged with the LoRA factors
    once LoRA is enabled (a Tensor then, as Keras's `layer.kernel` is a tensor then)."""
    private = "_" + name

    def get(self):
        base = self.__dict__.get(private)
        if base is None:
            raise AttributeError(
                f"{type(self).__name__} '{self.name}' has no `{name}` yet: build the layer first."
            )
        return self._lora_merged(base) if self.lora_enabled else base

    def set(self, value):
        setattr(self, private, value)

    return property(get, set, doc=f"The layer's `{name}` (with the LoRA update when enabled).")


class LoRA:
    """Mixin giving a layer Keras's LoRA: `lora_rank`/`lora_alpha` in the constructor and config,
    `enable_lora`, and saving/loading with the merged weight.

    The layer sets `_lora_weight` ("kernel" or "embeddings"), calls `_init_lora` in `__init__` and
    `_build_lora` at the end of `build`, reads the weight through `lora_weight(name)`, and adds
    `_lora_config()` to its config. The weight's constraint and regularizer are found as
    `<name>_constraint` / `<name>_regularizer` (LoRA refuses the first, the factors take the
    second, as in Keras).
    """

    _lora_weight = "kernel"

    def _init_lora(self, lora_rank, lora_alpha):
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False

    def _build_lora(self):
        self.built = True  # enable_lora requires a built layer; build() is still running
        if self.lora_rank and not self.lora_enabled:  # lora_rank=0 means no LoRA, as Keras
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    def _lora_factors(self):
        name = self._lora_weight
        return getattr(self, f"lora_{name}_a"), getattr(self, f"lora_{name}_b")

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform", b_initializer="zeros"):
        """Freezes the layer's weight and adds the trainable low-rank factors.

        Args:
            rank: the factors' inner size, a positive integer.
            lora_alpha: the update is scaled by `lora_alpha / rank` (default `rank`, scale 1).
            a_initializer, b_initializer: for the factors `A` and `B` (B zero keeps the outputs).

        Raises:
            ValueError: if the weight has a constraint, the layer is not built, LoRA is already
                enabled, or `rank` is not a positive integer.
        """
        name = self._lora_weight
        who = f"{type(self).__name__} '{self.name}'"
        if getattr(self, f"{name}_constraint", None) is not None:
            raise ValueError(
                f"{who}: LoRA is incompatible with a `{name}_constraint`; create the layer "
                f"without it to enable LoRA. Received: {name}_constraint="
                f"{getattr(self, f'{name}_constraint')!r}"
            )
        if not self.built:
            raise ValueError(f"{who}: cannot enable LoRA on a layer that is not built yet.")
        if self.lora_enabled:
            raise ValueError(f"{who}: LoRA is already enabled; it can be enabled once per layer.")
        if isinstance(rank, bool) or not isinstance(rank, int) or rank <= 0:
            raise ValueError(f"{who}: `rank` must be a positive integer. Received: rank={rank!r}")
        base = self.__dict__["_" + name]
        regularizer = getattr(self, f"{name}_regularizer", None)
        # float32 factors (as Keras), whatever the layer's dtype, so small updates are kept
        shape = self._lora_base_shape()  # the float weight's (an int4 kernel is packed)
        shapes = (tuple(shape[:-1]) + (rank,), (rank, shape[-1]))
        a, b = (
            self.add_weight(
                shape=shape,
                initializer=initializers.get(init),
                dtype="float32",
                regularizer=regularizer,
                name=f"lora_{name}_{part}",
            )
            for shape, init, part in zip(shapes, (a_initializer, b_initializer), "ab")
        )
        setattr(self, f"lora_{name}_a", a)
        setattr(self, f"lora_{name}_b", b)
        base.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank

    def _lora_base_shape(self):
        return tuple(self.__dict__["_" + self._lora_weight].shape)

    def _lora_merged(self, base):
        """`W + (alpha / rank) * A @ B` in W's dtype; gradients reach A and B, not W."""
        a, b = self._lora_factors()
        merged = base + (self.lora_alpha / self.lora_rank) * ops.matmul(a, b)  # (*W.shape)
        return merged if merged.dtype == base.dtype else ops.cast(merged, base.dtype)

    def _lora_config(self):
        if not self.lora_rank:
            return {}
        return {"lora_rank": self.lora_rank, "lora_alpha": self.lora_alpha}

    # -- saving: the merged weight in the weight's slot, no factors (Keras's layout) ------------
    def _saved_variables(self):
        """The variables the weights file holds for this layer, in order (the LoRA factors are
        not saved: the weight's slot holds the merged value)."""
        own = list(self._own_variables)
        if not self.lora_enabled:
            return own
        factors = self._lora_factors()
        return [v for v in own if all(v is not f for f in factors)]

    def save_own_variables(self, store):
        if not self.lora_enabled:
            return super().save_own_variables(store)
        base = self.__dict__["_" + self._lora_weight]
        for i, v in enumerate(self._saved_variables()):
            store[str(i)] = getattr(self, self._lora_weight).data if v is base else v.data

    def load_own_variables(self, store):
        if not self.lora_enabled:
            return super().load_own_variables(store)
        saved = self._saved_variables()
        who = f"layer '{self.name}' ({type(self).__name__}, LoRA enabled)"
        if len(store) != len(saved):
            raise ValueError(f"{who} expects {len(saved)} weights, the file holds {len(store)}.")
        values = [np.asarray(store[str(i)]) for i in range(len(saved))]
        for v, value in zip(saved, values):
            if tuple(value.shape) != tuple(v.shape):
                raise ValueError(
                    f"{who}: weight {v.path!r} expects shape {tuple(v.shape)}, the file holds "
                    f"{tuple(value.shape)}."
                )
        for v, value in zip(saved, values):
            v.data[...] = value
        for factor in self._lora_factors():
            factor.data[...] = 0
