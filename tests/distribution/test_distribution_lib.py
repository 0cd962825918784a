"""`keras.distribution`'s API in one process (no MPI launcher): Keras 3's signatures and
behaviour as documented in keras/src/distribution/distribution_lib.py; one process is one
device, and importing minikeras does not import mpi4py (issue 17)."""

import os
import subprocess
import sys

import numpy as np
import pytest

import minikeras as keras
from minikeras.distribution import data_parallel

dist = keras.distribution


def test_one_process_is_one_cpu_device():
    assert dist.list_devices() == ["cpu:0"]  # Keras's "type:id" naming
    assert dist.list_devices("cpu") == ["cpu:0"] and dist.list_devices("gpu") == []
    assert dist.get_device_count() == 1
    with pytest.raises(ValueError, match="device_type"):
        dist.list_devices("npu")
    dist.initialize()  # no launcher: nothing to join
    with pytest.raises(ValueError, match="num_processes=2"):
        dist.initialize(num_processes=2)
    with pytest.raises(ValueError, match="process_id=3"):
        dist.initialize(process_id=3)


def test_importing_minikeras_does_not_import_mpi4py():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PMI_", "OMPI_", "PMIX_"))}
    code = "import sys, minikeras; print('mpi4py' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "False", out.stderr


def test_device_mesh_and_tensor_layout_check_their_arguments():
    mesh = dist.DeviceMesh((1,), ["batch"], devices=["cpu:0"])
    assert mesh.shape == (1,) and mesh.axis_names == ["batch"]
    assert mesh.devices.tolist() == ["cpu:0"]
    with pytest.raises(ValueError, match="same length"):
        dist.DeviceMesh((1,), ["batch", "model"])
    with pytest.raises(ValueError, match="number of devices"):
        dist.DeviceMesh((2,), ["batch"])
    layout = dist.TensorLayout(["batch", None], mesh)
    assert layout.axes == ("batch", None) and layout.device_mesh is mesh
    with pytest.raises(ValueError, match="invalid axis names"):
        dist.TensorLayout(["model"], mesh)
    with pytest.raises(ValueError, match="cannot override"):
        layout.device_mesh = mesh
    assert dist.distribute_tensor(np.ones(3), layout).shape == (3,)


def test_layout_map_matches_keys_as_regular_expressions():
    mesh = dist.DeviceMesh((1,), ["model"])
    layout_map = dist.LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    layout_map[".*dense.*bias"] = ("model",)
    assert layout_map["dense_1/kernel"].axes == (None, "model")
    assert layout_map["dense_1/kernel"].device_mesh is mesh
    assert layout_map["my_model/dense_2/bias"].axes == ("model",)
    assert layout_map["conv2d/kernel"] is None
    layout_map[".*kernel"] = (None, None)
    with pytest.raises(ValueError, match="matches several keys"):
        layout_map["dense_1/kernel"]
    with pytest.raises(ValueError, match="already mapped"):
        layout_map[".*kernel"] = (None, None)
    assert len(layout_map) == 3 and list(layout_map)[0] == ".*dense.*kernel"


def test_data_parallel_and_scope():
    dp = dist.DataParallel(devices=dist.list_devices())
    assert dp.batch_dim_name == "batch" and dp.num_model_replicas == 1
    assert dp.num_processes == 1 and dp.get_data_layout((8, 3)).axes == ("batch", None)
    v = keras.Variable(np.zeros((2, 3)))
    assert dp.get_variable_layout(v).axes == (None, None)
    assert dist.distribution() is None
    with dp.scope():
        assert dist.distribution() is dp
        assert not data_parallel.active()  # one process: nothing to split or reduce
    assert dist.distribution() is None
    with pytest.raises(ValueError, match="one device per process"):
        dist.DataParallel(device_mesh=dist.DeviceMesh((2,), ["batch"], ["cpu:0", "cpu:1"]))
    with pytest.raises(ValueError, match="Distribution"):
        dist.set_distribution("data")


def test_model_parallel_says_what_is_supported():
    layout_map = dist.LayoutMap(dist.DeviceMesh((1,), ["model"]))
    with pytest.raises(NotImplementedError, match="DataParallel"):
        dist.ModelParallel(layout_map=layout_map)


def test_shares_are_contiguous_and_differ_by_at_most_one():
    for n, size in [(10, 3), (6, 3), (10, 2), (7, 4)]:
        bounds = [data_parallel.share(n, r, size) for r in range(size)]
        assert bounds[0][0] == 0 and bounds[-1][1] == n
        assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
        sizes = [hi - lo for lo, hi in bounds]
        assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes, reverse=True)
    assert [data_parallel.share(10, r, 3) for r in range(3)] == [(0, 4), (4, 7), (7, 10)]


def test_fit_under_a_one_process_distribution_is_plain_fit():
    def train(distributed):
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.compile("adam", "mse")
        x = np.arange(30, dtype="float32").reshape(10, 3) / 30
        if distributed:
            with dist.DataParallel().scope():
                model.fit(x, x[:, :2], batch_size=4, epochs=2, verbose=0)
        else:
            model.fit(x, x[:, :2], batch_size=4, epochs=2, verbose=0)
        return model.get_weights()

    for a, b in zip(train(True), train(False)):
        np.testing.assert_array_equal(a, b)
