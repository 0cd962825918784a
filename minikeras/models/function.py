"""`keras.Function`: a callable graph from `keras.Input`s to outputs, without Model machinery."""

from .functional import Functional


class Function:
    """Runs the operations recorded between `inputs` and `outputs` on real data.

    As Keras 3's `Function`: built from KerasTensors (`keras.Input`s and what layers and
    `keras.ops` made of them), called with arrays in the structure of `inputs`, returning
    tensors in the structure of `outputs`. It has no weights of its own, no `fit` and no
    `summary`; the layers it runs keep their weights.

    Args:
        inputs: a KerasTensor, or a list / dict of them.
        outputs: a KerasTensor, or a list / dict of them.
        name: an optional name.

    >>> import numpy as np, minikeras as keras
    >>> x = keras.Input((3,))
    >>> f = keras.Function(x, keras.ops.add(x, 1.0))
    >>> f(np.ones((1, 3))).numpy().tolist()
    [[2.0, 2.0, 2.0]]
    """

    def __init__(self, inputs, outputs, name=None):
        self._graph = Functional(inputs, outputs, name=name)
        self.name = self._graph.name
        self._inputs_struct, self._outputs_struct = inputs, outputs

    @property
    def inputs(self):
        """The input KerasTensors, flat."""
        return self._graph.inputs

    @property
    def outputs(self):
        """The output KerasTensors, flat."""
        return self._graph.outputs

    @property
    def operations(self):
        """The operations (layers) the function runs, in order."""
        return self._graph.layers

    def __call__(self, inputs):
        """Runs the graph on `inputs` (arrays or tensors in the structure of `inputs`).

        Args:
            inputs: the data.

        Returns:
            The outputs, in the structure given at construction.
        """
        return self._graph(inputs)

    def compute_output_spec(self, inputs):
        """The output KerasTensors for symbolic `inputs` (the graph applied to them)."""
        return self._graph(inputs)
