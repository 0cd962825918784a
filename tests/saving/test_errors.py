"""Bad input gives a clear error naming the file (and the layer, expected vs found), and a failed
load never leaves a model half loaded."""

import numpy as np
import pytest

import minikeras as keras


def _model(units=(4, 2), name="m"):
    layers = [keras.Input((3,))] + [
        keras.layers.Dense(u, name=f"d{i}") for i, u in enumerate(units)
    ]
    return keras.Sequential(layers, name=name)


def _randomize(model, seed=0):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.standard_normal(w.shape).astype(w.dtype) for w in model.get_weights()])


def _unchanged(model, before):
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("fname", ["nope.keras", "nope.h5", "nope.weights.h5"])
def test_missing_file(tmp_path, fname):
    path = tmp_path / fname
    with pytest.raises(FileNotFoundError, match="nope"):
        keras.models.load_model(path)
    with pytest.raises(FileNotFoundError, match="nope"):
        _model().load_weights(path)


def test_not_hdf5_and_not_zip(tmp_path):
    for fname in ("text.h5", "text.weights.h5", "text.keras", "text.bin"):
        (tmp_path / fname).write_text("this is not a model\n")
        with pytest.raises(ValueError, match="text"):
            keras.models.load_model(tmp_path / fname)
        with pytest.raises(ValueError, match=r"text.*(not an HDF5|not a .keras|zip)"):
            _model().load_weights(tmp_path / fname)
    with pytest.raises(ValueError, match="not a regular file"):
        keras.models.load_model(tmp_path)


@pytest.mark.parametrize("fname", ["m.h5", "m.keras", "w.weights.h5", "w.h5"])
def test_truncated_file(tmp_path, fname):
    model = _model()
    model.save(tmp_path / fname) if fname.startswith("m") else model.save_weights(tmp_path / fname)
    data = (tmp_path / fname).read_bytes()
    for cut in (len(data) // 2, len(data) - 100):
        (tmp_path / fname).write_bytes(data[:cut])
        target = _model()
        before = target.get_weights()
        with pytest.raises(ValueError, match=rf"{fname}.*(truncated|corrupted)"):
            target.load_weights(tmp_path / fname)
        _unchanged(target, before)
        with pytest.raises(ValueError, match=fname):
            keras.models.load_model(tmp_path / fname)


@pytest.mark.parametrize("fname", ["w.h5", "w.weights.h5", "m.keras", "m.h5"])
def test_wrong_shape_names_layer_expected_and_found(tmp_path, fname):
    source = _model((4, 2))
    source.save(tmp_path / fname) if fname.startswith("m") else source.save_weights(
        tmp_path / fname
    )
    target = _model((4, 5))
    _randomize(target)
    before = target.get_weights()
    # d0 matches and comes first: it must not be assigned either
    with pytest.raises(ValueError, match=rf"{fname}.*'d1'.*\(4, 5\).*\(4, 2\)"):
        target.load_weights(tmp_path / fname)
    _unchanged(target, before)


@pytest.mark.parametrize("fname", ["w.h5", "w.weights.h5"])
def test_different_architecture(tmp_path, fname):
    _model((4, 2)).save_weights(tmp_path / fname)
    target = _model((4, 4, 2))
    before = target.get_weights()
    with pytest.raises(ValueError, match=r"(Layer count|Shape) mismatch") as info:
        target.load_weights(tmp_path / fname)
    assert fname in str(info.value)
    _unchanged(target, before)


def test_file_with_more_layers_than_the_model(tmp_path):
    _model((4, 4, 2)).save_weights(tmp_path / "w.weights.h5")
    target = _model((4, 4))
    before = target.get_weights()
    with pytest.raises(ValueError, match=r"w.weights.h5.*does not have.*layers/dense_2/vars"):
        target.load_weights(tmp_path / "w.weights.h5")
    _unchanged(target, before)
    with pytest.warns(UserWarning, match="Ignoring"):
        target.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)


def test_layer_count_message_lists_both_sides(tmp_path):
    _model((4, 2)).save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match=r"w.h5.*2 layers \['d0', 'd1'\].*3 layers with weights"):
        _model((4, 4, 2)).load_weights(tmp_path / "w.h5")


def test_weight_count_mismatch(tmp_path):
    _model((4, 2)).save_weights(tmp_path / "w.h5")
    target = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(4, name="d0"),
            keras.layers.Dense(2, use_bias=False, name="d1"),
        ]
    )
    with pytest.raises(ValueError, match=r"w.h5.*'d1'.*expects 1 weights.*holds 2"):
        target.load_weights(tmp_path / "w.h5")


def test_unknown_layer_class(tmp_path):
    class FancyLayer(keras.layers.Dense):
        pass

    model = keras.Sequential([keras.Input((3,)), FancyLayer(2, name="fancy")])
    for fname in ("m.keras", "m.h5"):
        model.save(tmp_path / fname)
        with pytest.raises(
            ValueError, match=rf"{fname}.*Unknown layer: 'FancyLayer'.*custom_objects"
        ):
            keras.models.load_model(tmp_path / fname)
        loaded = keras.models.load_model(
            tmp_path / fname, custom_objects={"FancyLayer": FancyLayer}
        )
        assert type(loaded.layers[0]) is FancyLayer


def test_weights_only_file_is_not_a_model(tmp_path):
    _model().save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="w.h5.*weights only.*load_weights"):
        keras.models.load_model(tmp_path / "w.h5")


def test_by_name_needs_legacy_h5(tmp_path):
    _model().save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match="by_name"):
        _model().load_weights(tmp_path / "w.weights.h5", by_name=True)


def test_subclassed_model_to_legacy_h5(tmp_path):
    class Sub(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = keras.layers.Dense(2)

        def call(self, x):
            return self.d(x)

    model = Sub()
    model(np.ones((1, 3), "float32"))
    with pytest.raises(NotImplementedError, match=".keras"):
        model.save(tmp_path / "m.h5")
    model.save_weights(tmp_path / "w.h5")  # weights-only files work for any model
    model.save_weights(tmp_path / "w.weights.h5")
    other = Sub()
    other(np.ones((1, 3), "float32"))
    other.load_weights(tmp_path / "w.weights.h5")
    _unchanged(other, model.get_weights())


class _NoKwargs(keras.layers.Layer):  # keras.io object_detection_using_vision_transformer's
    def __init__(self, patch_size):  # Patches: no **kwargs, so from_config cannot pass `name`
        super().__init__()
        self.patch_size = patch_size

    def call(self, x):
        return x * 2.0

    def get_config(self):
        return {**super().get_config(), "patch_size": self.patch_size}


def test_custom_layer_refusing_its_config_raises_type_error(tmp_path):
    # Keras 3.15.1 raises TypeError ("... could not be deserialized properly") here
    inputs = keras.Input((3,))
    model = keras.Model(inputs, _NoKwargs(4)(inputs))
    path = str(tmp_path / "m.keras")
    model.save(path)
    with pytest.raises(TypeError, match="Cannot build layer .* of class '_NoKwargs'.*'name'"):
        keras.models.load_model(path, custom_objects={"_NoKwargs": _NoKwargs})
