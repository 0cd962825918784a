"""`applications.imagenet_utils`: preprocessing modes against numpy written here, decoding
from a class-index file, Keras's input-shape rules and the no-download weight lookup."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras.applications import imagenet_utils as iu

BGR_MEAN = np.array([103.939, 116.779, 123.68])


def _images(shape=(2, 4, 5, 3), seed=0):
    return np.random.default_rng(seed).uniform(0, 255, size=shape).astype("float32")


def test_tf_mode_scales_to_minus_one_one():
    x = _images()
    expected = x.astype("float64") / 127.5 - 1.0
    np.testing.assert_allclose(iu.preprocess_input(x.copy(), mode="tf"), expected, atol=1e-6)


def test_caffe_mode_flips_to_bgr_and_subtracts_mean():
    x = _images()
    expected = x[..., ::-1].astype("float64") - BGR_MEAN
    np.testing.assert_allclose(iu.preprocess_input(x.copy()), expected, atol=1e-4)


def test_torch_mode_normalises_per_channel():
    x = _images()
    expected = (x / 255.0 - np.array([0.485, 0.456, 0.406])) / np.array([0.229, 0.224, 0.225])
    np.testing.assert_allclose(iu.preprocess_input(x.copy(), mode="torch"), expected, atol=1e-5)


@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (3, 4, 5)])
def test_caffe_channels_first(shape):
    x = _images(shape)
    axis = 0 if len(shape) == 3 else 1
    mean = BGR_MEAN.reshape((3, 1, 1) if axis == 0 else (1, 3, 1, 1))
    expected = np.flip(x, axis=axis).astype("float64") - mean
    out = iu.preprocess_input(x.copy(), data_format="channels_first", mode="caffe")
    np.testing.assert_allclose(out, expected, atol=1e-4)


def test_integer_input_becomes_float32_and_float_input_is_modified_in_place():
    out = iu.preprocess_input(np.array([[0, 255]], dtype="uint8"), mode="tf")
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[-1.0, 1.0]])
    x = np.array([[127.5]], dtype="float32")
    iu.preprocess_input(x, mode="tf")
    assert x[0, 0] == 0.0  # as Keras: float arrays are overwritten


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_tensor_and_symbolic_inputs_match_numpy(mode):
    x = _images((1, 3, 3, 3), seed=1)
    expected = iu.preprocess_input(x.copy(), mode=mode)
    eager = iu.preprocess_input(keras.ops.convert_to_tensor(x), mode=mode)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(eager), expected, atol=1e-4)
    inp = keras.Input((3, 3, 3))
    model = keras.Model(inp, iu.preprocess_input(inp, mode=mode))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, atol=1e-4)


def test_per_model_preprocessing_modes():
    from minikeras.applications import inception_v3, mobilenet_v2, resnet50, vgg16

    x = _images((1, 2, 2, 3))
    for module in (mobilenet_v2, inception_v3):
        np.testing.assert_allclose(module.preprocess_input(x.copy()), x / 127.5 - 1, atol=1e-6)
    for module in (resnet50, vgg16):
        np.testing.assert_allclose(
            module.preprocess_input(x.copy()), x[..., ::-1] - BGR_MEAN, atol=1e-4
        )


def test_preprocess_rejects_bad_mode_and_data_format():
    with pytest.raises(ValueError, match="mode"):
        iu.preprocess_input(_images(), mode="bgr")
    with pytest.raises(ValueError, match="data_format"):
        iu.preprocess_input(_images(), data_format="channels_middle")


@pytest.fixture
def class_index(tmp_path):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    path = tmp_path / "imagenet_class_index.json"
    path.write_text(json.dumps(index))
    return str(path)


def test_decode_predictions_top_k(class_index):
    preds = np.random.default_rng(0).random((2, 1000)).astype("float32")
    preds[0, 7], preds[0, 3], preds[1, 999] = 5.0, 4.0, 9.0
    out = iu.decode_predictions(preds, top=3, class_index_path=class_index)
    assert len(out) == 2 and all(len(r) == 3 for r in out)
    assert out[0][0] == ("n00000007", "class_7", np.float32(5.0))
    assert out[0][1][:2] == ("n00000003", "class_3")
    assert out[1][0][1] == "class_999"
    order = np.argsort(-preds[1])[:3]
    assert [r[1] for r in out[1]] == [f"class_{i}" for i in order]


def test_decode_predictions_errors(class_index, tmp_path, monkeypatch):
    with pytest.raises(ValueError, match=r"\(samples, 1000\).*\(2, 10\)"):
        iu.decode_predictions(np.zeros((2, 10)), class_index_path=class_index)
    monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "khome"))
    monkeypatch.setenv("HOME", str(tmp_path / "nohome"))
    with pytest.raises(FileNotFoundError, match="imagenet_class_index.json"):
        iu.decode_predictions(np.zeros((1, 1000)))


def test_decode_predictions_finds_cached_index(class_index, tmp_path, monkeypatch):
    models = tmp_path / "home" / "models"
    models.mkdir(parents=True)
    with open(class_index) as f:
        (models / "imagenet_class_index.json").write_text(f.read())
    monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path / "home"))
    preds = np.zeros((1, 1000))
    preds[0, 42] = 1.0
    assert iu.decode_predictions(preds, top=1)[0][0][1] == "class_42"


def test_obtain_input_shape_rules():
    kw = {"default_size": 224, "min_size": 32, "data_format": "channels_last"}
    assert iu.obtain_input_shape(None, require_flatten=True, **kw) == (224, 224, 3)
    assert iu.obtain_input_shape(None, require_flatten=False, **kw) == (None, None, 3)
    assert iu.obtain_input_shape((64, 48, 3), require_flatten=False, **kw) == (64, 48, 3)
    with pytest.raises(ValueError, match="at least 32x32"):
        iu.obtain_input_shape((31, 64, 3), require_flatten=False, **kw)
    with pytest.raises(ValueError, match="three integers"):
        iu.obtain_input_shape((64, 64), require_flatten=False, **kw)
    with pytest.raises(ValueError, match="3 channels"):
        iu.obtain_input_shape((64, 64, 1), require_flatten=False, weights="imagenet", **kw)
    with pytest.raises(ValueError, match=r"should be \(224, 224, 3\)"):
        iu.obtain_input_shape((96, 96, 3), require_flatten=True, weights="imagenet", **kw)
    with pytest.raises(ValueError, match="static `input_shape`"):
        iu.obtain_input_shape((None, None, 3), require_flatten=True, **kw)
    with pytest.warns(UserWarning, match="1 or 3 input channels"):
        iu.obtain_input_shape((64, 64, 5), require_flatten=False, **kw)


@pytest.mark.parametrize("size,expected", [(8, ((0, 1), (0, 1))), (7, ((1, 1), (1, 1)))])
def test_correct_pad(size, expected):
    # TF 'same', stride 2, kernel 3: total pad = 3 - 2 = 1 for an even size, 3 - 1 = 2 for an odd
    # one, split with the odd pixel at the end
    assert iu.correct_pad(keras.Input((size, size, 4)), 3) == expected


def test_missing_imagenet_file_names_url_and_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError) as info:
        iu.pretrained_weights_path("w.h5", "https://example.invalid/w.h5")
    message = str(info.value)
    assert "https://example.invalid/w.h5" in message
    assert os.path.join(str(tmp_path / "home"), "models") in message


def test_cache_lookup_order(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path / "mk"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    keras_models = tmp_path / ".keras" / "models"
    keras_models.mkdir(parents=True)
    (keras_models / "w.h5").write_bytes(b"x")
    assert iu.pretrained_weights_path("w.h5", "unused") == str(keras_models / "w.h5")
    mk_models = tmp_path / "mk" / "models"
    mk_models.mkdir(parents=True)
    (mk_models / "w.h5").write_bytes(b"x")
    assert iu.pretrained_weights_path("w.h5", "unused") == str(mk_models / "w.h5")


def test_weights_and_classes_checks():
    with pytest.raises(ValueError, match="classes` should be 1000"):
        iu.check_weights_arg("imagenet", True, 10)
    iu.check_weights_arg("imagenet", False, 10)  # classes is ignored without the top
    with pytest.raises(ValueError, match="weights=/no/such/file.h5"):
        iu.check_weights_arg("/no/such/file.h5", True, 1000)
    with pytest.raises(ValueError, match="classifier_activation"):
        iu.validate_activation("relu", "imagenet")
    iu.validate_activation("relu", None)
    iu.validate_activation(None, "imagenet")


def test_download_only_on_opt_in(tmp_path, monkeypatch):
    from minikeras.utils import file_utils

    calls = []

    def fake_get_file(fname, origin, cache_subdir="datasets", file_hash=None, **kwargs):
        calls.append((fname, origin, cache_subdir, file_hash))
        return str(tmp_path / fname)

    monkeypatch.setattr(file_utils, "get_file", fake_get_file)  # never touch the network
    monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError):
        iu.pretrained_weights_path("w.h5", "https://example.invalid/w.h5", "abc")
    assert calls == []
    monkeypatch.setenv("MINIKERAS_DOWNLOAD_WEIGHTS", "1")
    path = iu.pretrained_weights_path("w.h5", "https://example.invalid/w.h5", "abc")
    assert path == str(tmp_path / "w.h5")
    assert calls == [("w.h5", "https://example.invalid/w.h5", "models", "abc")]
