"""`keras.ops` is a static namespace: each public op is bound by name in `core/ops/__init__.py`,
and `keras.ops.nn`/`numpy`/`linalg`/`image` hold the names Keras 3 lists there (observed on Keras
3.15.1: `keras.ops.nn.softmax` exists, `keras.ops.nn.matmul` raises AttributeError)."""

import ast
import inspect
import pathlib
import types

import pytest

import minikeras as keras
from minikeras.core import ops, tensor


def test_every_public_op_is_bound_by_name_in_the_package():
    source = pathlib.Path(ops.__file__).read_text()
    bound = {
        t.id
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    public = {n for m in ops._FAMILIES for n in m.__all__} - {"EPSILON"}
    assert public <= bound, sorted(public - bound)


def test_the_package_exposes_ops_and_namespaces_only():
    """`keras.ops` holds no helper of its own (the dispatch decorator is `_base.op`)."""
    assert not hasattr(keras.ops, "op")
    public = [getattr(keras.ops, n) for n in dir(keras.ops) if not n.startswith("_")]
    assert all(callable(v) or isinstance(v, types.ModuleType) for v in public)
    assert callable(keras.ops.softmax) and callable(keras.ops.shape)  # not the modules


def test_an_op_leads_to_its_definition():
    assert ops.matmul.__module__ == "minikeras.core.ops.linalg"
    assert inspect.getsource(ops.matmul).startswith("def matmul(x1, x2):")
    assert inspect.getsource(keras.ops.image.resize).startswith("def resize(")


def test_sub_namespaces_hold_keras_names_only():
    assert keras.ops.nn.softmax is keras.ops.softmax
    assert keras.ops.numpy.matmul is keras.ops.matmul
    assert keras.ops.linalg.cholesky is keras.ops.cholesky
    assert "softmax" in keras.ops.nn.__all__ and "conv" in keras.ops.nn.__all__
    with pytest.raises(AttributeError):
        keras.ops.nn.matmul  # noqa: B018  (Keras 3: keras.ops.numpy.matmul only)
    with pytest.raises(AttributeError):
        keras.ops.numpy.relu  # noqa: B018


def test_tensor_operators_call_the_undispatched_ops():
    """The operators skip the symbolic check (a Tensor never is a KerasTensor)."""
    assert tensor.ops is ops.operators
    assert tensor.ops.add is ops.add._raw


def _imports_the_ops_package(path):
    """True when the module at `path` imports `minikeras.core.ops` itself (anywhere, functions too)."""
    for node in ast.walk(ast.parse(pathlib.Path(path).read_text())):
        if isinstance(node, ast.ImportFrom):
            in_ops = pathlib.Path(path).parent.name == "ops"
            if in_ops and node.level == 2 and node.module is None:
                if any(a.name == "ops" for a in node.names):  # from .. import ops
                    return True
            if not in_ops and node.level == 1 and node.module is None:
                if any(a.name == "ops" for a in node.names):  # core/*.py: from . import ops
                    return True
    return False


def test_the_ops_families_and_autodiff_do_not_import_the_ops_package():
    """The package imports every family and tensor.py; a family or autodiff importing it back
    would put all of core in one import cycle (issue 19). autodiff uses `tensor.ops` instead."""
    from minikeras.core import autodiff

    modules = [*ops._FAMILIES, ops._base, ops.operators, autodiff]
    offenders = [m.__name__ for m in modules if _imports_the_ops_package(m.__file__)]
    assert not offenders, offenders
