"""`keras.distribution`: data-parallel training across processes and machines, on MPI.

Launch the same script on every process with an MPI launcher (`pip install "minikeras[mpi]"`):

    mpiexec -n 4 python train.py                 # or across hosts: mpiexec -f hosts -n 16 ...

where the script is a single-process Keras script plus

    keras.distribution.initialize()
    keras.distribution.set_distribution(
        keras.distribution.DataParallel(devices=keras.distribution.list_devices()))

Each MPI rank is one device (`"cpu:N"`). `fit(x, y, batch_size=B)` then trains as one process
with batch `B` would: every rank computes its contiguous share of each global batch and the
gradients are averaged in one allreduce per step. Without a launcher the script runs unchanged
as one device. See docs/distribution.md.
"""

from .distribution_lib import (
    DataParallel,
    DeviceMesh,
    Distribution,
    LayoutMap,
    ModelParallel,
    TensorLayout,
    distribute_tensor,
    distribution,
    get_device_count,
    initialize,
    list_devices,
    set_distribution,
)

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "Distribution",
    "LayoutMap",
    "ModelParallel",
    "TensorLayout",
    "distribute_tensor",
    "distribution",
    "get_device_count",
    "initialize",
    "list_devices",
    "set_distribution",
]
