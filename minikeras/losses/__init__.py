"""`keras.losses`: loss functions (one value per sample) and `Loss` classes (reduced scalars).

Functions take `(y_true, y_pred)` and reduce over the last axis as Keras does, so `(batch, d)`
inputs give `(batch,)` values. Classes add Keras's reduction (`"sum_over_batch_size"` by
default: the sum of the weighted values divided by their number), `sample_weight` and masks.
Everything is written with `ops`, so gradients flow into `y_pred`.

The package is split by family as Keras's docs group losses: `loss.py` (the `Loss` base class,
`LossFunctionWrapper`, the reductions), `regression.py`, `probabilistic.py` (crossentropies, KL
divergence, Poisson), `hinge.py`, `segmentation.py` (Dice, Tversky), `ctc.py` and `circle.py`.
This module re-exports their public names and fills the name table; `serialize`, `deserialize`
and `get` are bound to the serialization floor's `ObjectKind` (`loss.LOSSES`).
"""

from .circle import Circle, circle
from .ctc import CTC, ctc
from .hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from .loss import (  # noqa: F401  (re-exported)
    LOSSES as _KIND,
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
# the kind's own table (registered as "losses" for deserialize_keras_object), filled here
ALL_OBJECTS_DICT = _KIND.table
ALL_OBJECTS_DICT.update(
    {
        **{f.__name__: f for f in _FUNCTIONS},
        **ALIASES,
        **{c.__name__: c for c in ALL_CLASSES},
    }
)


def serialize(loss):
    """Returns the Keras 3 config dict of a loss.

    A `Loss` gives `{"module", "class_name", "config", "registered_name"}`; a function gives
    `{"class_name": "function", "config": name, ...}` (`registered_name: "function"` for a
    built-in one, as Keras 3 writes it).

    Args:
        loss: a `Loss` instance or a loss function.

    Returns:
        A dict.

    >>> import minikeras as keras
    >>> keras.losses.serialize(keras.losses.mean_squared_error)["config"]
    'mean_squared_error'
    """
    return _KIND.serialize(loss)


def deserialize(name, custom_objects=None):
    """Returns a loss from `serialize`'s dict, a Keras 2 `{"class_name", "config"}` dict, or a name.

    As in Keras 3, a function name gives the function and a class name an instance; Keras 2's
    `reduction="auto"` reads as `"sum_over_batch_size"`.

    Args:
        name: the dict or name.
        custom_objects: optional dict of extra names to look up first.

    Returns:
        A `Loss` instance, or a loss function.

    >>> import minikeras as keras
    >>> keras.losses.deserialize({"class_name": "Huber", "config": {"delta": 2.0}}).delta
    2.0
    """
    return _KIND.deserialize(name, custom_objects)


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
    return _KIND.get(identifier)
