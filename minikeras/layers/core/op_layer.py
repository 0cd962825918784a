"""Operation nodes: `keras.ops` functions applied to KerasTensors inside a functional model."""

from ...core import ops as ops_module
from ...utils import naming
from ..layer import Layer


class OpLayer(Layer):
    """Wraps one `keras.ops` call on symbolic tensors so the functional graph can replay it.

    Calling a `keras.ops` function on KerasTensors creates one. It is not listed in
    `model.layers`, like Keras 3's operation nodes (`NotEqual`, `Add`, ...).

    Args:
        op_name: the name of the `keras.ops` function.
        kwargs: keyword arguments for the op, saved in the config.
        name: the layer's name (default: the op's name, made unique).

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.OpLayer("add")(np.ones(2, "float32"), np.ones(2, "float32")).numpy().tolist()
    [2.0, 2.0]
    >>> x = keras.Input((3,))
    >>> [type(layer).__name__ for layer in keras.Model(x, keras.ops.relu(x)).layers]
    ['InputLayer']
    """

    _is_operation = True

    def __init__(self, op_name, kwargs=None, name=None, **base):
        # "image.resize" (a `keras.ops.image` function) is named "resize", as Keras does
        super().__init__(name=name or naming.uniquify(op_name.rsplit(".", 1)[-1]), **base)
        self.op_name = op_name
        self.op_kwargs = dict(kwargs or {})
        self.built = True
        self._call_has_mask = False

    def build(self, input_shape):
        self.built = True

    def call(self, *args, **kwargs):
        fn = ops_module
        for part in self.op_name.split("."):  # "image.resize" -> ops.image.resize
            fn = getattr(fn, part)
        fn = getattr(fn, "_raw", fn)
        return fn(*args, **{**self.op_kwargs, **kwargs})

    def get_config(self):
        return {"name": self.name, "op_name": self.op_name, "kwargs": self.op_kwargs}


def _symbolic_op(name, fn, args, kwargs):
    layer = OpLayer(name)
    return layer(*args, **kwargs)


ops_module._symbolic_hook = _symbolic_op
