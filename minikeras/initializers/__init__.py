"""`keras.initializers`: callables `init(shape, dtype=None)` giving a weight's first value.

As in Keras 3, a random initializer fixes its seed when it is created: an unseeded one draws
that seed from minikeras's global generator (so `keras.utils.set_random_seed` makes it
repeatable), and every call of one initializer object returns the same values. Its config still
says `seed: None`, so a copy rebuilt from the config draws a new seed.

>>> import minikeras as keras
>>> keras.initializers.get("ones")((2,)).numpy().tolist()
[1.0, 1.0]
"""

from ..core import variable as _variable
from ..serialization.tables import ObjectKind as _ObjectKind
from .constant_initializers import STFT, Constant, Identity, Ones, Zeros
from .initializer import Initializer
from .random_initializers import (
    Orthogonal,
    RandomInitializer as RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
)
from .variance_scaling_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
    compute_fans as compute_fans,
)


def _snake(name):
    out = "".join("_" + c.lower() if c.isupper() else c for c in name)
    return out.lstrip("_")


_CLASSES = [
    Initializer,
    Zeros,
    Ones,
    Constant,
    Identity,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    GlorotUniform,
    GlorotNormal,
    HeUniform,
    HeNormal,
    LecunUniform,
    LecunNormal,
    Orthogonal,
    STFT,
]
ALL_OBJECTS_DICT = {c.__name__: c for c in _CLASSES}
ALL_OBJECTS_DICT.update({_snake(c.__name__): c for c in _CLASSES if c is not STFT})
ALL_OBJECTS_DICT.update(
    {
        "normal": RandomNormal,
        "uniform": RandomUniform,
        "one": Ones,
        "zero": Zeros,
        "IdentityInitializer": Identity,
        "OrthogonalInitializer": Orthogonal,
        "STFTInitializer": STFT,
        "stft": STFT,
    }
)
# Keras 3's compatibility aliases, also public names of keras.initializers
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
STFTInitializer = STFT
stft = STFT

# one lookup for every kind of object: the serialization floor's (also registers the table)
_KIND = _ObjectKind("initializer", "keras.initializers", ALL_OBJECTS_DICT)


def serialize(initializer):
    """Returns the Keras 3 config dict of an initializer.

    Args:
        initializer: an initializer object (or a plain function, or `None`).

    Returns:
        A dict `{"module", "class_name", "config", "registered_name"}`, or `None`.

    >>> import minikeras as keras
    >>> keras.initializers.serialize(keras.initializers.Constant(2.0))["config"]
    {'value': 2.0}
    """
    return _KIND.serialize(initializer)


def deserialize(config, custom_objects=None):
    """Builds an initializer from a name or a Keras 2/3 config dict.

    Args:
        config: a name such as `"glorot_uniform"`, or a dict with `class_name` and `config`.
        custom_objects: optional dict of extra names to look up first.

    Returns:
        An initializer object.

    >>> import minikeras as keras
    >>> keras.initializers.deserialize({"class_name": "Constant", "config": {"value": 2.0}})
    Constant(value=2.0)
    """
    return _KIND.deserialize(config, custom_objects)


def get(identifier):
    """Returns an initializer from a name, config dict, class, instance or callable.

    Args:
        identifier: a name, a config dict, a class (instantiated with defaults), an instance or
            callable (returned as is), or `None` (gives `None`).

    Returns:
        An initializer, or `None`.

    >>> import minikeras as keras
    >>> keras.initializers.get("he_normal")
    HeNormal(seed=None, input_axes=None, output_axes=None)
    """
    return _KIND.get(identifier)


_variable.set_initializer_resolver(get)  # keras.Variable(initializer="ones", shape=...) too


def _export_snake_case_aliases():
    # Keras 3 also exports the classes under snake-case names (`keras.regularizers.l2(1e-4)`,
    # `keras.initializers.he_normal()`, `keras.constraints.max_norm(3)`)
    module = globals()
    for key in "constant glorot_normal glorot_uniform he_normal he_uniform identity lecun_normal lecun_uniform ones orthogonal random_normal random_uniform truncated_normal variance_scaling zeros".split():
        if key not in module:
            module[key] = ALL_OBJECTS_DICT[key]


_export_snake_case_aliases()
