"""`Initializer`, the base class of `keras.initializers`, and the argument checks they share."""

import numpy as np

from ..core import dtypes
from ..core.tensor import Tensor as _Tensor


class Initializer:
    """Base class of initializers: callables `init(shape, dtype=None)` returning a tensor.

    The built-in ones return a minikeras Tensor; a subclass may return a numpy array.

    Subclasses implement `__call__(shape, dtype=None)` and, when they take arguments,
    `get_config()`; `from_config` and `clone` then work as in Keras.

    >>> import numpy as np, minikeras as keras
    >>> class Twos(keras.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return np.full(shape, 2.0, dtype or "float32")
    >>> layer = keras.layers.Dense(2, kernel_initializer=Twos())
    >>> layer(np.ones((1, 3), "float32")).numpy().tolist()
    [[6.0, 6.0]]
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # the built-in initializers return a Tensor, as Keras 3's return a backend tensor
        # (`init(shape).numpy()`, `float(init((1, 1)))`); a user's subclass returns what it returns
        if cls.__module__.rpartition(".")[0] == __package__ and "__call__" in cls.__dict__:
            draw = cls.__dict__["__call__"]

            def __call__(self, shape, dtype=None):
                out = draw(self, shape, dtype)
                return _Tensor(out) if isinstance(out, np.ndarray) else out

            __call__.__doc__, __call__.__wrapped__ = draw.__doc__, draw
            cls.__call__ = __call__

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__(shape, dtype).")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("dtype", None)  # tf.keras 1.x wrote the dtype into initializer configs
        return cls(**config)

    def clone(self):
        return type(self).from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _check_shape(shape, who):
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        dims = None
    if dims is None or not all(isinstance(d, (int, np.integer)) and d >= 0 for d in dims):
        raise ValueError(f"{who} expects a shape of non-negative ints. Received: shape={shape!r}")
    return tuple(int(d) for d in dims)


def _float_dtype(dtype, who):
    name = dtypes.standardize_dtype(dtype)
    if not dtypes.is_float(name):
        raise ValueError(f"{who} produces floating-point values only. Received: dtype={dtype!r}")
    return name
