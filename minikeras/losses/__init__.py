"""`keras.losses`: loss functions (one value per sample) and `Loss` classes (reduced scalars).

Functions take `(y_true, y_pred)` and reduce over the last axis as Keras does, so `(batch, d)`
inputs give `(batch,)` values. Classes add Keras's reduction (`"sum_over_batch_size"` by
default: the sum of the weighted values divided by their number), `sample_weight` and masks.
Everything is written with `ops`, so gradients flow into `y_pred`.

The package is split by family as Keras's docs group losses: `loss.py` (the `Loss` base class,
`LossFunctionWrapper`, the reductions), `regression.py`, `probabilistic.py` (crossentropies, KL
divergence, Poisson), `hinge.py`, `segmentation.py` (Dice, Tversky), `ctc.py` and `circle.py`.
This module re-exports their public names and holds the name tables, `serialize`, `deserialize`
and `get`.
"""

import inspect

from ..serialization import registry as _registry

from .circle import Circle, circle
from .ctc import CTC, ctc
from .hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from .loss import (  # noqa: F401  (re-exported)
    REDUCTIONS,
    Loss,
    LossFunctionWrapper,
    apply_mask,
    reduce_values,
    reduce_weighted_values,
    squeeze_or_expand_to_same_rank,
    standardize_reduction,
)
from .probabilistic import (  # noqa: F401  (re-exported)
    BCE,
    KLD,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    bce,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from .regression import (  # noqa: F401  (re-exported)
    MAE,
    MAPE,
    MSE,
    MSLE,
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    logcosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
)
from .segmentation import Dice, Tversky, dice, tversky


ALL_CLASSES = (
    Loss,
    LossFunctionWrapper,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    Huber,
    LogCosh,
    KLDivergence,
    Poisson,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    SparseCategoricalCrossentropy,
    Dice,
    Tversky,
    CTC,
    Circle,
)


_FUNCTIONS = (
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    huber,
    log_cosh,
    kl_divergence,
    poisson,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    sparse_categorical_crossentropy,
    hinge,
    squared_hinge,
    categorical_hinge,
    dice,
    tversky,
    ctc,
    circle,
)
ALIASES = {
    "mse": mse,
    "MSE": mse,
    "mae": mae,
    "MAE": mae,
    "mape": mape,
    "MAPE": mape,
    "msle": msle,
    "MSLE": msle,
    "kld": kld,
    "KLD": kld,
    "kullback_leibler_divergence": kld,
    "bce": bce,
    "BCE": bce,
    "logcosh": log_cosh,
    "huber_loss": huber,
}
ALL_OBJECTS_DICT = {
    **{f.__name__: f for f in _FUNCTIONS},
    **ALIASES,
    **{c.__name__: c for c in ALL_CLASSES},
}
_registry.register_table("losses", ALL_OBJECTS_DICT)  # deserialize_keras_object finds them


def serialize(loss):
    """Returns the Keras 3 config dict of a loss.

    A `Loss` gives `{"module", "class_name", "config", "registered_name"}`; a function gives
    `{"class_name": "function", "config": name, ...}`.

    Args:
        loss: a `Loss` instance or a loss function.

    Returns:
        A dict.

    >>> import minikeras as keras
    >>> keras.losses.serialize(keras.losses.mean_squared_error)["config"]
    'mean_squared_error'
    """
    if isinstance(loss, Loss):
        cls = type(loss)
        builtin = ALL_OBJECTS_DICT.get(cls.__name__) is cls
        return {
            "module": "keras.losses" if builtin else cls.__module__,
            "class_name": cls.__name__,
            "config": loss.get_config(),
            "registered_name": None if builtin else cls.__name__,
        }
    if callable(loss):
        name = getattr(loss, "__name__", None)
        if name is None:
            raise ValueError(f"Cannot serialize the loss {loss!r}: it has no __name__.")
        builtin = ALL_OBJECTS_DICT.get(name) is loss
        return {
            "module": "keras.losses" if builtin else getattr(loss, "__module__", None),
            "class_name": "function",
            "config": name,
            "registered_name": "function" if builtin else name,
        }
    raise ValueError(f"Cannot serialize {loss!r} as a loss.")


def _lookup(name, custom_objects):
    obj = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name)
    if obj is None:
        raise ValueError(
            f"Could not interpret loss identifier: {name!r}. Valid names are "
            f"{sorted(ALL_OBJECTS_DICT)}, or pass a callable / `custom_objects`."
        )
    return obj


def deserialize(name, custom_objects=None):
    """Returns a loss from `serialize`'s dict, a Keras 2 `{"class_name", "config"}` dict, or a name.

    Args:
        name: the dict or name.
        custom_objects: optional dict of extra names to look up first.

    Returns:
        A `Loss` instance for a class config, otherwise the function or class found.

    >>> import minikeras as keras
    >>> keras.losses.deserialize({"class_name": "Huber", "config": {"delta": 2.0}}).delta
    2.0
    """
    if isinstance(name, str):
        return _lookup(name, custom_objects)
    if not isinstance(name, dict) or "class_name" not in name:
        raise ValueError(f"Could not interpret loss identifier: {name!r}")
    cls_name, config = name["class_name"], name.get("config")
    if cls_name == "function":
        return _lookup(config, custom_objects)
    obj = _lookup(cls_name, custom_objects)
    if not inspect.isclass(obj):
        return obj
    config = dict(config or {})
    if config.get("reduction") == "auto":  # Keras 2's default
        config["reduction"] = "sum_over_batch_size"
    if isinstance(config.get("fn"), (str, dict)):
        config["fn"] = deserialize(config["fn"], custom_objects)
    return obj.from_config(config) if hasattr(obj, "from_config") else obj(**config)


def get(identifier):
    """Returns a loss from a name, a config dict, a `Loss` instance or a callable.

    Class names give instances and function names (or aliases such as `"mse"`) give functions.

    Args:
        identifier: the name, dict, instance or callable; `None` gives `None`.

    Returns:
        A callable loss.

    >>> import minikeras as keras
    >>> keras.losses.get("mse") is keras.losses.mean_squared_error
    True
    >>> type(keras.losses.get("MeanSquaredError")).__name__
    'MeanSquaredError'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _lookup(identifier, None)
    else:
        obj = identifier
    if inspect.isclass(obj):
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")
