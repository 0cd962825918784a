"""InceptionV3: Keras's parameter counts, auto-numbered layer names in Keras's order,
BatchNormalization without scale, pooling heads and argument checks."""

import numpy as np
import pytest

import minikeras as keras
from minikeras import applications

INCEPTION_TOTAL = 23_851_784  # Keras's documented figure
TOP = 2048 * 1000 + 1000


@pytest.mark.slow
def test_inception_v3_full_size_parameter_count():
    model = applications.InceptionV3(weights=None)
    assert model.name == "inception_v3"
    assert model.count_params() == INCEPTION_TOTAL
    assert model.input_shape == (None, 299, 299, 3)
    lines = []
    model.summary(print_fn=lambda line, **kw: lines.append(line))
    assert any("Total params: 23,851,784" in line for line in lines)


@pytest.fixture(scope="module")
def small_inception():
    keras.backend.clear_session()  # Keras's names assume a fresh session
    return applications.InceptionV3(
        weights=None, include_top=False, input_shape=(75, 75, 3), pooling="avg"
    )


def test_inception_v3_without_top(small_inception):
    assert small_inception.count_params() == INCEPTION_TOTAL - TOP
    assert small_inception.output_shape == (None, 2048)
    y = small_inception.predict(
        np.random.default_rng(0).random((1, 75, 75, 3), "float32"), verbose=0
    )
    assert y.shape == (1, 2048) and np.isfinite(y).all()


def test_inception_v3_layers(small_inception):
    names = [l.name for l in small_inception.layers]
    assert len(names) == 312  # 311 in Keras's count without the top, plus the pooling
    assert names[:11] == [
        "input_layer",
        "conv2d",
        "batch_normalization",
        "activation",
        "conv2d_1",
        "batch_normalization_1",
        "activation_1",
        "conv2d_2",
        "batch_normalization_2",
        "activation_2",
        "max_pooling2d",
    ]
    assert sum(type(l).__name__ == "Conv2D" for l in small_inception.layers) == 94
    assert "conv2d_93" in names and "conv2d_94" not in names
    for i in range(11):
        assert f"mixed{i}" in names
    assert names[-6:] == [
        "activation_85",
        "mixed9_1",
        "concatenate_1",
        "activation_93",
        "mixed10",
        "global_average_pooling2d",
    ]
    bn = small_inception.get_layer("batch_normalization_5")
    assert not bn.scale and [w.name for w in bn.weights] == [
        "beta",
        "moving_mean",
        "moving_variance",
    ]
    assert bn.get_config()["epsilon"] == 1e-3
    assert not small_inception.get_layer("conv2d_5").use_bias
    # mixed0: conv2d_5 is the 1x1 branch, conv2d_6 -> conv2d_7 the 1x1 -> 5x5 branch
    assert small_inception.get_layer("conv2d_7").kernel_size == (5, 5)


def test_inception_v3_errors():
    with pytest.raises(ValueError, match="at least 75x75"):
        applications.InceptionV3(weights=None, include_top=False, input_shape=(74, 80, 3))
    with pytest.raises(ValueError, match=r"should be \(299, 299, 3\)"):
        applications.InceptionV3(weights="imagenet", input_shape=(224, 224, 3))
    with pytest.raises(ValueError, match="classes` should be 1000"):
        applications.InceptionV3(weights="imagenet", classes=3)
