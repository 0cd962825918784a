"""Data-parallel training under `mpiexec -n 2` and `-n 3` equals single-process training.

Issue 17's contract (Keras 3's `DataParallel` semantics: the batch is the global batch, the
variables are replicated): trained weights, History, evaluate and predict of
`train_script.py` (Conv1D + BatchNormalization(synchronized=True) + masked LSTM + Dense, global
batch 10 of 46 samples, sample weights with class weights folded in, shuffled) match the same script run as
one process to float32 rounding, identically on every rank; EarlyStopping stops every rank at
the same epoch; CSVLogger, ModelCheckpoint, BackupAndRestore and model.save write (and
BackupAndRestore removes its backup) from rank 0 only, leaving no temp files;
a rank that dies or raises ends the whole job with a non-zero exit within seconds.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
pytest.importorskip("mpi4py", reason="keras.distribution tests need mpi4py (pip install .[mpi])")
MPIEXEC = shutil.which("mpiexec")
pytestmark = pytest.mark.skipif(
    MPIEXEC is None, reason="keras.distribution tests need an MPI launcher (mpiexec) on PATH"
)


def _run(args, nprocs=None, timeout=120):
    cmd = [sys.executable, *args]
    if nprocs is not None:
        cmd = [MPIEXEC, "-n", str(nprocs), *cmd]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    out = tmp_path_factory.mktemp("single")
    proc = _run([os.path.join(HERE, "train_script.py"), str(out)])
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.parametrize("nprocs", [2, 3])
def test_training_matches_one_process(single, tmp_path, nprocs):
    proc = _run([os.path.join(HERE, "train_script.py"), str(tmp_path), "--distributed"], nprocs)
    assert proc.returncode == 0, proc.stderr
    ref = np.load(single / "result_0.npz")
    results = [np.load(tmp_path / f"result_{r}.npz") for r in range(nprocs)]
    assert sorted(results[0].files) == sorted(ref.files)
    for key in ref.files:  # weights w*, history h_*, evaluate e_*, prediction
        np.testing.assert_allclose(results[0][key], ref[key], rtol=2e-5, atol=2e-6, err_msg=key)
        for other in results[1:]:  # the same model and logs on every rank, bit for bit
            np.testing.assert_array_equal(other[key], results[0][key], err_msg=key)
    assert ref["prediction"].shape == (46, 3)
    # rank 0 alone wrote the CSV log (same rows as one process) and the model, no stray temps
    with open(single / "log.csv") as a, open(tmp_path / "log.csv") as b:
        assert a.readline() == b.readline() and len(a.readlines()) == len(b.readlines()) == 3
    assert len(ref["h_loss"]) == 3  # EarlyStopping stopped every rank after the third epoch
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["log.csv", "model.keras", "best.weights.h5"] + [f"result_{r}.npz" for r in range(nprocs)]
    )


@pytest.mark.parametrize("fault", ["kill", "raise"])
def test_a_failing_rank_ends_the_job(fault):
    start = time.monotonic()
    proc = _run([os.path.join(HERE, "fault_script.py"), fault], 2, timeout=90)
    assert proc.returncode != 0
    assert time.monotonic() - start < 60  # the other rank was blocked in an allreduce
    if fault == "raise":
        assert "rank 1 failed on purpose" in proc.stderr + proc.stdout


_SUM_LOSS = """
import numpy as np
import minikeras as keras
keras.distribution.initialize()
keras.distribution.set_distribution(keras.distribution.DataParallel())
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile("sgd", keras.losses.MeanSquaredError(reduction="sum"))
x = np.ones((8, 4), "float32")
model.fit(x, x[:, :1], batch_size=4, epochs=1, verbose=0)
"""


def test_a_summed_loss_is_refused_rather_than_averaged():
    """Per-rank gradients are weighted by each rank's share of the batch, exact for Keras's
    default reduction (sum_over_batch_size); a summed loss would silently be averaged instead."""
    proc = _run(["-c", _SUM_LOSS], 2, timeout=90)
    assert proc.returncode != 0
    out = proc.stderr + proc.stdout
    assert "reduction='sum'" in out and "mean_squared_error" in out


_LONG_FIT = """
import os, sys
import numpy as np
import minikeras as keras
keras.distribution.initialize()
keras.distribution.set_distribution(keras.distribution.DataParallel())
marker = sys.argv[1]

class Started(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0:
            open(marker + os.environ.get("PMI_RANK", "0"), "w").close()

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
x = np.ones((64, 4), "float32")
model.fit(x, x[:, :1], batch_size=8, epochs=100000, verbose=0, callbacks=[Started()])
"""


def test_ctrl_c_on_the_launcher_stops_every_rank(tmp_path):
    """SIGINT to mpiexec (Ctrl-C) reaches the ranks as KeyboardInterrupt; the uncaught exception
    aborts the job, so no rank is left running."""
    marker = str(tmp_path / "started")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"}
    cmd = [MPIEXEC, "-n", "2", sys.executable, "-c", _LONG_FIT, marker]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not all(os.path.exists(marker + r) for r in "01"):
            assert time.monotonic() < deadline and proc.poll() is None, "training never started"
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        start = time.monotonic()
        proc.wait(timeout=30)
        assert time.monotonic() - start < 30 and proc.returncode != 0
        time.sleep(0.5)
        survivors = [
            pid for pid in os.listdir("/proc") if pid.isdigit() and _cmdline(pid).find(marker) >= 0
        ]
        assert survivors == []
    finally:
        if proc.poll() is None:
            proc.kill()


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


_TENSORBOARD = """
import sys
import numpy as np
import minikeras as keras
keras.distribution.initialize()
keras.distribution.set_distribution(keras.distribution.DataParallel())
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
x = np.ones((16, 4), "float32")
board = keras.callbacks.TensorBoard(sys.argv[1], histogram_freq=1)
model.fit(x, x[:, :1], batch_size=8, epochs=2, verbose=0, callbacks=[board])
"""


def test_tensorboard_event_files_come_from_rank_0_only(tmp_path):
    """Under DataParallel every rank logs the same global metrics; rank 0 alone writes them, so
    TensorBoard shows one run, not one per process."""
    proc = _run(["-c", _TENSORBOARD, str(tmp_path / "logs")], 2, timeout=90)
    assert proc.returncode == 0, proc.stderr
    files = sorted(os.listdir(tmp_path / "logs" / "train"))
    assert len(files) == 1 and files[0].startswith("events.out.tfevents.")
