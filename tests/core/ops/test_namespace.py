"""`keras.ops` is a static namespace: each public op is bound by name in `core/ops/__init__.py`,
and `keras.ops.nn`/`numpy`/`linalg`/`image` hold the names Keras 3 lists there (observed on Keras
3.15.1: `keras.ops.nn.softmax` exists, `keras.ops.nn.matmul` raises AttributeError)."""

import ast
import inspect
import pathlib

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
