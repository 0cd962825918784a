"""keras.name_scope / device / StatelessScope / SymbolicScope / RematScope / remat, as Keras
3.15.1 (torch) behaves for the same calls; CPU-only device names are minikeras's rule."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.core import scopes


def test_name_scope_nesting_and_deduplication():
    """Keras: `with keras.name_scope("blk") as ns` gives a name_scope whose .name is "blk"."""
    with keras.name_scope("blk") as ns:
        assert ns.name == "blk"
        with keras.name_scope("inner"):
            assert scopes.current_path() == "blk/inner"
        with keras.name_scope("blk"):  # deduplicate=True: the same name adds nothing
            assert scopes.current_path() == "blk"
    assert scopes.current_path() == ""


def test_device_accepts_cpu_and_refuses_accelerators():
    """minikeras has one device; Keras's 'cpu:0' works, GPU/TPU names raise ValueError."""
    for name in ("cpu", "cpu:0", "/CPU:0", "/device:CPU:0"):
        with keras.device(name):
            assert keras.ops.ones(2).shape == (2,)
    for name in ("gpu:0", "cuda", "tpu:0", "cpu:1"):
        with pytest.raises(ValueError, match="CPU only"):
            keras.device(name)


def test_stateless_scope_keeps_variables_unchanged():
    """Keras: inside StatelessScope(state_mapping=[(v, 5.0)]) v reads 5.0, an assign of 7.0
    shows in get_current_value, and v is 1.0 again afterwards."""
    v = keras.Variable(1.0)
    with keras.StatelessScope(state_mapping=[(v, 5.0)]) as scope:
        assert float(v.numpy()) == 5.0
        assert scopes.in_stateless_scope()
        v.assign(7.0)
        assert float(np.asarray(scope.get_current_value(v))) == 7.0
    assert float(v.numpy()) == 1.0
    assert not scopes.in_stateless_scope()


def test_symbolic_and_remat_scopes():
    """Keras: SymbolicScope and RematScope(mode="full") are context managers; remat(f) returns
    a wrapper computing f (minikeras computes as usual)."""
    with keras.SymbolicScope():
        assert scopes.in_symbolic_scope()
    with keras.RematScope(mode="full") as rs:
        assert rs.mode == "full"
    with pytest.raises(ValueError, match="mode"):
        keras.RematScope(mode="sometimes")
    wrapped = keras.remat(np.sum)
    assert wrapped is not np.sum and wrapped([1, 2]) == 3
