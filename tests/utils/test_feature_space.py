"""keras.utils.FeatureSpace against Keras 3.15.1 (TensorFlow backend: Keras's FeatureSpace and
Hashing need TensorFlow). Expected rows printed by tests/utils/make_feature_space_fixture.py,
which also wrote the Keras archive tests/data/keras/feature_space_k3.keras."""

import os

import numpy as np
import pytest

import minikeras as keras

FS = keras.utils.FeatureSpace
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = {
    "f": np.array([1.0, 2.0, 3.0, 4.0], "float32"),
    "fn": np.array([1.0, 3.0, 5.0, 7.0], "float32"),
    "fr": np.array([2.0, 4.0, 6.0, 8.0], "float32"),
    "fd": np.array([0.0, 1.0, 2.0, 3.0], "float32"),
    "ic": np.array([3, 1, 3, 2], "int32"),
    "sc": np.array(["a", "b", "a", "c"]),
    "sh": np.array(["x", "y", "z", "x"]),
    "ih": np.array([10, 20, 30, 10], "int32"),
}
# columns: f | fd (3) | fn | fr | ic (4) | ih (4) | sc (4) | sh (4) | ic_X_sc (4)
KERAS_ROWS = [
    [
        1,
        1,
        0,
        0,
        -1.3416407108306885,
        2,
        0,
        1,
        0,
        0,
        0,
        0,
        1,
        0,
        0,
        1,
        0,
        0,
        0,
        0,
        1,
        0,
        0,
        1,
        0,
        0,
    ],
    [
        2,
        0,
        1,
        0,
        -0.4472135901451111,
        3,
        0,
        0,
        0,
        1,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        1,
        0,
        1,
        0,
        0,
        0,
        1,
        0,
        0,
    ],
    [3, 0, 0, 1, 0.4472135901451111, 4, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0],
]


def _every_type():
    return FS(
        {
            "f": "float",
            "fn": "float_normalized",
            "fr": FS.float_rescaled(scale=0.5, offset=1.0),
            "fd": FS.float_discretized(num_bins=3),
            "ic": "integer_categorical",
            "sc": "string_categorical",
            "sh": FS.string_hashed(num_bins=4),
            "ih": FS.integer_hashed(num_bins=4),
        },
        crosses=[FS.cross(("ic", "sc"), crossing_dim=4)],
    )


def _first3(data):
    return {k: v[:3] for k, v in data.items()}


def test_concat_matches_keras_for_every_feature_type_and_a_cross():
    """Keras: sorted features then crosses, one-hot categorical/hashed/discretized columns,
    normalized and rescaled floats: a (3, 26) float32 matrix equal to KERAS_ROWS; one sample of
    scalars gives the first row, shape (26,); the symbolic encoding has shape (None, 26)."""
    fs = _every_type()
    fs.adapt(DATA, verbose=0)
    out = np.asarray(fs(_first3(DATA)))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, np.array(KERAS_ROWS, "float32"), rtol=1e-6, atol=1e-6)
    one = np.asarray(fs({k: v[0] for k, v in DATA.items()}))
    np.testing.assert_allclose(one, np.array(KERAS_ROWS[0], "float32"), rtol=1e-6, atol=1e-6)
    assert fs.get_encoded_features().shape == (None, 26)


def test_dict_mode_int_feature_and_tuple_cross():
    """Keras (same data): output_mode='dict' with integer_categorical(output_mode='int') keeps
    the int64 ids [[1], [3], [1], [2]]; a tuple cross with crossing_dim=5 is named 'ic_X_sc'; a
    dict of scalars drops the batch axis."""
    fs = FS(
        {
            "ic": FS.integer_categorical(output_mode="int"),
            "fn": "float_normalized",
            "sc": "string_categorical",
        },
        output_mode="dict",
        crosses=[("ic", "sc")],
        crossing_dim=5,
    )
    fs.adapt(DATA, verbose=0)
    out = fs({k: DATA[k] for k in ("ic", "fn", "sc")})
    assert sorted(out) == ["fn", "ic", "ic_X_sc", "sc"]
    assert np.asarray(out["ic"]).tolist() == [[1], [3], [1], [2]]
    assert str(out["ic"].dtype) == "int64"
    np.testing.assert_allclose(
        np.asarray(out["fn"]).ravel(), [-1.3416407, -0.4472136, 0.4472136, 1.3416407], rtol=1e-6
    )
    assert np.asarray(out["sc"]).tolist()[1] == [0, 0, 0, 1]
    assert np.asarray(out["ic_X_sc"]).tolist() == [
        [0, 1, 0, 0, 0],
        [1, 0, 0, 0, 0],
        [0, 1, 0, 0, 0],
        [0, 1, 0, 0, 0],
    ]
    one = fs({"ic": 3, "fn": 3.0, "sc": "a"})
    assert np.asarray(one["ic"]).tolist() == [1]
    assert np.asarray(one["ic_X_sc"]).tolist() == [0, 1, 0, 0, 0]


def test_errors_as_keras_raises_them():
    """Keras's ValueErrors: empty features, unknown type, bad output_mode, use before adapt,
    a cross naming an unknown feature."""
    with pytest.raises(ValueError, match="cannot be None or empty"):
        FS({})
    with pytest.raises(ValueError, match="Invalid feature type: foo"):
        FS({"a": "foo"})
    with pytest.raises(ValueError, match="Expected one of {'dict', 'concat'}"):
        FS({"a": "float"}, output_mode="x")
    with pytest.raises(ValueError, match="call `.adapt"):
        FS({"a": "string_categorical"})({"a": np.array(["q"])})
    with pytest.raises(ValueError, match="Received unknown features"):
        FS({"a": "float"}, crosses=[("a", "b")])


def test_save_and_load_keras_archive_round_trip(tmp_path):
    """A saved FeatureSpace reloads through keras.models.load_model with its vocabularies
    (assets/preprocessors/<lookup>/vocabulary.txt, Keras's layout) and normalization state."""
    fs = _every_type()
    fs.adapt(DATA, verbose=0)
    path = str(tmp_path / "fs.keras")
    fs.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, FS)
    np.testing.assert_allclose(
        np.asarray(loaded(_first3(DATA))), np.array(KERAS_ROWS, "float32"), atol=1e-6
    )


def test_loads_the_archive_keras_wrote():
    """tests/data/keras/feature_space_k3.keras, saved by Keras 3.15.1 after adapt, encodes the
    same rows in minikeras."""
    loaded = keras.models.load_model(
        os.path.join(HERE, "..", "data", "keras", "feature_space_k3.keras")
    )
    np.testing.assert_allclose(
        np.asarray(loaded(_first3(DATA))), np.array(KERAS_ROWS, "float32"), atol=1e-6
    )


def test_end_to_end_model_on_the_dict_inputs():
    """Keras's structured-data idiom: a model from get_inputs() to layers on
    get_encoded_features() predicts what the same layers give on feature_space(data)."""
    fs = FS({"fn": "float_normalized", "sc": "string_categorical"}, output_mode="concat")
    fs.adapt({"fn": DATA["fn"], "sc": DATA["sc"]}, verbose=0)
    dense = keras.layers.Dense(1)
    inference = keras.Model(fs.get_inputs(), dense(fs.get_encoded_features()))
    data = {"fn": DATA["fn"].reshape(-1, 1), "sc": DATA["sc"].reshape(-1, 1)}
    direct = np.asarray(dense(fs(data)))
    np.testing.assert_allclose(inference.predict(data, verbose=0), direct, rtol=1e-6)
