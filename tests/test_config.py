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
    with pytest.raises(TypeError, match="Unknown dtype"):
        dtypes.standardize_dtype("not_a_dtype")
