"""The fused bias + ReLU kernels against their numpy references, and the op's gradient."""

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad, randn
from minikeras.kernels import bias_act as k
from minikeras.core.ops.fused_bias_act import bias_add_activation


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("relu", [True, False])
@pytest.mark.parametrize("m,c", [(1, 1), (9, 4), (300, 32)])
def test_kernels_match_references(dtype, relu, m, c):
    x, dout, bias = (
        randn(m, c, dtype=dtype),
        randn(m, c, seed=1, dtype=dtype),
        randn(c, seed=2, dtype=dtype),
    )
    y = k.bias_act(x, bias, relu)
    np.testing.assert_array_equal(y, k.bias_act_ref(x, bias, relu))
    dx, db = k.bias_act_grad(dout, y, relu)
    ref_dx, ref_db = k.bias_act_grad_ref(dout, y, relu)
    np.testing.assert_array_equal(dx, ref_dx)
    np.testing.assert_allclose(db, ref_db, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("relu", [True, False])
def test_op_gradient(relu):
    check_grad(lambda y, b: bias_add_activation(y, b, relu), (2, 3, 4, 5), (5,))


def test_op_rejects_mismatched_bias():
    y = keras.Tensor(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="bias of shape"):
        bias_add_activation(y, keras.Tensor(np.zeros(4, "float32")), True)
