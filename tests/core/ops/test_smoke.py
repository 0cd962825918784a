import numpy as np

from helpers import check_grad
from minikeras import ops


def test_matmul_grad():
    check_grad(ops.matmul, (3, 4), (4, 2))


def test_broadcast_add_mul_grad():
    check_grad(lambda a, b: ops.multiply(ops.add(a, b), b), (2, 3, 4), (3, 1))


def test_softmax_grad():
    check_grad(lambda a: ops.softmax(a, axis=-1), (3, 5))
