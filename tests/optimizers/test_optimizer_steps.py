"""Three steps of every optimizer against plain-numpy versions of Keras 3's formulas."""

import math

import numpy as np
import pytest

import minikeras as keras
from minikeras import optimizers

STEPS = 3


def make_vars():
    rng = np.random.default_rng(0)
    w1 = keras.Variable(rng.standard_normal((3, 4)).astype("float32"), name="kernel")
    w2 = keras.Variable(rng.standard_normal(4).astype("float32"), name="bias")
    w1.path, w2.path = "dense/kernel", "dense/bias"
    return [w1, w2]


def grad_sequence(shapes, seed=1):
    rng = np.random.default_rng(seed)
    return [[rng.standard_normal(s) for s in shapes] for _ in range(STEPS)]


def run(opt, ref_step, atol=1e-6):
    """Applies STEPS updates with `opt` and with `ref_step(w, g, state, t)` (float64)."""
    vs = make_vars()
    grads = grad_sequence([v.shape for v in vs])
    ref_w = [v.numpy().astype("float64") for v in vs]
    states = [{} for _ in vs]
    for t, gs in enumerate(grads, start=1):
        opt.apply([g.astype("float32") for g in gs], vs)
        for i, g in enumerate(gs):
            ref_w[i] = ref_step(ref_w[i], g, states[i], t)
    for v, r in zip(vs, ref_w):
        np.testing.assert_allclose(v.numpy(), r, rtol=1e-5, atol=atol)
    assert int(opt.iterations) == STEPS
    return vs


def zeros(state, key, like, value=0.0):
    if key not in state:
        state[key] = np.full_like(like, value)
    return state[key]


@pytest.mark.parametrize("momentum,nesterov", [(0.0, False), (0.9, False), (0.9, True)])
def test_sgd(momentum, nesterov):
    lr = 0.1

    def ref(w, g, s, t):
        if momentum == 0:
            return w - lr * g
        m = zeros(s, "m", w)
        m[...] = momentum * m - lr * g
        return w + (momentum * m - lr * g if nesterov else m)

    run(optimizers.SGD(lr, momentum=momentum, nesterov=nesterov), ref)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam(amsgrad):
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-7

    def ref(w, g, s, t):
        m, v, vhat = zeros(s, "m", w), zeros(s, "v", w), zeros(s, "vhat", w)
        m[...] = b1 * m + (1 - b1) * g
        v[...] = b2 * v + (1 - b2) * g * g
        vhat[...] = np.maximum(vhat, v)
        alpha = lr * math.sqrt(1 - b2**t) / (1 - b1**t)  # bias correction folded into lr
        return w - alpha * m / (np.sqrt(vhat if amsgrad else v) + eps)  # eps outside the sqrt

    run(optimizers.Adam(lr, amsgrad=amsgrad), ref)


def test_adam_keras_documented_value():
    # Keras's own Adam test: lr 0.5, the first step moves every weight by lr (up to epsilon,
    # which shortens it by about lr * 1e-7 / sqrt(1 - beta_2) = 1.6e-6)
    x = keras.Variable(np.array([1.0, 2.0, 3.0, 4.0], "float32"))
    optimizers.Adam(learning_rate=0.5).apply_gradients([(np.array([1.0, 6.0, 7.0, 2.0]), x)])
    np.testing.assert_allclose(x.numpy(), [0.5, 1.5, 2.5, 3.5], atol=5e-6)


def test_adam_step_size_in_float32_matches_keras_exactly():
    """Keras 3.15.1 (jax) observed: Adam(learning_rate=0.1, clipnorm=0.5) on w = [[1, -2],
    [3, 0.5]] with gradient 2 * w. Keras computes the beta powers and the step size in the
    weight's float32, which moves this step by ~7e-7 from a float64 step size."""
    w = keras.Variable(np.array([[1.0, -2.0], [3.0, 0.5]], "float32"))
    opt = optimizers.Adam(learning_rate=0.1, clipnorm=0.5)
    opt.apply_gradients([(2.0 * w.numpy(), w)])
    expected = [[0.9000030755996704, -1.900001883506775], [2.9000015258789062, 0.40000542998313904]]
    np.testing.assert_array_equal(w.numpy(), np.array(expected, "float32"))


def test_adamw():
    lr, wd, b1, b2, eps = 0.01, 0.1, 0.9, 0.999, 1e-7

    def ref(w, g, s, t):
        w = w - w * wd * lr  # decoupled decay first
        m, v = zeros(s, "m", w), zeros(s, "v", w)
        m[...] = b1 * m + (1 - b1) * g
        v[...] = b2 * v + (1 - b2) * g * g
        return w - lr * math.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + eps)

    run(optimizers.AdamW(lr, weight_decay=wd), ref)
    assert optimizers.AdamW().weight_decay == 0.004
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)


def test_adamax():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-7

    def ref(w, g, s, t):
        m, u = zeros(s, "m", w), zeros(s, "u", w)
        m[...] = b1 * m + (1 - b1) * g
        u[...] = np.maximum(b2 * u, np.abs(g))
        return w - lr / (1 - b1**t) * m / (u + eps)

    run(optimizers.Adamax(lr), ref)


def test_nadam():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-7
    shared = {"u_prod": 1.0, "t": 0}

    def ref(w, g, s, t):
        if shared["t"] != t:  # the momentum-schedule product advances once per step
            shared["t"] = t
            shared["u_prod"] *= b1 * (1 - 0.5 * 0.96**t)
        u_t = b1 * (1 - 0.5 * 0.96**t)
        u_next = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        u_prod = shared["u_prod"]
        m, v = zeros(s, "m", w), zeros(s, "v", w)
        m[...] = b1 * m + (1 - b1) * g
        v[...] = b2 * v + (1 - b2) * g * g
        m_hat = u_next * m / (1 - u_prod * u_next) + (1 - u_t) * g / (1 - u_prod)
        v_hat = v / (1 - b2**t)
        return w - lr * m_hat / (np.sqrt(v_hat) + eps)

    run(optimizers.Nadam(lr), ref)


@pytest.mark.parametrize(
    "momentum,centered", [(0.0, False), (0.5, False), (0.0, True), (0.5, True)]
)
def test_rmsprop(momentum, centered):
    lr, rho, eps = 0.01, 0.9, 1e-7

    def ref(w, g, s, t):
        v = zeros(s, "v", w)
        v[...] = rho * v + (1 - rho) * g * g
        denom = v + eps  # eps inside the sqrt
        if centered:
            a = zeros(s, "a", w)
            a[...] = rho * a + (1 - rho) * g
            denom = v - a * a + eps
        step = lr * g / np.sqrt(denom)
        if momentum:
            m = zeros(s, "m", w)
            m[...] = momentum * m + step
            return w - m
        return w - step

    run(optimizers.RMSprop(lr, momentum=momentum, centered=centered), ref, atol=1e-5)


def test_rmsprop_keras_documented_value():
    # Keras docstring: RMSprop(0.1) on loss var**2 / 2 from var = 10 gives 9.683772
    var = keras.Variable(10.0)
    optimizers.RMSprop(learning_rate=0.1).apply([np.array(10.0)], [var])
    np.testing.assert_allclose(float(var), 9.683772, rtol=1e-6)


def test_adagrad():
    lr, init, eps = 0.1, 0.1, 1e-7

    def ref(w, g, s, t):
        acc = zeros(s, "acc", w, init)
        acc += g * g
        return w - lr * g / np.sqrt(acc + eps)

    run(optimizers.Adagrad(lr, initial_accumulator_value=init), ref)


def test_adadelta():
    lr, rho, eps = 1.0, 0.95, 1e-7

    def ref(w, g, s, t):
        ag, ad = zeros(s, "ag", w), zeros(s, "ad", w)
        ag[...] = rho * ag + (1 - rho) * g * g
        delta = -np.sqrt(ad + eps) * g / np.sqrt(ag + eps)
        ad[...] = rho * ad + (1 - rho) * delta * delta
        return w + lr * delta

    run(optimizers.Adadelta(lr), ref)


@pytest.mark.parametrize(
    "cls,defaults",
    [
        (optimizers.SGD, {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False}),
        (
            optimizers.Adam,
            {
                "learning_rate": 0.001,
                "beta_1": 0.9,
                "beta_2": 0.999,
                "epsilon": 1e-7,
                "amsgrad": False,
            },
        ),
        (
            optimizers.RMSprop,
            {
                "learning_rate": 0.001,
                "rho": 0.9,
                "momentum": 0.0,
                "epsilon": 1e-7,
                "centered": False,
            },
        ),
        (
            optimizers.Adagrad,
            {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
        ),
        (optimizers.Adadelta, {"learning_rate": 0.001, "rho": 0.95, "epsilon": 1e-7}),
        (optimizers.Adamax, {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999}),
        (optimizers.Nadam, {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999}),
    ],
)
def test_keras_defaults(cls, defaults):
    config = cls().get_config()
    for key, value in defaults.items():
        assert config[key] == pytest.approx(value, rel=1e-6), key


def test_adam_follows_a_weight_array_replaced_between_steps():
    # the kernel's flat views are cached per variable: replacing a variable's array (rather than
    # assigning into it) must make the next step update the new array, not the stale one
    lr = 0.01
    w = keras.Variable(np.ones((2, 3), "float32"))
    opt = optimizers.Adam(lr)
    g = np.full((2, 3), 0.5, "float32")
    opt.apply([g], [w])
    w.data = np.zeros((2, 3), "float32")
    opt.apply([np.full((2, 6), 0.5, "float32")[:, ::2]], [w])  # a strided gradient
    # step 2 with a constant gradient: m/(sqrt(v)+eps) = 1 after bias correction, so w = -lr up
    # to the float32 step size; -0.0099998545 is Keras 3.15.1's value (w.assign between steps)
    np.testing.assert_array_equal(w.numpy(), np.full((2, 3), -0.0099998545, "float32"))
