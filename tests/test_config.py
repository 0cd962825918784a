import os

import numpy as np
import pytest

import minikeras as keras


def test_set_epsilon_changes_the_crossentropy_clip():
    y, p = np.array([[1.0]], "float32"), np.array([[0.0]], "float32")
    try:
        keras.config.set_epsilon(1e-3)
        loss = float(keras.losses.binary_crossentropy(y, p)[0])
        assert loss == pytest.approx(-np.log(1e-3), rel=1e-4)
    finally:
        keras.config.set_epsilon(1e-7)
    assert float(keras.losses.binary_crossentropy(y, p)[0]) == pytest.approx(
        -np.log(1e-7), rel=1e-3
    )


def test_snake_case_aliases_as_keras_exports_them():
    assert isinstance(keras.regularizers.l2(1e-4), keras.regularizers.L2)
    assert isinstance(keras.initializers.he_normal(), keras.initializers.HeNormal)
    assert isinstance(keras.constraints.max_norm(3), keras.constraints.MaxNorm)


def test_num_threads_setting():
    from minikeras.kernels import threads

    keras.config.set_num_threads(2)
    assert keras.config.get_num_threads() == 2
    assert threads.num_threads() == 2  # the kernels split their work this many ways
    keras.config.set_num_threads(1)
    assert keras.config.get_num_threads() == 1
    assert threads.num_threads() == 1
    with pytest.raises(ValueError, match="positive int"):
        keras.config.set_num_threads(0)


_IDLE_CPU = """
import time
import numpy as np
import minikeras
from minikeras.kernels import runtime
a = np.ones((600, 600), np.float32)
for _ in range(5):
    minikeras.ops.matmul(a, a)
c0 = time.process_time()
time.sleep(0.3)
print(minikeras.config.get_num_threads(), time.process_time() - c0)
"""


def test_two_threads_leave_no_thread_spinning_after_a_product():
    """With 2 threads BLAS stays on one (minikeras splits products itself), so nothing keeps a
    core busy after a call: OpenBLAS's own workers would spin for ~0.1 s after each."""
    import subprocess
    import sys

    env = dict(os.environ, MINIKERAS_NUM_THREADS="2")
    out = subprocess.run(
        [sys.executable, "-c", _IDLE_CPU], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "2"
    assert float(out[1]) < 0.05


def test_standardize_dtype_names_as_keras_3_does():
    from minikeras.core import dtypes

    # Python types map as in Keras 3's non-TensorFlow backends, not to numpy's 64-bit defaults
    assert dtypes.standardize_dtype(float) == "float32"
    assert dtypes.standardize_dtype(int) == "int32"
    assert dtypes.standardize_dtype(bool) == "bool"
    assert dtypes.standardize_dtype("double") == "float64"
    assert dtypes.standardize_dtype(np.float16) == "float16"
    assert dtypes.standardize_dtype(np.dtype("int8")) == "int8"
    assert dtypes.standardize_dtype({"config": {"name": "float16"}}) == "float16"
    assert dtypes.standardize_dtype("mixed_float16") == "float32"
    # the result is cached per key; asking twice gives the same answer, and None follows floatx
    assert dtypes.standardize_dtype(float) == "float32"
    keras.config.set_floatx("float64")
    try:
        assert dtypes.standardize_dtype(None) == "float64"
    finally:
        keras.config.set_floatx("float32")
    with pytest.raises(ValueError, match="unknown dtype"):  # Keras 3: ValueError
        dtypes.standardize_dtype("not_a_dtype")


def test_max_epochs_and_max_steps_per_epoch_cap_fit_and_predict():
    """Keras 3.15.1 (torch): with set_max_epochs(2) and set_max_steps_per_epoch(3), fit(epochs=5)
    on 20 samples of batch 2 runs 2 epochs of 3 steps (optimizer.iterations == 6), warning
    "Limiting epochs to 2" and "Limiting steps_per_epoch to 3"; predict returns 6 rows."""
    import warnings

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((20, 2), "float32"), np.ones((20, 1), "float32")
    try:
        keras.config.set_max_epochs(2)
        keras.config.set_max_steps_per_epoch(3)
        assert (keras.config.max_epochs(), keras.config.max_steps_per_epoch()) == (2, 3)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = model.fit(x, y, batch_size=2, epochs=5, verbose=0)
        messages = [str(w.message) for w in caught]
        assert "Limiting epochs to 2" in messages
        assert "Limiting steps_per_epoch to 3" in messages
        assert len(history.history["loss"]) == 2
        assert int(np.asarray(model.optimizer.iterations)) == 6
        assert model.predict(x, batch_size=2, verbose=0).shape == (6, 1)
    finally:
        keras.config.set_max_epochs(None)
        keras.config.set_max_steps_per_epoch(None)
    assert model.predict(x, batch_size=2, verbose=0).shape == (20, 1)


def test_recorded_switches_read_back_what_keras_returns():
    """Keras 3.15.1 (torch, CPU): is_flash_attention_enabled() is None by default and after
    enable_flash_attention(), False after disable; traceback filtering is True by default;
    is_nnx_enabled() is False; enable_unsafe_deserialization() takes no argument."""
    c = keras.config
    assert c.is_flash_attention_enabled() is None
    c.disable_flash_attention()
    assert c.is_flash_attention_enabled() is False
    c.enable_flash_attention()
    assert c.is_flash_attention_enabled() is None
    assert c.is_traceback_filtering_enabled() is True
    c.disable_traceback_filtering()
    assert c.is_traceback_filtering_enabled() is False
    c.enable_traceback_filtering()
    assert c.is_nnx_enabled() is False
    c.enable_unsafe_deserialization()
    from minikeras.core import switches

    assert switches.in_safe_mode() is False
    switches._STATE["safe_mode_saving"] = True


def test_interactive_logging_routes_progress_text_to_logging(capsys, caplog):
    """Keras 3: with interactive logging disabled, progress messages go to (absl) logging instead
    of stdout; minikeras sends them to the standard `logging` module (logger "minikeras")."""
    import logging

    from minikeras.core.switches import print_msg

    assert keras.config.is_interactive_logging_enabled() is True
    keras.config.disable_interactive_logging()
    try:
        with caplog.at_level(logging.INFO, logger="minikeras"):
            print_msg("hello progress")
        assert capsys.readouterr().out == ""
        assert "hello progress" in caplog.text
    finally:
        keras.config.enable_interactive_logging()
    print_msg("back on stdout")
    assert capsys.readouterr().out == "back on stdout\n"


def test_set_backend_accepts_only_minikeras_own_backend():
    """Keras 3's set_backend reloads Keras on another backend; minikeras has one ('numpy', what
    keras.config.backend() returns): others raise ValueError naming the backend."""
    keras.config.set_backend("numpy")
    with pytest.raises(ValueError, match="'torch'"):
        keras.config.set_backend("torch")
