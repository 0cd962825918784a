"""Tests of layers/layer_dtypes.py: a layer's dtype policy (Keras 3 mixed precision).

Expected behaviour observed with Keras 3.15.1 (torch backend): `Dense(dtype="mixed_float16")`
has `dtype == variable_dtype == "float32"`, `compute_dtype == "float16"`, float32 kernel and
float16 outputs; integer inputs and layers with `autocast=False` are not cast; inside `call` a
weight reads as float16 unless made with `autocast=False`; `keras.utils.clear_session()` resets
the global policy to float32; `compile` wraps the optimizer in a `LossScaleOptimizer` under
`"mixed_float16"` only. Numbers are checked against float64 references.
"""

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops
from minikeras.core.autodiff import GradientTape

pytest.importorskip("ml_dtypes")


@pytest.fixture(autouse=True)
def _float32_policy():
    yield
    keras.config.set_dtype_policy("float32")


@pytest.mark.parametrize(
    "dtype",
    [
        "mixed_float16",
        keras.dtype_policies.DTypePolicy("mixed_float16"),
        {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"}},
        {"class_name": "Policy", "config": {"name": "mixed_float16"}},  # Keras 2's config
    ],
)
def test_dtype_argument_forms(dtype):
    d = layers.Dense(3, dtype=dtype)
    assert d.dtype_policy == keras.dtype_policies.DTypePolicy("mixed_float16")
    assert (d.dtype, d.variable_dtype, d.compute_dtype) == ("float32", "float32", "float16")


def test_global_policy_is_the_default_and_clear_session_resets_it():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    d = layers.Dense(2)
    assert d.dtype_policy.name == "mixed_bfloat16" and d.compute_dtype == "bfloat16"
    keras.utils.clear_session()
    assert keras.config.dtype_policy().name == "float32"
    assert layers.Dense(2).compute_dtype == "float32"


@pytest.mark.parametrize(
    "policy, compute", [("mixed_float16", "float16"), ("mixed_bfloat16", "bfloat16")]
)
def test_mixed_dense_float32_variables_compute_dtype_outputs(policy, compute):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 7)).astype("float32")
    d = layers.Dense(4, activation="relu", dtype=policy)
    y = d(x)
    assert d.kernel.dtype == np.float32 and d.bias.dtype == np.float32
    assert y.dtype.name == compute
    # float64 reference from the rounded operands: the product is summed in float32 and
    # rounded once to the compute dtype (relative error below its epsilon, 2**-10 / 2**-7)
    cast = lambda a: ops.cast(a, compute).numpy().astype(np.float64)  # noqa: E731
    ref = np.maximum(cast(x) @ cast(d.kernel.numpy()) + cast(d.bias.numpy()), 0)
    eps = 2.0**-10 if compute == "float16" else 2.0**-7
    np.testing.assert_allclose(y.numpy().astype(np.float64), ref, rtol=2 * eps, atol=1e-3)


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_gradients_reach_float32_variables(policy):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(6, 3)).astype("float32")
    d = layers.Dense(2, dtype=policy)
    d.build((None, 3))
    with GradientTape() as tape:
        loss = ops.sum(ops.cast(d(x), "float32"))
    gk, gb = tape.gradient(loss, [d.kernel, d.bias])
    assert gk.dtype == np.float32 and gb.dtype == np.float32
    # d(sum(x @ k + b))/dk = column sums of x (tolerance: x rounded to the compute dtype)
    np.testing.assert_allclose(gk, np.repeat(x.astype(np.float64).sum(0)[:, None], 2, 1), rtol=2e-2)
    np.testing.assert_allclose(gb, [6.0, 6.0])


class _Probe(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(2,), initializer="ones")
        self.v = self.add_weight(shape=(2,), initializer="ones", autocast=False)

    def call(self, x):
        self.seen = (self.w.dtype.name, self.v.dtype.name)
        return x * self.w


def test_weights_read_in_compute_dtype_inside_call_only():
    p = _Probe(dtype="mixed_float16")
    y = p(np.ones((2,), "float32"))
    assert p.seen == ("float16", "float32")
    assert y.dtype == np.float16
    assert isinstance(p.w, keras.Variable) and p.w.dtype == np.float32  # restored after call
    q = _Probe()  # float32: nothing is cast
    q(np.ones((2,), "float32"))
    assert q.seen == ("float32", "float32")


def test_autocast_only_floats_and_not_when_disabled():
    class Identity(keras.layers.Layer):
        def call(self, x):
            return x

    assert Identity(dtype="mixed_float16")(np.ones((2,), "int32")).dtype == np.int32
    assert Identity(dtype="mixed_float16")(np.ones((2,), "float64")).dtype == np.float16
    off = Identity(dtype="mixed_float16", autocast=False)
    assert off(np.ones((2,), "float32")).dtype == np.float32


def test_batch_normalization_keeps_float32_weights_in_call():
    bn = layers.BatchNormalization(dtype="mixed_float16")
    x = np.random.default_rng(2).normal(3.0, 2.0, size=(16, 4)).astype("float32")
    y = bn(x, training=True)
    assert y.dtype == np.float16
    assert all(v.dtype == np.float32 for v in bn.weights)
    ref = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)
    np.testing.assert_allclose(y.numpy().astype(np.float64), ref, atol=3e-3)


def test_config_round_trip_keeps_the_policy():
    d = layers.Dense(3, dtype="mixed_bfloat16")
    config = d.get_config()
    assert config["dtype"] == {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "mixed_bfloat16"},
        "registered_name": None,
    }
    assert layers.Dense.from_config(config).compute_dtype == "bfloat16"
    # a Keras 2 config with a plain dtype string still loads
    assert layers.Dense.from_config({"units": 2, "dtype": "float64"}).compute_dtype == "float64"


def test_dtype_policy_map_gives_each_layer_its_path_policy():
    policy_map = keras.dtype_policies.DTypePolicyMap(default_policy="float32")
    policy_map["outer/inner"] = keras.dtype_policies.DTypePolicy("mixed_float16")

    class Outer(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = layers.Dense(2, dtype=self.dtype_policy, name="inner")

        def call(self, x):
            return self.inner(x)

    outer = Outer(dtype=policy_map, name="outer")
    y = outer(np.ones((2, 4), "float32"))
    assert outer.compute_dtype == "float32"
    assert outer.inner.path == "outer/inner" and outer.inner.compute_dtype == "float16"
    assert y.dtype == np.float16 and outer.inner.kernel.dtype == np.float32
    assert layers.Dense(2, dtype=policy_map).get_config()["dtype"]["class_name"] == "DTypePolicyMap"


def test_functional_model_outputs_and_symbolic_dtypes():
    keras.config.set_dtype_policy("mixed_float16")
    x = keras.Input((4,))
    h = layers.Dense(3, activation="relu")(x)
    out = layers.Activation("linear", dtype="float32")(layers.Dense(2)(h))
    model = keras.Model(x, out)
    assert h.dtype == "float16" and out.dtype == "float32"
    assert model.predict(np.ones((2, 4), "float32"), verbose=0).dtype == np.float32


def test_compile_wraps_the_optimizer_under_mixed_float16_only():
    for policy, wrapped in (("mixed_float16", True), ("mixed_bfloat16", False), ("float32", False)):
        keras.config.set_dtype_policy(policy)
        model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
        model.compile("adam", "mse")
        assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer) is wrapped
        if wrapped:
            assert model.optimizer.name == "loss_scale_optimizer"
            assert isinstance(model.optimizer.inner_optimizer, keras.optimizers.Adam)
    keras.config.set_dtype_policy("mixed_float16")
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    model.compile("adam", "mse", auto_scale_loss=False)
    assert isinstance(model.optimizer, keras.optimizers.Adam)


def test_mixed_bfloat16_embedding_gradient():
    # keras.io float8/mixed_bfloat16 transformers: the embedding table reads as bfloat16, and
    # its row scatter-add gradient (a numba kernel without bfloat16) accumulates in float32
    emb = layers.Embedding(5, 3, dtype="mixed_bfloat16")
    ids = np.array([[0, 2, 2, 4]])
    with keras.GradientTape() as tape:
        y = ops.sum(ops.cast(emb(ids), "float32") * np.arange(12.0).reshape(1, 4, 3))
    (grad,) = tape.gradient(y, [emb.embeddings])
    expected = np.zeros((5, 3))
    for pos, i in enumerate(ids[0]):
        expected[i] += np.arange(12.0).reshape(4, 3)[pos]
    np.testing.assert_allclose(np.asarray(grad, "float64"), expected)
