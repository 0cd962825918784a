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
    assert float(keras.losses.binary_crossentropy(y, p)[0]) == pytest.approx(-np.log(1e-7), rel=1e-3)


def test_snake_case_aliases_as_keras_exports_them():
    assert isinstance(keras.regularizers.l2(1e-4), keras.regularizers.L2)
    assert isinstance(keras.initializers.he_normal(), keras.initializers.HeNormal)
    assert isinstance(keras.constraints.max_norm(3), keras.constraints.MaxNorm)


def test_num_threads_setting():
    keras.config.set_num_threads(1)
    assert keras.config.get_num_threads() == 1
    with pytest.raises(ValueError, match="positive int"):
        keras.config.set_num_threads(0)


_IDLE_CPU = """
import os, sys, time
import numpy as np
import minikeras
from minikeras.core import runtime
if not any(hasattr(lib, "blas_thread_shutdown_") for lib in runtime._loaded_blas()):
    print("no-openblas")
    sys.exit(0)
a = np.ones((400, 400), np.float32)
for _ in range(5):
    a @ a
c0 = time.process_time()
time.sleep(0.3)
print(os.environ.get("OPENBLAS_THREAD_TIMEOUT"), time.process_time() - c0)
"""


@pytest.mark.parametrize("timeout, spins", [(None, False), ("28", True)])
def test_two_threads_blas_workers_sleep_soon_after_a_matmul(timeout, spins):
    """With 2 threads OpenBLAS's idle workers stop spinning within a millisecond (they would
    otherwise burn a core for ~0.1 s after every call); a user's OPENBLAS_THREAD_TIMEOUT wins."""
    import subprocess
    import sys

    env = dict(os.environ, MINIKERAS_NUM_THREADS="2")
    env.pop("OPENBLAS_THREAD_TIMEOUT", None)
    if timeout is not None:
        env["OPENBLAS_THREAD_TIMEOUT"] = timeout
    out = subprocess.run([sys.executable, "-c", _IDLE_CPU], env=env, capture_output=True,
                         text=True, check=True).stdout.split()  # fmt: skip
    if out == ["no-openblas"]:
        pytest.skip("numpy's BLAS here is not OpenBLAS")
    assert out[0] == (timeout or "20")
    idle_cpu = float(out[1])
    if spins:  # 2^28 cycles: the worker is still spinning during most of the 0.3 s sleep
        assert idle_cpu > 0.05
    else:
        assert idle_cpu < 0.05
