"""VGG16: Keras's parameter counts, layer names, pooling heads and argument checks."""

import numpy as np
import pytest

import minikeras as keras
from minikeras import applications

VGG16_TOTAL = 138_357_544  # Keras's documented figure
# flatten (7 * 7 * 512) -> fc1 (4096) -> fc2 (4096) -> predictions (1000)
TOP = (25088 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 1000 + 1000)


@pytest.mark.slow
def test_vgg16_full_size_parameter_count():
    model = applications.VGG16(weights=None)
    assert model.name == "vgg16"
    assert model.count_params() == VGG16_TOTAL
    assert len(model.layers) == 23
    lines = []
    model.summary(print_fn=lambda line, **kw: lines.append(line))
    assert any("Total params: 138,357,544" in line for line in lines)


@pytest.mark.parametrize("pooling", ["avg", "max"])
def test_vgg16_without_top(pooling):
    keras.backend.clear_session()
    model = applications.VGG16(
        weights=None, include_top=False, input_shape=(32, 32, 3), pooling=pooling
    )
    assert model.count_params() == VGG16_TOTAL - TOP
    assert model.output_shape == (None, 512)
    names = [l.name for l in model.layers]
    assert names[:4] == ["input_layer", "block1_conv1", "block1_conv2", "block1_pool"]
    assert names[-2] == "block5_pool"
    assert sum(n.startswith("block") and "_conv" in n for n in names) == 13
    y = model.predict(np.random.default_rng(0).random((1, 32, 32, 3), "float32"), verbose=0)
    assert y.shape == (1, 512) and np.isfinite(y).all()


def test_vgg16_small_input_feature_map_and_errors():
    model = applications.VGG16(weights=None, include_top=False, input_shape=(64, 48, 3))
    assert model.output_shape == (None, 2, 1, 512)
    with pytest.raises(ValueError, match="classes` should be 1000"):
        applications.VGG16(weights="imagenet", classes=2)
    with pytest.raises(ValueError, match="at least 32x32"):
        applications.VGG16(weights=None, include_top=False, input_shape=(32, 16, 3))
