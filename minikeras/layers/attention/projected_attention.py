"""`ProjectedAttention`: what `MultiHeadAttention` and `GroupedQueryAttention` share.

Both project query, key, value (and optionally a gate) with `EinsumDense` sublayers that are
created at the first call, when all three shapes are known; both record those shapes as their
build config and return an output mask (and `None` for the scores) as Keras 3 does.
"""

from ..layer import Layer, _shape_to_list
from .attention_utils import shape_of


class ProjectedAttention(Layer):
    # the class name in call errors (Keras 3's exported name)
    _keras_name = "ProjectedAttention"

    def _finish_build(self, query_shape, value_shape, key_shape):
        """Marks the projections built and records the build shapes (after `build` made them)."""
        for sub in (
            self._query_dense,
            self._key_dense,
            self._gate_dense,
            self._value_dense,
            self._output_dense,
        ):
            if sub is not None:
                sub.built = True
        if not self._trainable:  # the projections inherit a frozen state
            self.trainable = False
        shapes = {"query_shape": query_shape, "value_shape": value_shape}
        if key_shape is not value_shape:
            shapes["key_shape"] = key_shape
        self._build_shapes_dict = shapes
        self.built = True

    def __call__(self, query=None, value=None, key=None, **kwargs):
        if query is None:
            query = kwargs.pop("inputs", None)
        if query is None or value is None:
            raise TypeError(
                f"{self._keras_name} layer '{self.name}' must be called with `query` "
                "and `value` (and optionally `key`)."
            )
        if self._query_dense is None:
            self.build(shape_of(query), shape_of(value), shape_of(key))
        args = (query, value) if key is None else (query, value, key)
        return super().__call__(*args, **kwargs)

    def compute_mask(self, inputs, mask=None):
        returned, self._returned_scores = self._returned_scores, False
        return [mask, None] if returned and mask is not None else mask

    def get_build_config(self):
        if self._build_shapes_dict is None:
            return None
        return {"shapes_dict": {k: _shape_to_list(v) for k, v in self._build_shapes_dict.items()}}

    def build_from_config(self, config):
        if not config or self._query_dense is not None:
            return
        if "shapes_dict" in config:
            self.build(**{k: tuple(v) for k, v in config["shapes_dict"].items()})
        elif "input_shape" in config:  # a query shape alone: self-attention
            self.build(tuple(config["input_shape"]), tuple(config["input_shape"]))
