"""Losses and accuracy metrics on predictions without a class axis: Keras 3.15.1 (torch)
raises an IndexError ("tuple index out of range"); minikeras raises one that says why."""

import numpy as np
import pytest

import minikeras as keras


def test_losses_and_accuracy_metrics_explain_a_scalar_prediction():
    # Keras 3 raises an IndexError ("tuple index out of range"); an AxisError is an IndexError
    for fn in (
        lambda: keras.losses.SparseCategoricalCrossentropy()(np.float32(1), np.float32(0.5)),
        lambda: keras.metrics.SparseCategoricalAccuracy()(np.float32(1), np.float32(0.5)),
        lambda: keras.metrics.TopKCategoricalAccuracy()(np.float32(1), np.float32(0.5)),
    ):
        with pytest.raises(IndexError, match="one score per class"):
            fn()
    with pytest.raises(ValueError, match="one-hot targets of the predictions' shape"):
        keras.metrics.top_k_categorical_accuracy(np.eye(3)[:2], np.ones((3, 3)))
