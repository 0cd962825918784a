"""ResNet50/101/152: Keras's parameter counts, layer names and order, BatchNormalization
defaults, pooling heads and argument checks."""

import numpy as np
import pytest

import minikeras as keras
from minikeras import applications

RESNET50_TOTAL = 25_636_712  # Keras's documented figure
TOP = 2048 * 1000 + 1000  # avg_pool -> predictions(1000)


@pytest.mark.slow
def test_resnet50_full_size_parameter_count():
    model = applications.ResNet50(weights=None)
    assert model.name == "resnet50"
    assert model.count_params() == RESNET50_TOTAL
    assert model.output_shape == (None, 1000)
    assert len(model.layers) == 177
    lines = []
    model.summary(print_fn=lambda line, **kw: lines.append(line))
    assert any("Total params: 25,636,712" in line for line in lines)


@pytest.fixture(scope="module")
def small_resnet50():
    # parameters do not depend on the input size without the top, so build it small
    keras.backend.clear_session()  # Keras's names assume a fresh session
    return applications.ResNet50(
        weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg"
    )


def test_resnet50_without_top(small_resnet50):
    assert small_resnet50.count_params() == RESNET50_TOTAL - TOP
    assert small_resnet50.output_shape == (None, 2048)
    assert small_resnet50.layers[-1].name == "avg_pool"


def test_resnet50_layer_order(small_resnet50):
    names = [l.name for l in small_resnet50.layers]
    # the order of Keras's summary: the main path of a block, then its shortcut conv
    assert names[:19] == [
        "input_layer",
        "conv1_pad",
        "conv1_conv",
        "conv1_bn",
        "conv1_relu",
        "pool1_pad",
        "pool1_pool",
        "conv2_block1_1_conv",
        "conv2_block1_1_bn",
        "conv2_block1_1_relu",
        "conv2_block1_2_conv",
        "conv2_block1_2_bn",
        "conv2_block1_2_relu",
        "conv2_block1_0_conv",
        "conv2_block1_3_conv",
        "conv2_block1_0_bn",
        "conv2_block1_3_bn",
        "conv2_block1_add",
        "conv2_block1_out",
    ]
    assert names[-2:] == ["conv5_block3_out", "avg_pool"]
    blocks = {n.split("_")[0] + "_" + n.split("_")[1] for n in names if n.endswith("_add")}
    assert len(blocks) == 3 + 4 + 6 + 3


def test_resnet50_layer_settings(small_resnet50):
    conv = small_resnet50.get_layer("conv1_conv")
    assert conv.kernel_size == (7, 7) and conv.strides == (2, 2) and conv.use_bias
    bn = small_resnet50.get_layer("conv3_block2_2_bn").get_config()
    assert bn["epsilon"] == 1.001e-5 and bn["momentum"] == 0.99 and bn["scale"]
    assert small_resnet50.get_layer("conv4_block1_0_conv").strides == (2, 2)
    assert small_resnet50.get_layer("conv2_block1_0_conv").strides == (1, 1)
    # weight creation order of a conv + BN pair, as Keras 3's get_weights
    layer = small_resnet50.get_layer("conv2_block1_1_bn")
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]


def test_resnet50_predicts(small_resnet50):
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    y = small_resnet50.predict(applications.resnet50.preprocess_input(x), verbose=0)
    assert y.shape == (2, 2048) and np.isfinite(y).all() and (y >= 0).all()  # after ReLU


def test_resnet101_without_top():
    # ResNet152 differs only in the block counts (3, 8, 36, 3); building it adds seconds
    model = applications.ResNet101(
        weights=None, include_top=False, input_shape=(32, 32, 3), pooling="max"
    )
    assert model.count_params() == 44_707_176 - TOP  # Keras's documented total minus the top
    assert model.name == "resnet101"
    assert model.output_shape == (None, 2048) and model.layers[-1].name == "max_pool"


def test_resnet_top_on_other_sizes_and_errors():
    model = applications.ResNet50(
        weights=None, input_shape=(32, 32, 3), classes=7, classifier_activation=None, name="tiny"
    )
    assert model.name == "tiny" and model.output_shape == (None, 7)
    with pytest.raises(ValueError, match="classes` should be 1000"):
        applications.ResNet50(weights="imagenet", classes=7)
    with pytest.raises(ValueError, match=r"should be \(224, 224, 3\)"):
        applications.ResNet50(weights="imagenet", input_shape=(64, 64, 3))
    with pytest.raises(ValueError, match="at least 32x32"):
        applications.ResNet50(weights=None, include_top=False, input_shape=(31, 64, 3))


def test_resnet50_weights_path_round_trip(tmp_path, small_resnet50):
    rng = np.random.default_rng(1)
    small_resnet50.set_weights(
        [rng.standard_normal(w.shape).astype("float32") for w in small_resnet50.get_weights()]
    )
    path = str(tmp_path / "r.weights.h5")
    small_resnet50.save_weights(path)
    keras.backend.clear_session()
    model = applications.ResNet50(
        weights=path, include_top=False, input_shape=(32, 32, 3), pooling="avg"
    )
    for a, b in zip(model.get_weights(), small_resnet50.get_weights()):
        np.testing.assert_array_equal(a, b)
