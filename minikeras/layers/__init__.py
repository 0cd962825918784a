"""`keras.layers`: every layer class, and the functional forms of the merging layers.

Each sub-package lists its public names in `__all__`; they are all exported here.
`LAYER_CLASSES` (the closed registry used when loading files) is built from everything exported.
"""

from ..serialization import registry as _registry
from .layer import InputSpec as InputSpec, Layer
from .node import KerasTensor as KerasTensor
from .core_layers.op_layer import OpLayer as OpLayer
from .core_layers import *  # noqa: F401,F403
from .activations import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .convolutional import *  # noqa: F401,F403
from .merging import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .preprocessing import *  # noqa: F401,F403
from .regularization import *  # noqa: F401,F403
from .reshaping import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
from .spatial import *  # noqa: F401,F403
from .wrappers import *  # noqa: F401,F403


def _collect():
    import inspect

    return {
        name: obj
        for name, obj in globals().items()
        if inspect.isclass(obj) and issubclass(obj, Layer) and not name.startswith("_")
    }


LAYER_CLASSES = _collect()

# the closed table loading resolves layer classes in (serialization never imports layers)
_registry.register_table("layers", LAYER_CLASSES)
_registry.register_base("layer", Layer)
