"""`keras.optimizers`: the optimizers, `get`, `serialize`, `deserialize` and `schedules`."""

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
from .muon import Muon
from .nadam import Nadam
from .optimizer import Optimizer
from .rmsprop import RMSprop
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
    LossScaleOptimizer,
)
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}

# loading finds optimizers by class name or any capitalisation (tf.keras writes "Adam", "adam")
_registry.register_table("optimizers", {**{c.__name__: c for c in ALL_OBJECTS}, **ALL_OBJECTS_DICT})
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
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"serialize expects an Optimizer. Received: {optimizer!r}")
    cls = type(optimizer)
    builtin = ALL_OBJECTS_DICT.get(cls.__name__.lower()) is cls
    return {
        "module": "keras.optimizers" if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": optimizer.get_config(),
        "registered_name": None if builtin else cls.__name__,
    }


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
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Expected a dict with 'class_name' and 'config' for an optimizer. Received: {config!r}"
        )
    name = str(config["class_name"])
    name = name.split(">", 1)[1] if name.startswith("Custom>") else name  # tf.keras 2.11+ names
    cls = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name.lower())
    if cls is None:
        raise ValueError(
            f"Could not interpret optimizer identifier: {name!r}. Valid names are "
            f"{sorted(ALL_OBJECTS_DICT)} (any capitalisation), or pass `custom_objects`."
        )
    return cls.from_config(dict(config.get("config") or {}), custom_objects=custom_objects)


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
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")


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
    "schedules",
    "get",
    "serialize",
    "deserialize",
]
