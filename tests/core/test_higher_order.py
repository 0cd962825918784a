"""Tests for higher-order gradients (minikeras/core/autodiff.py and the ops' `backward_ops`).

A gradient taken while an enclosing `GradientTape` records is itself differentiable, as with
TensorFlow's nested `tf.GradientTape`s (the keras.io WGAN-GP example's gradient penalty) and
torch's `create_graph=True`. Expected values are analytic derivatives or float64 central
differences of the first-order (numpy) gradient, never the second-order code under test.
"""

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops
from minikeras.core import autodiff, dtypes
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor
from minikeras.core.ops.fused_bias_act import bias_add_activation
from tests.helpers import randn

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(autouse=True)
def _float64_kept():
    """Central differences in float64: the ops Keras 3 narrows to float32 keep 64 bits here."""
    with dtypes.keep_64bit():
        yield


def _second(fn, x0):
    """d2 fn / dx2 at the points x0 through two nested tapes (TF's pattern)."""
    x = keras.Variable(np.asarray(x0, "float64"))
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            y = fn(x)
        dy = inner.gradient(y, x)
    return outer.gradient(dy, x).numpy()


X = np.array([-1.3, -0.4, 0.3, 0.8, 1.7])


@pytest.mark.parametrize(
    "fn, d2",
    [
        (lambda x: x**3, lambda x: 6 * x),
        (ops.exp, np.exp),
        (lambda x: ops.log(x + 3), lambda x: -1 / (x + 3) ** 2),
        (lambda x: ops.sqrt(x + 3), lambda x: -0.25 * (x + 3) ** -1.5),
        (ops.sin, lambda x: -np.sin(x)),
        (ops.tanh, lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),
        (ops.sigmoid, lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s) * (1 - 2 * s)),
        (ops.softplus, lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s)),
        (lambda x: 1 / (x + 3), lambda x: 2 / (x + 3) ** 3),
        (lambda x: ops.square(ops.square(x)), lambda x: 12 * x**2),
    ],
)
def test_second_derivative_of_scalar_functions_is_analytic(fn, d2):
    """TF's nested tapes give the exact second derivative; minikeras gave None (a constant)."""
    np.testing.assert_allclose(_second(fn, X), d2(X), rtol=1e-10, atol=1e-12)


def test_third_derivative_through_three_tapes():
    """d3(x**4)/dx3 = 24 x: the gradients' own ops are differentiable again (TF semantics)."""
    x = keras.Variable(np.array([0.5, -2.0]))
    with keras.GradientTape() as t3:
        with keras.GradientTape() as t2:
            with keras.GradientTape() as t1:
                y = x**4
            g1 = t1.gradient(y, x)
        g2 = t2.gradient(g1, x)
    np.testing.assert_allclose(t3.gradient(g2, x).numpy(), 24 * x.numpy())


def test_persistent_tape_differentiates_its_own_gradient():
    """TF: a gradient taken inside a persistent tape's block is recorded on that tape."""
    x = keras.Variable(np.array([1.5]))
    with keras.GradientTape(persistent=True) as tape:
        y = x**3
        g = tape.gradient(y, x)
    np.testing.assert_allclose(tape.gradient(g, x).numpy(), [9.0])  # 6 x


def test_the_repro_mixed_partial_of_a_weight():
    """keras.io's nested-tape pattern: d/dw sum(d/dinp sum(w * inp**2)) = 2 * inp (TF: [6, 8])."""
    w = keras.Variable(np.array([1.0, 2.0], "float32"))
    inp = ops.convert_to_tensor(np.array([3.0, 4.0], "float32"))
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            inner.watch(inp)
            y = ops.sum(w * inp * inp)
        g = inner.gradient(y, [inp])[0]
        gp = ops.sum(g)
    (dw,) = outer.gradient(gp, [w])
    np.testing.assert_array_equal(dw.numpy(), [6.0, 8.0])
    assert dw.dtype == np.float32


# -- Hessian-vector products of every op with a differentiable backward ------------------------


def _first_order_dot(fn, arrays, w, vs):
    """<grad of sum(w * fn(...)), v>, from the first-order (numpy) backward."""
    ts = [Tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    gs = gradients(fn(*ts), ts, output_gradient=w)
    return sum(float(np.sum(g * v)) for g, v in zip(gs, vs) if g is not None)


def check_hvp(fn, *inputs, rtol=1e-6, atol=1e-8, eps=1e-6):
    """The second-order gradient of `s = <grad sum(w * f), v>` (all inputs at once, so mixed
    partials count) against central differences of s computed with first-order gradients.
    `f` is `fn` applied to `sin` of each float input and squared, so linear ops are curved too."""
    arrays = [
        randn(*s, seed=k) if isinstance(s, tuple) else np.asarray(s) for k, s in enumerate(inputs)
    ]

    def f(*ts):
        return ops.square(fn(*[ops.sin(t) if t.dtype.kind == "f" else t for t in ts]))

    with keras.no_grad():
        out_shape = f(*[Tensor(a) for a in arrays]).shape
    rng = np.random.default_rng(7)
    w = rng.standard_normal(out_shape)
    vs = [rng.standard_normal(a.shape) for a in arrays]
    ts = [Tensor(a.copy(), requires_grad=a.dtype.kind == "f") for a in arrays]
    gs = gradients(f(*ts), ts, output_gradient=w, create_graph=True)
    s = None
    for g, v in zip(gs, vs):
        if g is not None:
            term = ops.sum(g * v)
            s = term if s is None else s + term
    analytic = gradients(s, ts)
    for j, a in enumerate(arrays):
        if a.dtype.kind != "f":
            continue
        num = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus = [b.copy() for b in arrays]
            plus[j][idx] += eps
            minus = [b.copy() for b in arrays]
            minus[j][idx] -= eps
            num[idx] = (_first_order_dot(f, plus, w, vs) - _first_order_dot(f, minus, w, vs)) / (
                2 * eps
            )
        got = analytic[j] if analytic[j] is not None else np.zeros_like(a)
        np.testing.assert_allclose(got, num, rtol=rtol, atol=atol, err_msg=f"input {j}")


def _pos(x):  # positive inputs for log, sqrt, power
    return x + 2.0


HVP_CASES = {
    "add": (ops.add, (2, 3), (3,)),
    "subtract": (ops.subtract, (2, 3), (2, 1)),
    "multiply": (ops.multiply, (2, 3), (3,)),
    "multiply_scalar": (lambda x: ops.multiply(x, 2.5), (2, 3)),
    "divide": (lambda x, y: ops.divide(x, _pos(y)), (2, 3), (2, 3)),
    "power": (lambda x, y: ops.power(_pos(x), y), (2, 3), (2, 3)),
    "power_int": (lambda x: x**3, (2, 3)),
    "negative": (ops.negative, (2, 3)),
    "square": (ops.square, (2, 3)),
    "sqrt": (lambda x: ops.sqrt(_pos(x)), (2, 3)),
    "rsqrt": (lambda x: ops.rsqrt(_pos(x)), (2, 3)),
    "exp": (ops.exp, (2, 3)),
    "expm1": (ops.expm1, (2, 3)),
    "log": (lambda x: ops.log(_pos(x)), (2, 3)),
    "log1p": (lambda x: ops.log1p(_pos(x)), (2, 3)),
    "reciprocal": (lambda x: ops.reciprocal(_pos(x)), (2, 3)),
    "abs": (ops.abs, (2, 3)),
    "maximum": (ops.maximum, (2, 3), (2, 3)),
    "minimum": (ops.minimum, (2, 3), (3,)),
    "where": (lambda x, y: ops.where(np.array([True, False, True]), x, y), (2, 3), (2, 3)),
    "tanh": (ops.tanh, (2, 3)),
    "sin_cos": (lambda x: ops.cos(ops.sin(x)), (2, 3)),
    "clip": (lambda x: ops.clip(x, -0.5, 0.5), (2, 3)),
    "erf": (ops.erf, (2, 3)),
    "relu": (ops.relu, (2, 3)),
    "relu6": (lambda x: ops.relu6(6 * x), (2, 3)),
    "leaky_relu": (lambda x: ops.leaky_relu(x, 0.2), (2, 3)),
    "sigmoid": (ops.sigmoid, (2, 3)),
    "softplus": (ops.softplus, (2, 3)),
    "softsign": (ops.softsign, (2, 3)),
    "elu": (ops.elu, (2, 3)),
    "selu": (ops.selu, (2, 3)),
    "gelu": (ops.gelu, (2, 3)),
    "gelu_exact": (lambda x: ops.gelu(x, approximate=False), (2, 3)),
    "silu": (ops.silu, (2, 3)),
    "log_sigmoid": (ops.log_sigmoid, (2, 3)),
    "hard_sigmoid": (lambda x: ops.hard_sigmoid(4 * x), (2, 3)),
    "softmax": (lambda x: ops.softmax(x, axis=0), (2, 3)),
    "log_softmax": (ops.log_softmax, (2, 3)),
    "sum": (lambda x: ops.sum(x, axis=1), (2, 3)),
    "sum_all": (ops.sum, (2, 3)),
    "mean": (lambda x: ops.mean(x, axis=0, keepdims=True), (2, 3)),
    "max": (lambda x: ops.max(x, axis=1), (2, 3)),
    "min": (lambda x: ops.min(x, axis=0), (2, 3)),
    "matmul": (ops.matmul, (2, 3), (3, 4)),
    "matmul_batched": (ops.matmul, (2, 2, 3), (3, 2)),
    "matmul_vector": (ops.matmul, (3,), (3, 2)),
    "matmul_vectors": (ops.matmul, (3,), (3,)),
    "matmul_constant": (lambda x: ops.matmul(x, np.linspace(-1, 1, 6).reshape(3, 2)), (2, 3)),
    "einsum": (lambda x, y: ops.einsum("abc,cd->abd", x, y), (2, 2, 3), (3, 2)),
    "einsum_summed": (lambda x, y: ops.einsum("ab,b->", x, y), (2, 3), (3,)),
    "einsum_ellipsis": (lambda x, y: ops.einsum("...ij,jk->...ik", x, y), (2, 2, 3), (3, 2)),
    "take_rows": (lambda x: ops.take(x, np.array([[2, 0], [2, 1]]), axis=0), (3, 2)),
    "take_axis1": (lambda x: ops.take(x, np.array([1, 1, 0]), axis=1), (2, 3)),
    "take_flat": (lambda x: ops.take(x, np.array([5, 0, 5])), (2, 3)),
    "reshape": (lambda x: ops.reshape(x, (3, 2)), (2, 3)),
    "transpose": (lambda x: ops.transpose(x, (2, 0, 1)), (2, 3, 2)),
    "expand_dims": (lambda x: ops.expand_dims(x, 1), (2, 3)),
    "squeeze": (lambda x: ops.squeeze(x, 1), (2, 1, 3)),
    "concatenate": (lambda x, y: ops.concatenate([x, y], axis=-1), (2, 3), (2, 2)),
    "stack": (lambda x, y: ops.stack([x, y], axis=1), (2, 3), (2, 3)),
    "getitem_basic": (lambda x: x[1:, ::2], (3, 4)),
    "getitem_repeated": (lambda x: x[np.array([0, 2, 0])], (3, 2)),
    "broadcast_to": (lambda x: ops.broadcast_to(x, (2, 3)), (3,)),
    "pad": (lambda x: ops.pad(x, [(1, 0), (2, 1)]), (2, 3)),
    "flip": (lambda x: ops.flip(x, 1), (2, 3)),
    "copy": (ops.copy, (2, 3)),
    "cast": (lambda x: ops.cast(ops.cast(x, "float32"), "float64"), (2, 3)),
}


@pytest.mark.parametrize("name", sorted(HVP_CASES))
def test_hessian_vector_product_matches_finite_differences(name):
    fn, *shapes = HVP_CASES[name]
    tol = {"rtol": 1e-3, "atol": 1e-4, "eps": 1e-3} if name == "cast" else {}  # float32 inside
    check_hvp(fn, *shapes, **tol)


@pytest.mark.parametrize(
    "kwargs, x_shape, k_shape",
    [
        ({"strides": 2, "padding": "same"}, (2, 5, 5, 2), (3, 3, 2, 3)),
        ({"strides": 1, "padding": "valid", "dilation_rate": 2}, (1, 6, 5, 2), (2, 2, 2, 2)),
        ({"strides": 1, "padding": "causal"}, (2, 6, 2), (3, 2, 2)),  # 1-D
        ({"strides": 1, "padding": "same"}, (1, 4, 4, 4), (3, 3, 2, 4)),  # 2 groups
        ({"strides": 1, "padding": "valid"}, (2, 3, 3, 3), (1, 1, 3, 2)),  # pointwise
        (
            {"strides": 2, "padding": "same", "data_format": "channels_first"},
            (1, 2, 5, 4),
            (3, 3, 2, 2),
        ),
    ],
)
def test_conv_hessian_vector_product(kwargs, x_shape, k_shape):
    check_hvp(lambda x, k: ops.conv(x, k, **kwargs), x_shape, k_shape)


@pytest.mark.parametrize("strides, padding", [(2, "same"), (1, "valid"), (2, "valid")])
def test_conv_transpose_hessian_vector_product(strides, padding):
    check_hvp(lambda x, k: ops.conv_transpose(x, k, strides, padding), (1, 3, 3, 2), (3, 3, 2, 2))


@pytest.mark.parametrize("relu", [False, True])
def test_bias_add_activation_hessian_vector_product(relu):
    """The Dense and Conv layers' fused bias (+ ReLU) op."""
    check_hvp(lambda y, b: bias_add_activation(y, b, relu), (2, 3, 4), (4,))


@pytest.mark.parametrize("n_axes", [1, 2])
def test_fused_layer_normalization_hessian_vector_product(n_axes):
    """LayerNormalization's fused op (its backward_ops write the gradient with ops)."""
    from minikeras.core.ops.fused_norm import _fused_layer_norm

    w = (3, 4)[2 - n_axes :]
    check_hvp(lambda x, g, b: _fused_layer_norm(x, g, b, 1e-3, n_axes), (2, 3, 4), w, w)


# -- the gradient penalty of a small convolutional critic ---------------------------------------


class _Critic(keras.Model):
    """The keras.io WGAN-GP discriminator's layer types (ZeroPadding2D, Conv2D, LeakyReLU,
    Flatten, Dense), small and in float64."""

    def __init__(self):
        super().__init__(dtype="float64")
        kw = {"dtype": "float64"}
        self.stack = [
            layers.ZeroPadding2D((1, 1), **kw),
            layers.Conv2D(3, (3, 3), strides=(2, 2), padding="same", **kw),
            layers.LeakyReLU(0.2, **kw),
            layers.Conv2D(4, (3, 3), strides=(2, 2), padding="same", activation="relu", **kw),
            layers.Flatten(**kw),
            layers.Dense(1, **kw),
        ]

    def call(self, x):
        for layer in self.stack:
            x = layer(x)
        return x


def _critic():
    return _Critic()


def _penalty(critic, interpolated):
    """keras.io's gradient_penalty: mean((||d critic / d input|| - 1) ** 2). Its inner gradient
    is differentiable when an enclosing tape is open, a plain value otherwise."""
    interpolated = ops.convert_to_tensor(interpolated)
    with keras.GradientTape() as gp_tape:
        gp_tape.watch(interpolated)
        pred = critic(interpolated, training=True)
    grads = gp_tape.gradient(pred, [interpolated])[0]
    norm = ops.sqrt(ops.sum(ops.square(grads), axis=[1, 2, 3]))
    return ops.mean((norm - 1.0) ** 2)


def test_gradient_penalty_gradient_matches_finite_differences():
    """The penalty's gradient w.r.t. every kernel (and Dense weight) equals central differences
    of the penalty, as TF's nested tapes compute it; minikeras returned None before."""
    critic = _critic()
    x = randn(3, 6, 6, 1, seed=3)
    critic(x)
    with keras.GradientTape() as tape:
        gp = _penalty(critic, x)
    weights = critic.trainable_weights
    grads = tape.gradient(gp, weights)
    eps = 1e-6
    for v, g in zip(weights, grads):
        if v.path.endswith("bias") and g is None:  # a bias behind a ReLU or a last Dense bias:
            continue  # the penalty does not depend on it (TF: zeros or None)
        num = np.zeros(v.shape)
        base = v.numpy()
        for idx in np.ndindex(v.shape):
            for sign in (1, -1):
                value = base.copy()
                value[idx] += sign * eps
                v.assign(value)
                num[idx] += sign * float(_penalty(critic, x)) / (2 * eps)
            v.assign(base)
        assert g is not None, v.path
        np.testing.assert_allclose(g.numpy(), num, rtol=1e-5, atol=1e-7, err_msg=v.path)
    assert any(g is not None and np.abs(g.numpy()).sum() > 0 for g in grads[:1])


class _PenaltyOnlyWGAN(keras.Model):
    """keras.io WGAN-GP's discriminator step, with the critic loss left out: only the gradient
    penalty can move the weights."""

    def __init__(self, critic, gp_weight=10.0):
        super().__init__()
        self.critic = critic
        self.gp_weight = gp_weight

    def compile(self, d_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer

    def gradient_penalty(self, batch_size, real_images, fake_images):
        alpha = keras.random.uniform([batch_size, 1, 1, 1], 0.0, 1.0, dtype="float64", seed=1)
        interpolated = real_images + alpha * (fake_images - real_images)
        with keras.GradientTape() as gp_tape:
            gp_tape.watch(interpolated)
            pred = self.critic(interpolated, training=True)
        grads = gp_tape.gradient(pred, [interpolated])[0]
        norm = ops.sqrt(ops.sum(ops.square(grads), axis=[1, 2, 3]))
        return ops.mean((norm - 1.0) ** 2)

    def train_step(self, real_images):
        batch_size = ops.shape(real_images)[0]
        fake_images = ops.flip(real_images, axis=1)
        with keras.GradientTape() as tape:
            gp = self.gradient_penalty(batch_size, real_images, fake_images)
            d_loss = gp * self.gp_weight
        d_gradient = tape.gradient(d_loss, self.critic.trainable_variables)
        self.d_optimizer.apply_gradients(zip(d_gradient, self.critic.trainable_variables))
        return {"d_loss": d_loss}


def test_wgan_gp_train_step_moves_the_critic_through_the_penalty_alone():
    """keras.io's structure: fit -> train_step -> outer tape around gradient_penalty's tape."""
    critic = _critic()
    x = randn(4, 6, 6, 1, seed=5)
    critic(x)
    before = [v.numpy() for v in critic.trainable_weights]
    model = _PenaltyOnlyWGAN(critic)
    model.compile(d_optimizer=keras.optimizers.SGD(0.01))
    # the penalty does not depend on the biases (TF gives None for the Dense bias and zeros for
    # those behind ReLUs), so the optimizer warns about them, as Keras's does for None
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        history = model.fit(x, batch_size=4, epochs=2, verbose=0, shuffle=False)
    kernels = [(b, v) for b, v in zip(before, critic.trainable_weights) if "kernel" in v.path]
    assert len(kernels) == 3
    for b, v in kernels:
        assert np.abs(v.numpy() - b).max() > 1e-6, v.path
    assert np.isfinite(history.history["d_loss"]).all()


# -- fast path and errors -----------------------------------------------------------------------


def test_gradient_after_the_block_is_first_order(monkeypatch):
    """`fit` and a tape's gradient taken after its `with` block never build a second graph."""

    def refuse(*args, **kwargs):
        raise AssertionError("the differentiable backward ran")

    monkeypatch.setattr(autodiff, "_differentiable_gradients", refuse)
    w = keras.Variable(np.array([2.0]))
    with keras.GradientTape() as tape:
        y = w**3
    g = tape.gradient(y, w)
    assert not g.requires_grad and g._parents == ()
    with keras.GradientTape() as tape:  # inside its own (non-persistent) block: also first order
        g = tape.gradient(w**3, w)
    assert not g.requires_grad
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, "relu"), layers.Dense(1)])
    model.compile("adam", "mse")
    model.fit(randn(8, 3), randn(8, 1), epochs=1, verbose=0)
    model.train_on_batch(randn(8, 3), randn(8, 1))


def test_gradient_inside_an_outer_tape_is_recorded():
    w = keras.Variable(np.array([2.0]))
    with keras.GradientTape():
        with keras.GradientTape() as inner:
            y = w**3
        g = inner.gradient(y, w)
    assert g.requires_grad
    with keras.GradientTape():
        with keras.no_grad():  # not recording: a plain value
            with keras.GradientTape() as inner:
                y = w**3
        with keras.no_grad():
            g = inner.gradient(y, w)
    assert not g.requires_grad


def test_unsupported_op_raises_a_clear_error():
    x = keras.Variable(np.array([1.0, 2.0, 3.0]))
    with keras.GradientTape():
        with keras.GradientTape() as inner:
            y = ops.sum(ops.cumprod(x) * x)
        with pytest.raises(
            NotImplementedError,
            match="Second-order gradients are not supported for the op 'cumprod'",
        ):
            inner.gradient(y, x)


def test_ops_outside_the_path_to_the_sources_need_no_differentiable_backward():
    """A GAN's generator (here `cumprod`) behind the critic's watched input is never visited."""
    w = keras.Variable(np.array([0.5, 1.5]))
    g_out = ops.cumprod(w)  # no differentiable backward, but upstream of the watched tensor
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            inner.watch(g_out)
            y = ops.sum(g_out**3)
        g = inner.gradient(y, g_out)  # 3 g_out**2
    np.testing.assert_allclose(g.numpy(), 3 * g_out.numpy() ** 2)
    (dw,) = outer.gradient(ops.sum(g), [w])  # through cumprod's first-order backward
    c = np.cumprod(w.numpy())  # d/dw sum(3 c**2) = 6 c . dc/dw
    np.testing.assert_allclose(dw.numpy(), [6 * (c[0] + c[1] * w.numpy()[1]), 6 * c[1] * 0.5])


def test_gradient_penalty_matches_torch_create_graph():
    """The same critic's penalty gradient as torch.autograd.grad(create_graph=True)."""
    torch = pytest.importorskip("torch")
    critic = _critic()
    x = randn(2, 6, 6, 1, seed=4)
    critic(x)
    with keras.GradientTape() as tape:
        gp = _penalty(critic, x)
    grads = tape.gradient(gp, critic.trainable_weights)
    k1, b1, k2, b2, wd, bd = [
        torch.tensor(v.numpy(), requires_grad=True) for v in critic.trainable_weights
    ]
    F = torch.nn.functional
    xt = torch.tensor(x).permute(0, 3, 1, 2).requires_grad_(True)
    h = F.pad(xt, (1, 1, 1, 1))
    h = F.pad(h, (0, 1, 0, 1))  # TF "same" for 8x8, stride 2, kernel 3: 0 before, 1 after
    h = F.leaky_relu(F.conv2d(h, k1.permute(3, 2, 0, 1), b1, stride=2), 0.2)
    h = F.pad(h, (0, 1, 0, 1))
    h = F.relu(F.conv2d(h, k2.permute(3, 2, 0, 1), b2, stride=2))
    pred = h.permute(0, 2, 3, 1).reshape(2, -1) @ wd + bd
    (g,) = torch.autograd.grad(pred.sum(), xt, create_graph=True)
    gp_t = ((g.pow(2).sum(dim=(1, 2, 3)).sqrt() - 1) ** 2).mean()
    np.testing.assert_allclose(float(gp), gp_t.item(), rtol=1e-10)
    want = torch.autograd.grad(gp_t, [k1, k2, wd], allow_unused=True)
    for got, ref in zip([grads[0], grads[2], grads[4]], want):
        np.testing.assert_allclose(got.numpy(), ref.detach().numpy(), rtol=1e-8, atol=1e-12)


def test_second_order_through_sparse_crossentropy_with_a_list_target():
    # keras.io debugging_tips: d(sum of the first-order gradients)/dw with two nested tapes,
    # the loss through take_along_axis (sparse categorical crossentropy), the target a list
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3))
    y = np.array([0, 2, 1, 2])
    w0 = rng.normal(size=(3, 3)) * 0.5
    b0 = rng.normal(size=(3,)) * 0.1

    def first_order(w_arr, b_arr):
        w, b = keras.Variable(w_arr), keras.Variable(b_arr)
        with keras.GradientTape() as tape:
            probs = ops.softmax(ops.matmul(x, w) + b)
            loss = ops.mean(keras.losses.sparse_categorical_crossentropy(y, probs))
        return [g.numpy() for g in tape.gradient(loss, [w, b])]

    w, b = keras.Variable(w0), keras.Variable(b0)
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            probs = ops.softmax(ops.matmul(x, w) + b)
            loss = ops.mean(keras.losses.sparse_categorical_crossentropy(y, probs))
        dl_dw = inner.gradient(loss, [w, b])
    d2w, d2b = (g.numpy() for g in outer.gradient(dl_dw, [w, b]))
    eps = 1e-6
    want = np.zeros_like(w0)
    for i in np.ndindex(w0.shape):
        up, down = w0.copy(), w0.copy()
        up[i] += eps
        down[i] -= eps
        total = [sum(g.sum() for g in first_order(p, b0)) for p in (up, down)]
        want[i] = (total[0] - total[1]) / (2 * eps)
    np.testing.assert_allclose(d2w, want, rtol=1e-5, atol=1e-7)
    want_b = np.zeros_like(b0)
    for i in range(3):
        up, down = b0.copy(), b0.copy()
        up[i] += eps
        down[i] -= eps
        total = [sum(g.sum() for g in first_order(w0, p)) for p in (up, down)]
        want_b[i] = (total[0] - total[1]) / (2 * eps)
    np.testing.assert_allclose(d2b, want_b, rtol=1e-5, atol=1e-7)
