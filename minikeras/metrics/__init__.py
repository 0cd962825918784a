"""`keras.metrics`: stateful metrics, metric functions, `get`/`serialize`/`deserialize`, and the
helpers `compile` uses to resolve `"accuracy"` and other names as Keras 3 does.

`get`/`serialize`/`deserialize` are bound to the serialization floor's `ObjectKind`
(`metric.METRICS`), whose tables this module fills."""

import inspect

from .. import losses as _losses
from ..losses import (  # the loss functions are metric functions too  # noqa: F401
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from ..utils.naming import to_snake_case
from .accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from .auc import AUC
from .confusion import (
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from .correlation import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from .f_score import F1Score, FBetaScore
from .iou import IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from .metric import METRICS as _KIND, Mean, MeanMetricWrapper, Metric, Sum
from .regression import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    KLDivergence,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    RootMeanSquaredError,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    cosine_similarity,
)
from .r2_score import R2Score
from .sensitivity_specificity import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)

ALL_CLASSES = (
    Metric,
    Mean,
    Sum,
    MeanMetricWrapper,
    MeanSquaredError,
    RootMeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCoshError,
    AUC,
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    F1Score,
    FBetaScore,
    IoU,
    BinaryIoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
    R2Score,
    PearsonCorrelation,
    ConcordanceCorrelation,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
# the kind's own table (registered as "metrics" for deserialize_keras_object), filled here
ALL_OBJECTS_DICT = _KIND.table
ALL_OBJECTS_DICT.update({c.__name__: c for c in ALL_CLASSES})
ALL_OBJECTS_DICT.update({to_snake_case(c.__name__): c for c in ALL_CLASSES})
ALL_OBJECTS_DICT.update(
    {
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
    }
)

# functions that a MeanMetricWrapper config may name in its "fn" entry
METRIC_FUNCTIONS = {
    f.__name__: f
    for f in (
        accuracy,
        binary_accuracy,
        categorical_accuracy,
        sparse_categorical_accuracy,
        top_k_categorical_accuracy,
        sparse_top_k_categorical_accuracy,
        cosine_similarity,
        pearson_correlation,
        concordance_correlation,
    )
}
# ... and the loss functions, which are metric functions too
_KIND.functions.update(
    {name: f for name, f in _losses.ALL_OBJECTS_DICT.items() if not inspect.isclass(f)}
)
_KIND.functions.update(METRIC_FUNCTIONS)


def serialize_function(fn):
    """Returns a metric function in the form Keras 3 writes inside configs.

    Args:
        fn: a function with a `__name__`.

    Returns:
        A dict `{"module", "class_name": "function", "config": name, "registered_name"}`
        (`"keras.metrics"` and `"function"` for a built-in metric or loss function).

    >>> import minikeras as keras
    >>> keras.metrics.serialize_function(keras.metrics.binary_accuracy)["config"]
    'binary_accuracy'
    """
    return _KIND.serialize(fn)


def deserialize_function(config, custom_objects=None):
    """Returns the metric function named by a string or a `{"class_name": "function", ...}` dict.

    Args:
        config: a name, a dict, or a callable (returned as is).
        custom_objects: optional dict of extra names to look up first.

    Returns:
        The function (metric functions and loss functions are known).

    >>> import minikeras as keras
    >>> keras.metrics.deserialize_function("binary_accuracy") is keras.metrics.binary_accuracy
    True
    """
    return _KIND.function(config, custom_objects)


def serialize(metric):
    """Returns the Keras 3 config dict of a metric.

    A `Metric` gives `{"module", "class_name", "config", "registered_name"}`; a function gives the
    `serialize_function` form.

    Args:
        metric: a `Metric` instance or a metric function.

    Returns:
        A dict.

    >>> import minikeras as keras
    >>> keras.metrics.serialize(keras.metrics.AUC())["class_name"]
    'AUC'
    """
    return _KIND.serialize(metric)


def deserialize(config, custom_objects=None):
    """Returns a metric from `serialize`'s dict, a Keras 2 `{"class_name", "config"}` dict, a name.

    As in Keras 3, a name gives an instance of the metric class it names (`"binary_accuracy"`
    gives `BinaryAccuracy()`); a `{"class_name": "function"}` entry gives the function.

    Args:
        config: the dict or name.
        custom_objects: optional dict of extra names to look up first.

    Returns:
        A `Metric` instance, or a function for a function entry.

    >>> import minikeras as keras
    >>> m = keras.metrics.deserialize({"class_name": "Precision", "config": {"thresholds": 0.3}})
    >>> m.thresholds
    [0.3]
    """
    return _KIND.deserialize(config, custom_objects)


def get(identifier):
    """Returns a metric from a name, a config dict, a `Metric` instance or a function.

    Names are class names, their snake case, or aliases such as `"mse"`; they give new
    instances. (`"accuracy"` is resolved by `compile`, see `resolve_metric`.)

    Args:
        identifier: the name, dict, instance or function; `None` gives `None`.

    Returns:
        A `Metric` or a function.

    >>> import minikeras as keras
    >>> type(keras.metrics.get("mse")).__name__
    'MeanSquaredError'
    """
    return _KIND.get(identifier)


# -- what compile() does with metric identifiers --------------------------------------------
_SPARSE_LOSSES = {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"}
_BINARY_LOSSES = {
    "binary_crossentropy",
    "bce",
    "BCE",
    "BinaryCrossentropy",
    "binary_focal_crossentropy",
    "BinaryFocalCrossentropy",
}


def _loss_kind(loss):
    """ "sparse", "binary" or None from a loss identifier (name, function or Loss)."""
    fn = getattr(loss, "fn", None)  # a LossFunctionWrapper
    names = {
        loss if isinstance(loss, str) else None,
        type(loss).__name__,
        getattr(loss, "__name__", None),
        getattr(fn, "__name__", None),
    }
    if names & _SPARSE_LOSSES:
        return "sparse"
    if names & _BINARY_LOSSES:
        return "binary"
    return None


def resolve_accuracy(loss=None, y_true_shape=None, y_pred_shape=None, name="accuracy"):
    """Returns the accuracy metric that `metrics=["accuracy"]` (or `"acc"`) means, named `name`.

    As Keras 3, the shapes decide: predictions with last dimension 1 give `BinaryAccuracy`;
    targets of lower rank, or `(..., 1)` targets against several classes, give
    `SparseCategoricalAccuracy`; otherwise `CategoricalAccuracy`. The loss (sparse or binary
    crossentropy) decides only when the shapes cannot: unknown shapes or 1-D predictions.

    Args:
        loss: the compiled loss (a name, function or `Loss`), or `None`.
        y_true_shape: the targets' shape, if known.
        y_pred_shape: the predictions' shape, if known.
        name: the metric's name.

    Returns:
        A `BinaryAccuracy`, `SparseCategoricalAccuracy` or `CategoricalAccuracy`.

    >>> import minikeras as keras
    >>> type(keras.metrics.resolve_accuracy(None, (32,), (32, 10))).__name__
    'SparseCategoricalAccuracy'
    """
    kind = _loss_kind(loss)
    if y_pred_shape is not None and len(y_pred_shape) >= 2:
        p_last = y_pred_shape[-1]
        if p_last == 1:
            kind = "binary"
        elif y_true_shape is not None:
            t_rank = len(y_true_shape)
            t_last = y_true_shape[-1] if t_rank else None
            sparse = t_rank < len(y_pred_shape) or (t_last == 1 and p_last > 1)
            kind = "sparse" if sparse else "categorical"
    elif y_pred_shape is not None and len(y_pred_shape) == 1 and kind is None:
        kind = "binary"  # one score per sample: a binary output
    if kind == "binary":
        return BinaryAccuracy(name=name)
    if kind == "sparse":
        return SparseCategoricalAccuracy(name=name)
    return CategoricalAccuracy(name=name)


def _object_name(obj):
    """Keras 3's `get_object_name`: a `name` attribute (a `Metric`, a `Loss` object), else the
    function's or the class's name in snake case."""
    if isinstance(getattr(obj, "name", None), str):
        return obj.name
    if hasattr(obj, "__name__"):
        return to_snake_case(obj.__name__)
    return to_snake_case(type(obj).__name__)


def resolve_metric(identifier, y_true_shape=None, y_pred_shape=None, loss=None):
    """Returns a `Metric` for one `compile(metrics=[...])` entry, named as Keras 3 names it in logs.

    `"accuracy"` and `"acc"` go through `resolve_accuracy`; a string keeps its spelling as the
    name (`"mae"` logs as `mae`); functions are wrapped in `MeanMetricWrapper` named after them.

    Args:
        identifier: the `metrics` entry (name, function, `Metric` or `None`).
        y_true_shape: the targets' shape, if known.
        y_pred_shape: the predictions' shape, if known.
        loss: the compiled loss, used for `"accuracy"`.

    Returns:
        A `Metric`, or `None`.

    >>> import minikeras as keras
    >>> m = keras.metrics.resolve_metric("mae")
    >>> type(m).__name__, m.name
    ('MeanAbsoluteError', 'mae')
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        return resolve_accuracy(loss, y_true_shape, y_pred_shape, name=identifier)
    obj = get(identifier)
    if isinstance(identifier, str):
        name = identifier
    else:
        name = _object_name(obj)
    if not isinstance(obj, Metric):
        obj = MeanMetricWrapper(obj, name=name)
    obj.name = name
    return obj
