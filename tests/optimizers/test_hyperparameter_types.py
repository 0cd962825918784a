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


def test_a_callable_hyperparameter_is_called_each_step():
    # Keras 3: "beta_1: a float value ... or a callable that takes no arguments and returns the
    # actual value to use"; minikeras accepted one and then failed in the update
    calls = []

    def beta_1():
        calls.append(1)
        return 0.8

    ws = [keras.Variable(np.ones(3, np.float32)) for _ in range(2)]
    opts = [keras.optimizers.Adam(0.1, beta_1=beta_1), keras.optimizers.Adam(0.1, beta_1=0.8)]
    for opt, w in zip(opts, ws):
        for g in ([1.0, -2.0, 0.5], [0.3, 0.1, -1.0]):
            opt.apply([np.array(g, np.float32)], [w])
    np.testing.assert_array_equal(ws[0].numpy(), ws[1].numpy())
    assert len(calls) == 2 and opts[0].beta_1 is beta_1


def test_lion_checks_the_type_before_the_range():
    with pytest.raises(TypeError, match="Lion: argument `beta_1` must be a float"):
        keras.optimizers.Lion(beta_1="x")  # was: "'<=' not supported between str and int"
    with pytest.raises(ValueError, match="must be in the"):
        keras.optimizers.Lion(beta_1=0)  # Keras 3: SignSGD, refused
