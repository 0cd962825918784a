"""`keras.backend`: the names Keras 3.15.1 exports there, with its answers (checked by hand on
Keras 3.15.1, torch backend)."""

import minikeras as keras


def test_dtype_predicates():
    b = keras.backend
    assert b.is_float_dtype("bfloat16") and b.is_float_dtype("float64") and b.is_float_dtype(float)
    assert not b.is_float_dtype("int8") and not b.is_float_dtype("complex64")
    assert b.is_int_dtype("uint8") and b.is_int_dtype(int) and b.is_int_dtype("int64")
    assert not b.is_int_dtype("float32") and not b.is_int_dtype("bool")


def test_get_uid_shares_the_default_names_counts():
    keras.backend.clear_session()
    keras.layers.Dense(1)  # takes "dense"
    assert keras.backend.get_uid("dense") == 2  # Keras 3.15.1 gives 2 here too
    assert keras.layers.Dense(1).name == "dense_2"
    assert [keras.backend.get_uid("uid_test") for _ in range(3)] == [1, 2, 3]
    keras.backend.clear_session()
    assert keras.backend.get_uid("uid_test") == 1


def test_is_keras_tensor_and_image_data_format():
    assert keras.backend.is_keras_tensor(keras.Input((2,)))
    assert not keras.backend.is_keras_tensor(keras.ops.ones((2,)))
    try:
        keras.backend.set_image_data_format("channels_first")
        assert keras.config.image_data_format() == "channels_first"
    finally:
        keras.backend.set_image_data_format("channels_last")
