"""`keras.Operation`: the base of a user-defined operation (`call` + `compute_output_spec`)."""

from .layer import Layer


class Operation(Layer):
    """A stateless computation with Keras's `Operation` interface.

    Subclass it and define `call` (the computation on tensors) and, for symbolic inputs,
    `compute_output_spec` (returning a `keras.KerasTensor` of the output shape and dtype).
    In Keras 3 every Layer is an Operation; in minikeras `Operation` is a weightless Layer, so an
    instance works on tensors, on `keras.Input`s in a functional model, and in saved configs.

    Args:
        name: the operation's name.
        **kwargs: further Layer arguments (`dtype`).

    >>> import minikeras as keras
    >>> class Double(keras.Operation):
    ...     def call(self, x):
    ...         return x * 2
    >>> Double()(keras.ops.ones(2)).numpy().tolist()
    [2.0, 2.0]
    """

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
