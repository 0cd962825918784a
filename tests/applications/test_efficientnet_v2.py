"""EfficientNetV2 against real Keras 3.15 (fixtures from make_fixtures.py): B0's layer list,
weight order and logits after loading Keras's `.weights.h5` (Fused-MBConv and MBConv blocks,
the included Rescaling + Normalization); every variant's parameter count; the S/M/L
preprocessing (Rescaling to [-1, 1]) and the identity preprocess_input."""

import numpy as np
import pytest
from keras_app_fixtures import (
    assert_layout,
    assert_parameter_counts,
    build,
    load_and_compare,
)

from minikeras.applications import efficientnet_v2


def test_b0_layers_and_weight_order_match_keras():
    model = build("efficientnetv2_b0")
    assert_layout(model, "efficientnetv2_b0")
    conv = model.get_layer("block4a_expand_conv").get_config()["kernel_initializer"]
    assert conv["config"]["mode"] == "fan_out" and conv["config"]["scale"] == 2.0


def test_b0_loads_keras_weights_file_and_matches_its_outputs():
    load_and_compare("efficientnetv2_b0")


@pytest.mark.parametrize(
    "builder",
    ["EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3"]
    + [pytest.param(f"EfficientNetV2{v}", marks=pytest.mark.slow) for v in ("S", "M", "L")],
)
def test_parameter_counts_match_keras(builder):
    assert_parameter_counts(builder, notop=builder[-2] == "B")


def test_large_variants_rescale_to_minus_one_one():
    model = efficientnet_v2.EfficientNetV2S(
        weights=None, include_top=False, input_shape=(32, 32, 3)
    )
    rescale = model.layers[1]
    assert type(rescale).__name__ == "Rescaling"
    assert rescale.get_config()["scale"] == 1.0 / 128.0
    assert rescale.get_config()["offset"] == -1
    assert model.layers[2].name == "stem_conv"


def test_custom_name_keeps_the_variant_blocks():
    # Keras looks the stages up by the model name and fails with a KeyError on another name;
    # here the variant decides them
    model = efficientnet_v2.EfficientNetV2B0(
        weights=None, include_top=False, input_shape=(32, 32, 3), name="backbone"
    )
    assert model.name == "backbone"
    assert model.get_layer("block6h_project_conv").filters == 192


def test_preprocess_input_is_identity_and_missing_imagenet_file(tmp_path, monkeypatch):
    x = np.zeros((1, 2, 2, 3))
    assert efficientnet_v2.preprocess_input(x) is x
    for env in ("MINIKERAS_HOME", "KERAS_HOME", "HOME"):
        monkeypatch.setenv(env, str(tmp_path))
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError, match="efficientnetv2-b0_notop.h5"):
        efficientnet_v2.EfficientNetV2B0(include_top=False)
