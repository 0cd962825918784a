"""Float hyperparameters (epsilon, beta_1, rho, ...) must be numbers or callables.

Keras 3.15.1 takes `Adam(epsilon=None)` and fails at the first step (a TypeError deep in the
update); minikeras's numpy update turned the None into NaN weights without a word. It now
refuses such values when the optimizer is made, naming the optimizer and the argument."""

import numpy as np
import pytest

import minikeras as keras


@pytest.mark.parametrize(
    "make",
    [
        lambda v: keras.optimizers.Adam(epsilon=v),
        lambda v: keras.optimizers.RMSprop(rho=v),
        lambda v: keras.optimizers.Adadelta(epsilon=v),
        lambda v: keras.optimizers.Nadam(beta_1=v),
        lambda v: keras.optimizers.Adagrad(epsilon=v),
    ],
)
@pytest.mark.parametrize("bad", [None, "x", [0.9], True])
def test_non_numbers_are_refused_with_the_argument_named(make, bad):
    with pytest.raises(TypeError, match=r"argument `\w+` must be a float"):
        make(bad)


def test_numbers_arrays_and_callables_still_work():
    w = keras.Variable(np.ones(3, np.float32))
    for opt in (
        keras.optimizers.Adam(epsilon=np.float32(1e-7), beta_1=lambda: 0.9),
        keras.optimizers.RMSprop(rho=np.array(0.9)),
        keras.optimizers.Adam(beta_2=keras.ops.convert_to_tensor(0.999)),
        keras.optimizers.SGD(momentum=0),
    ):
        opt.apply([np.ones(3, np.float32)], [w])
        assert np.all(np.isfinite(w.numpy()))
