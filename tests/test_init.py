"""The top-level `minikeras` namespace: names Keras 3 has at `keras.*` (observed with 3.15.1)."""

import minikeras as keras


def test_version():
    assert keras.version() == keras.__version__
    assert isinstance(keras.version(), str)


def test_top_level_base_classes_alias_their_modules():
    """`keras.Loss`, `keras.Metric`, ... are the same classes as `keras.losses.Loss`, ..."""
    assert keras.Loss is keras.losses.Loss
    assert keras.Metric is keras.metrics.Metric
    assert keras.Optimizer is keras.optimizers.Optimizer
    assert keras.Initializer is keras.initializers.Initializer
    assert keras.Regularizer is keras.regularizers.Regularizer
    assert {"version", "Loss", "Metric", "Optimizer", "Initializer", "Regularizer"} <= set(
        keras.__all__
    )
