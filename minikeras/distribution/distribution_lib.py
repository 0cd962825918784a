"""Keras 3's `keras.distribution` API over MPI ranks: one `"cpu:N"` device per process.

`DataParallel` replicates the variables on every rank and splits each global batch across the
ranks (see `data_parallel.py` for what `fit` does with it). `DeviceMesh`, `TensorLayout`,
`LayoutMap` and `distribute_tensor` keep Keras's signatures; `ModelParallel` (sharded variables)
is not supported and says so.
"""

import contextlib
import math
import os
import re
from collections import OrderedDict
from collections.abc import MutableMapping

import numpy as np

from ..kernels import runtime
from . import mpi

DEFAULT_BATCH_DIM_NAME = "batch"
_current = {"distribution": None}


def list_devices(device_type=None):
    """The devices of the whole job: `["cpu:0", ..., "cpu:N-1"]`, one per MPI rank.

    Args:
        device_type: `"cpu"` or None (minikeras runs on CPUs); `"gpu"` and `"tpu"` give `[]`.
    """
    if device_type is not None:
        kind = str(device_type).lower()
        if kind not in ("cpu", "gpu", "tpu"):
            raise ValueError(
                "list_devices: device_type must be 'cpu', 'gpu', 'tpu' or None. Received: "
                f"device_type={device_type!r}"
            )
        if kind != "cpu":
            return []
    return [f"cpu:{i}" for i in range(mpi.size())]


def get_device_count(device_type=None):
    """The number of devices `list_devices(device_type)` returns."""
    return len(list_devices(device_type))


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Joins the job's processes (MPI) before any computation.

    The MPI launcher (`mpiexec -n 4 python train.py`, or `-f hosts` across machines) decides
    the processes and their addresses, so `job_addresses` is accepted and unused; `num_processes`
    and `process_id` (or Keras's `KERAS_DISTRIBUTION_NUM_PROCESSES` / `_PROCESS_ID` variables)
    are checked against the MPI world. Without a launcher the process runs alone (one device).

    The processes sharing a machine share its cores: unless `MINIKERAS_NUM_THREADS` is set, each
    takes its share of minikeras's threads (`cores // processes on this machine`, at least 1).
    """
    env = os.environ
    if num_processes is None and "KERAS_DISTRIBUTION_NUM_PROCESSES" in env:
        num_processes = int(env["KERAS_DISTRIBUTION_NUM_PROCESSES"])
    if process_id is None and "KERAS_DISTRIBUTION_PROCESS_ID" in env:
        process_id = int(env["KERAS_DISTRIBUTION_PROCESS_ID"])
    comm = mpi.world(required=mpi.launched_by_mpi())
    size, rank = (1, 0) if comm is None else (comm.Get_size(), comm.Get_rank())
    if num_processes is not None and int(num_processes) != size:
        raise ValueError(
            f"initialize: num_processes={num_processes} but the MPI launcher started {size} "
            "process(es). Start the job with `mpiexec -n <num_processes> python script.py`."
        )
    local = int(env.get("MPI_LOCALNRANKS") or env.get("OMPI_COMM_WORLD_LOCAL_SIZE") or 1)
    threads = runtime.get_num_threads()
    if local > 1 and threads and "MINIKERAS_NUM_THREADS" not in env:
        runtime.set_num_threads(max(1, threads // local))
    if process_id is not None and int(process_id) != rank:
        raise ValueError(
            f"initialize: process_id={process_id} but this process is MPI rank {rank}; MPI "
            "assigns the ranks, leave process_id unset."
        )


class DeviceMesh:
    """Devices arranged as an array with named axes (Keras 3 API).

    Args:
        shape: the mesh shape, e.g. `(4,)`.
        axis_names: one name per axis, e.g. `["batch"]`.
        devices: the devices (default `list_devices()`), as many as `prod(shape)`.
    """

    def __init__(self, shape, axis_names, devices=None):
        if not shape or not axis_names:
            raise ValueError(
                f"DeviceMesh: shape and axis_names cannot be empty. Received: shape={shape}, "
                f"axis_names={axis_names}"
            )
        if len(shape) != len(axis_names):
            raise ValueError(
                "DeviceMesh: shape and axis_names should have the same length. Received: "
                f"shape={shape}, axis_names={axis_names}"
            )
        devices = np.array(list_devices() if devices is None else devices)
        if math.prod(shape) != devices.size:
            raise ValueError(
                f"DeviceMesh: shape {tuple(shape)} does not match the number of devices. "
                f"Received: shape={shape}; devices.shape={devices.shape}"
            )
        self._shape = shape
        self._axis_names = axis_names
        self._devices = np.reshape(devices, shape)

    @property
    def shape(self):
        return self._shape

    @property
    def axis_names(self):
        return self._axis_names

    @property
    def devices(self):
        return self._devices

    def __repr__(self):
        return f"<DeviceMesh shape={self.shape}, axis_names={self.axis_names}>"

    __str__ = __repr__


class TensorLayout:
    """How a tensor's axes map onto mesh axes (`None`: not sharded), as Keras 3's.

    Args:
        axes: one mesh axis name (or None) per tensor axis.
        device_mesh: the `DeviceMesh` (may be set once later).
    """

    def __init__(self, axes, device_mesh=None):
        self._axes = tuple(axes)
        self._device_mesh = device_mesh
        self._validate_axes()

    @property
    def axes(self):
        return self._axes

    @property
    def device_mesh(self):
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh):
        if self._device_mesh is not None:
            raise ValueError(
                f"TensorLayout: cannot override the device mesh; it is {self._device_mesh}."
            )
        self._device_mesh = device_mesh
        self._validate_axes()

    def _validate_axes(self):
        if self._device_mesh is not None:
            valid = set(self._device_mesh.axis_names)
            unknown = set(self._axes) - {None} - valid
            if unknown:
                raise ValueError(
                    f"TensorLayout: invalid axis names {sorted(unknown)}. Valid axis names: "
                    f"{sorted(valid)}"
                )

    def __repr__(self):
        return f"<TensorLayout axes={self.axes}, device_mesh={self.device_mesh}>"

    __str__ = __repr__


class Distribution:
    """Base class of distributions: a mesh, the batch axis name and the current scope."""

    def __init__(self, device_mesh, batch_dim_name=None, auto_shard_dataset=True):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset
        self._num_processes = mpi.size()
        self._process_id = mpi.rank()
        self._is_multi_process = self._num_processes > 1

    @property
    def num_processes(self):
        return self._num_processes

    @property
    def num_model_replicas(self):
        raise NotImplementedError

    @property
    def num_data_shards(self):
        return min(self.num_model_replicas, self.num_processes)

    @property
    def data_shard_id(self):
        return self._process_id

    def get_data_layout(self, data_shape):
        raise NotImplementedError

    def get_variable_layout(self, variable):
        raise NotImplementedError

    def get_tensor_layout(self, path):
        raise NotImplementedError

    @contextlib.contextmanager
    def scope(self):
        """Makes this the current distribution inside the `with` block."""
        previous = distribution()
        set_distribution(self)
        try:
            yield
        finally:
            set_distribution(previous)

    @property
    def device_mesh(self):
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self):
        return self._auto_shard_dataset

    @auto_shard_dataset.setter
    def auto_shard_dataset(self, value):
        self._auto_shard_dataset = value

    def __repr__(self):
        return f"<{type(self).__name__} device_mesh={self.device_mesh}>"

    __str__ = __repr__


class DataParallel(Distribution):
    """Data parallelism: every rank holds all the variables and computes a share of each batch.

    Give `device_mesh` (its first axis is the batch axis) or `devices`, or neither (all of
    `list_devices()`). The mesh must hold one device per MPI rank.
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        if device_mesh is not None:
            if not isinstance(device_mesh, DeviceMesh):
                raise ValueError(
                    "DataParallel: device_mesh must be a DeviceMesh. Received: "
                    f"device_mesh={device_mesh!r} (of type {type(device_mesh).__name__})"
                )
            name = device_mesh.axis_names[0]
        else:
            devices = np.array(list_devices() if devices is None or len(devices) == 0 else devices)
            name = DEFAULT_BATCH_DIM_NAME
            device_mesh = DeviceMesh(devices.shape, [name], devices)
        super().__init__(device_mesh, name, auto_shard_dataset)
        if device_mesh.devices.size != self._num_processes:
            raise ValueError(
                f"DataParallel on MPI needs one device per process: the mesh has "
                f"{device_mesh.devices.size} devices for {self._num_processes} process(es). "
                "Pass devices=keras.distribution.list_devices()."
            )

    @property
    def num_model_replicas(self):
        return self.device_mesh.devices.size

    def get_data_layout(self, data_shape):
        axes = [None] * len(data_shape)
        axes[0] = self.batch_dim_name
        return TensorLayout(axes, self.device_mesh)

    def get_variable_layout(self, variable):
        if getattr(variable, "_layout", None) is not None:
            return variable._layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path):
        return None


class ModelParallel(Distribution):
    """Sharded variables (Keras 3's `ModelParallel`): not supported on MPI here."""

    def __init__(self, *, layout_map=None, batch_dim_name=None, auto_shard_dataset=True, **kw):
        raise NotImplementedError(
            "keras.distribution.ModelParallel (variables sharded across devices) is not "
            "supported by minikeras; DataParallel (replicated variables, each MPI rank "
            "computing a share of every batch) is."
        )


class LayoutMap(MutableMapping):
    """Maps variable paths (exact, else as regular expressions) to `TensorLayout`s (Keras 3)."""

    def __init__(self, device_mesh):
        self._layout_map = OrderedDict()
        self._device_mesh = device_mesh

    def __getitem__(self, key):
        if key in self._layout_map:
            return self._layout_map[key]
        matches = [p for p in self._layout_map if re.fullmatch(p, key)]
        if len(matches) > 1:
            raise ValueError(
                f"LayoutMap: path '{key}' matches several keys: {matches}. Make each path match "
                "at most one key."
            )
        return self._layout_map[matches[0]] if matches else None

    def __setitem__(self, key, layout):
        if key in self._layout_map:
            raise ValueError(
                f"LayoutMap: {key!r} is already mapped to {self._layout_map[key]}; keys must "
                "not repeat."
            )
        if isinstance(layout, tuple):
            layout = TensorLayout(axes=layout)
        if not isinstance(layout, TensorLayout):
            raise ValueError(
                f"LayoutMap: {layout!r} should be a TensorLayout (or a tuple of axis names), "
                f"got {type(layout).__name__}"
            )
        if layout.device_mesh is None and self._device_mesh is not None:
            layout.device_mesh = self._device_mesh
        self._layout_map[key] = layout

    def __delitem__(self, key):
        return self._layout_map.pop(key)

    def __len__(self):
        return len(self._layout_map)

    def __iter__(self):
        return iter(self._layout_map)

    @property
    def device_mesh(self):
        return self._device_mesh


def distribute_tensor(tensor, layout):
    """The tensor laid out by `layout`: replicated layouts (all axes None) return it as is;
    under `DataParallel` every rank already holds its own share, so that is returned too."""
    if not isinstance(layout, TensorLayout):
        raise ValueError(f"distribute_tensor: layout must be a TensorLayout. Received: {layout!r}")
    return tensor


def distribution():
    """The current distribution (`None` when none was set)."""
    return _current["distribution"]


def set_distribution(value):
    """Sets the global distribution (a `Distribution` or None)."""
    if value is not None and not isinstance(value, Distribution):
        raise ValueError(f"set_distribution: expected a Distribution or None. Received: {value!r}")
    _current["distribution"] = value
