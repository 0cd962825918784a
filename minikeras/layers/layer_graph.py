"""`GraphAttributes`: what a layer knows about its calls on `KerasTensor`s (its inbound
nodes): `input`, `output`, `input_shape`, `output_shape` and the per-call `get_input_at` /
`get_output_at` of the Keras 2 API."""

from .call_context import describe


class GraphAttributes:
    """Inputs and outputs of a layer's symbolic calls (mixed into `Layer`, which keeps the
    `Node`s recorded by its symbolic calls in `_inbound_nodes`)."""

    def _node_attribute(self, node_index, attr, what):
        """`attr` ("input_tensors" or "outputs") of inbound node `node_index`: one tensor, or a
        list when the call took or gave several (as Keras 3's `Operation` does)."""
        nodes = self._inbound_nodes
        if not nodes:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined {what}. "
                f"Call it on a symbolic tensor (from keras.Input) first."
            )
        if not -len(nodes) <= node_index < len(nodes):
            raise ValueError(
                f"Asked to get {what} at node {node_index}, but {describe(self)} has only "
                f"{len(nodes)} inbound node(s)."
            )
        values = getattr(nodes[node_index], attr)
        return values[0] if len(values) == 1 else list(values)

    @property
    def input(self):
        """The symbolic input(s) of this layer's first call on KerasTensors (Keras 3 returns
        the first node's even when the layer was called several times)."""
        return self._node_attribute(0, "input_tensors", "input")

    @property
    def output(self):
        """The symbolic output(s) of this layer's first call on KerasTensors."""
        return self._node_attribute(0, "outputs", "output")

    def get_input_at(self, node_index):
        """The input(s) of the call `node_index` (Keras 2 API, for shared layers)."""
        return self._node_attribute(node_index, "input_tensors", "input")

    def get_output_at(self, node_index):
        """The output(s) of the call `node_index` (Keras 2 API, for shared layers)."""
        return self._node_attribute(node_index, "outputs", "output")

    def _node_shapes(self, attr, what):
        if not self._inbound_nodes:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined {what} shape."
            )
        shapes = []
        for node in self._inbound_nodes:
            values = getattr(node, attr)
            shape = [t.shape for t in values]
            shapes.append(shape[0] if len(shape) == 1 else shape)
        if any(s != shapes[0] for s in shapes[1:]):
            getter = "get_input_at" if what == "input" else "get_output_at"
            raise AttributeError(
                f"{describe(self)} has multiple inbound nodes with different {what} shapes "
                f"{shapes}, so its {what} shape is ill-defined. Use `{getter}(node_index).shape` "
                "instead."
            )
        return shapes[0]

    @property
    def input_shape(self):
        """The shape of `input` (Keras 2 API; Keras 3 keeps it on models only). Raises when the
        layer was never called or its calls had different shapes."""
        return self._node_shapes("input_tensors", "input")

    @property
    def output_shape(self):
        """The shape of `output` (Keras 2 API; Keras 3 keeps it on models only)."""
        return self._node_shapes("outputs", "output")
