"""`keras.optimizers`: the optimizers, `get`, `serialize`, `deserialize` and `schedules`.

`get`/`serialize`/`deserialize` are bound to the serialization floor's `ObjectKind`
(`optimizer.OPTIMIZERS`), whose table this module fills."""

from ..serialization import registry as _registry
from . import schedules
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .ftrl import Ftrl
from .lamb import Lamb
from .lion import Lion
from .loss_scale_optimizer import LossScaleOptimizer
from .multi_optimizer import MultiOptimizer, OptimizerMap
from .muon import Muon
from .nadam import Nadam
from .optimizer import OPTIMIZERS as _KIND, Optimizer
from .rmsprop import RMSprop
from .schedule_free_adamw import ScheduleFreeAdamW
from .sgd import SGD

ALL_OBJECTS = (
    Adam,
    AdamW,
    Adamax,
    Nadam,
    SGD,
    RMSprop,
    Adagrad,
    Adadelta,
    Lion,
    Lamb,
    Adafactor,
    Ftrl,
    Muon,
    ScheduleFreeAdamW,
    MultiOptimizer,
    LossScaleOptimizer,
)
# the kind's own table (registered as "optimizers" for deserialize_keras_object), filled here;
# loading also finds "Adam", "ADAM" and tf.keras's "Custom>Adam" through it
ALL_OBJECTS_DICT = _KIND.table
ALL_OBJECTS_DICT.update({cls.__name__.lower(): cls for cls in ALL_OBJECTS})
_registry.register_base("optimizer", Optimizer)


def serialize(optimizer):
    """Returns an optimizer's config dict as Keras 3 writes it.

    Args:
        optimizer: an `Optimizer` instance.

    Returns:
        A dict `{"module", "class_name", "config", "registered_name"}`.

    >>> import minikeras as keras
    >>> keras.optimizers.serialize(keras.optimizers.SGD(0.5))["config"]["learning_rate"]
    0.5
    """
    return _KIND.serialize(optimizer)


def deserialize(config, custom_objects=None):
    """Builds an optimizer from `serialize`'s dict or a name; also reads tf.keras's `Custom>Adam`.

    Args:
        config: the dict (or a class name, any capitalisation).
        custom_objects: optional dict of extra classes to look up first.

    Returns:
        An `Optimizer` instance.

    >>> import minikeras as keras
    >>> keras.optimizers.deserialize({"class_name": "Adam", "config": {"learning_rate": 0.01}})
    <Adam name=adam...>
    """
    return _KIND.deserialize(config, custom_objects)


def get(identifier):
    """Returns an optimizer from a name (`"adam"`, `"Adam"`), a config dict or an instance.

    Args:
        identifier: the name, dict or `Optimizer` (returned as is); `None` gives `None`.

    Returns:
        An `Optimizer` instance, or `None`.

    >>> import minikeras as keras
    >>> type(keras.optimizers.get("rmsprop")).__name__
    'RMSprop'
    """
    return _KIND.get(identifier)


__all__ = [
    "Optimizer",
    "SGD",
    "Adam",
    "AdamW",
    "Adamax",
    "Nadam",
    "RMSprop",
    "Adagrad",
    "Adadelta",
    "Lion",
    "Lamb",
    "Adafactor",
    "Ftrl",
    "Muon",
    "LossScaleOptimizer",
    "ScheduleFreeAdamW",
    "MultiOptimizer",
    "OptimizerMap",
    "schedules",
    "get",
    "serialize",
    "deserialize",
]
