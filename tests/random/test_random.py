"""keras.random: distributions, shapes, dtypes, seeds, SeedGenerator state and its place in layers.

Reference behaviour is Keras 3.15.1 (`keras/src/random/random.py`, `seed_generator.py`, the numpy
backend's `random.py`, and runs of Keras 3.15.1 with the torch backend where a test says
"observed"). Draws are not Keras's bit streams, so the statistical tests compare sample moments
with the distributions' known moments, with fixed seeds (deterministic) and loose tolerances.
"""

import os

import h5py
import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad
from minikeras import ops

N = 200_000  # sample size of the moment tests: standard errors of about 0.2%


def _np(x):
    return np.asarray(x.numpy(), np.float64)


# -- shapes, dtypes, errors --------------------------------------------------------------------
@pytest.mark.parametrize(
    "fn,kwargs,dtype",
    [
        (keras.random.normal, {}, "float32"),
        (keras.random.uniform, {}, "float32"),
        (keras.random.truncated_normal, {}, "float32"),
        (keras.random.gamma, {"alpha": 2.0}, "float32"),
        (keras.random.beta, {"alpha": 2.0, "beta": 3.0}, "float32"),
        (keras.random.binomial, {"counts": 5, "probabilities": 0.5}, "float32"),  # observed
        (keras.random.randint, {"minval": 0, "maxval": 5}, "int32"),  # observed
    ],
)
def test_default_dtypes_and_shapes(fn, kwargs, dtype):
    """Float draws default to floatx() (float32), randint to int32, as Keras 3."""
    out = fn((2, 3, 4), seed=1, **kwargs)
    assert isinstance(out, keras.Tensor)
    assert out.shape == (2, 3, 4) and out.dtype.name == dtype


def test_explicit_dtypes_and_shape_forms():
    assert keras.random.normal((3,), dtype="float64", seed=0).dtype.name == "float64"
    assert keras.random.uniform((3,), dtype="float16", seed=0).dtype.name == "float16"
    assert keras.random.randint((3,), 0, 9, dtype="int64", seed=0).dtype.name == "int64"
    logits = np.zeros((2, 3))
    assert keras.random.categorical(logits, 4, dtype="int64", seed=0).dtype.name == "int64"
    # an int, a list, numpy ints and 0-d tensors are all shapes
    assert keras.random.normal(5, seed=0).shape == (5,)
    assert keras.random.normal([2, np.int64(3)], seed=0).shape == (2, 3)
    x = keras.ops.ones((4, 2))
    assert keras.random.normal(ops.shape(x), seed=0).shape == (4, 2)
    assert keras.random.normal((), seed=0).shape == ()


def test_errors_name_the_function_and_value():
    """Keras 3 raises ValueError for a non-float `uniform` dtype and a non-int `randint` one,
    for a seed that is neither an int nor a SeedGenerator, and for non-2-D logits."""
    with pytest.raises(ValueError, match="keras.random.uniform.*floating point.*int32"):
        keras.random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="keras.random.randint.*integer.*float32"):
        keras.random.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(ValueError, match="seed.*Received: seed='x'"):
        keras.random.normal((2,), seed="x")
    with pytest.raises(ValueError, match="2-D"):
        keras.random.categorical(np.zeros(3), 2)
    with pytest.raises(ValueError, match="shape=\\(None, 2\\)"):
        keras.random.normal((None, 2))
    with pytest.raises(ValueError, match="SeedGenerator.*seed=1.5"):
        keras.random.SeedGenerator(1.5)


# -- distributions -----------------------------------------------------------------------------
def test_normal_moments():
    x = _np(keras.random.normal((N,), mean=2.0, stddev=3.0, seed=11))
    assert abs(x.mean() - 2.0) < 0.03 and abs(x.std() - 3.0) < 0.03
    assert abs(((x - 2.0) / 3.0 > 1.0).mean() - 0.158655) < 0.005  # normal tail P(Z > 1)


def test_uniform_range_and_moments():
    x = _np(keras.random.uniform((N,), minval=-1.0, maxval=3.0, seed=12))
    assert x.min() >= -1.0 and x.max() < 3.0
    assert abs(x.mean() - 1.0) < 0.02 and abs(x.var() - 16 / 12) < 0.02  # (b - a)^2 / 12


def test_truncated_normal_cut_at_two_stddev():
    """Keras redraws values outside mean +- 2 * stddev; the truncated std is 0.8796 stddev."""
    x = _np(keras.random.truncated_normal((N,), mean=1.0, stddev=0.5, seed=13))
    assert x.min() >= 0.0 and x.max() <= 2.0
    assert abs(x.mean() - 1.0) < 0.01 and abs(x.std() - 0.87962566 * 0.5) < 0.005
    assert (np.abs(x - 1.0) > 0.9).mean() > 0.01  # the tails near the cut are populated


def test_gamma_beta_binomial_moments():
    g = _np(keras.random.gamma((N,), alpha=3.0, seed=14))
    assert g.min() > 0 and abs(g.mean() - 3.0) < 0.03 and abs(g.var() - 3.0) < 0.06
    b = _np(keras.random.beta((N,), alpha=2.0, beta=5.0, seed=15))
    var = 2 * 5 / (7**2 * 8)
    assert 0 <= b.min() and b.max() <= 1
    assert abs(b.mean() - 2 / 7) < 0.003 and abs(b.var() - var) < 0.001
    n = _np(keras.random.binomial((N,), counts=10, probabilities=0.3, seed=16))
    assert set(np.unique(n)) <= set(range(11))
    assert abs(n.mean() - 3.0) < 0.02 and abs(n.var() - 2.1) < 0.03


def test_binomial_and_beta_take_arrays_of_parameters():
    p = np.array([0.1, 0.9], "float32")
    n = _np(keras.random.binomial((N // 2, 2), counts=np.array([4, 4]), probabilities=p, seed=3))
    np.testing.assert_allclose(n.mean(0), [0.4, 3.6], atol=0.03)


def test_randint_range_and_frequencies():
    x = keras.random.randint((N,), minval=-2, maxval=3, seed=17).numpy()
    assert x.min() == -2 and x.max() == 2  # maxval excluded
    np.testing.assert_allclose(np.bincount(x + 2) / N, 0.2, atol=0.005)


def test_categorical_frequencies_follow_softmax():
    p = np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]])
    logits = np.log(np.maximum(p, 1e-30)).astype("float32")
    s = keras.random.categorical(logits, 50_000, seed=18).numpy()
    assert s.shape == (2, 50_000) and s.dtype == np.int32  # Keras 3's default dtype
    for row in range(2):
        np.testing.assert_allclose(np.bincount(s[row], minlength=3) / 50_000, p[row], atol=0.01)


def test_shuffle_moves_whole_slices():
    """Keras's TF/JAX/torch backends permute whole slices along `axis`."""
    x = np.arange(24).reshape(4, 6)
    y = keras.random.shuffle(x, axis=1, seed=2).numpy()
    assert sorted(y[0].tolist()) == list(range(6))
    np.testing.assert_array_equal(y - y[:1], x - x[:1])  # every row permuted the same way
    z = keras.random.shuffle(x, seed=2).numpy()
    assert sorted(z[:, 0].tolist()) == [0, 6, 12, 18]
    assert not np.array_equal(keras.random.shuffle(np.arange(50), seed=1).numpy(), np.arange(50))


def test_dropout_function():
    x = np.ones((400, 500), "float32")
    y = keras.random.dropout(x, 0.25, seed=19).numpy()
    assert y.dtype == np.float32
    assert abs((y == 0).mean() - 0.25) < 0.005
    np.testing.assert_allclose(y[y != 0], 1 / 0.75)
    np.testing.assert_array_equal(keras.random.dropout(x, 0.0).numpy(), x)
    np.testing.assert_array_equal(keras.random.dropout(x, 1.0).numpy(), 0)
    shared = keras.random.dropout(np.ones((3, 4, 5)), 0.5, noise_shape=(None, 1, 5), seed=1)
    assert np.all(shared.numpy() == shared.numpy()[:, :1])


# -- seeds -------------------------------------------------------------------------------------
def test_int_seed_is_stateless():
    """Keras: an int seed gives the same values on every call."""
    for fn in (keras.random.normal, keras.random.uniform, keras.random.truncated_normal):
        np.testing.assert_array_equal(fn((3, 3), seed=5).numpy(), fn((3, 3), seed=5).numpy())
        assert not np.array_equal(fn((3, 3), seed=5).numpy(), fn((3, 3), seed=6).numpy())
    a = keras.random.dropout(np.ones((4, 4)), 0.5, seed=3).numpy()
    np.testing.assert_array_equal(a, keras.random.dropout(np.ones((4, 4)), 0.5, seed=3).numpy())


def test_seed_generator_advances_and_repeats_from_its_seed():
    """Keras: a SeedGenerator's state [seed, counter] gains 1 per draw, so draws differ, and an
    int seed s is the state [s, 0], the first draw of SeedGenerator(s)."""
    gen = keras.random.SeedGenerator(42)
    assert gen.state.dtype == np.uint32 and gen.state.shape == (2,)
    assert gen.state.name == "seed_generator_state" and not gen.state.trainable
    a = keras.random.normal((4,), seed=gen).numpy()
    b = keras.random.normal((4,), seed=gen).numpy()
    assert not np.array_equal(a, b)
    assert gen.state.numpy().tolist() == [42, 2]
    np.testing.assert_array_equal(a, keras.random.normal((4,), seed=42).numpy())
    other = keras.random.SeedGenerator(42)
    np.testing.assert_array_equal(a, keras.random.normal((4,), seed=other).numpy())
    np.testing.assert_array_equal(b, keras.random.normal((4,), seed=other).numpy())


def test_seed_generator_next_config_and_unseeded():
    gen = keras.random.SeedGenerator(7, name="gen")
    assert gen.next().numpy().tolist() == [7, 0]
    assert gen.state.numpy().tolist() == [7, 1]
    assert gen.get_config() == {"seed": 7, "name": "gen"}
    copy = keras.random.SeedGenerator.from_config(gen.get_config())
    assert copy.state.numpy().tolist() == [7, 0]
    assert keras.random.SeedGenerator().get_config()["seed"] is None  # observed: seed as given
    assert keras.random.SeedGenerator(3).name.startswith("seed_generator")
    keras.utils.set_random_seed(9)
    first = keras.random.SeedGenerator().state.numpy()
    keras.utils.set_random_seed(9)
    np.testing.assert_array_equal(keras.random.SeedGenerator().state.numpy(), first)
    assert 1 <= first[0] <= 10**9 and first[1] == 0  # Keras draws default seeds in [1, 1e9]


def test_unseeded_draws_follow_set_random_seed():
    keras.utils.set_random_seed(21)
    a = [keras.random.normal((3,)).numpy(), keras.random.uniform((3,)).numpy()]
    keras.utils.set_random_seed(21)
    b = [keras.random.normal((3,)).numpy(), keras.random.uniform((3,)).numpy()]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], keras.random.normal((3,)).numpy())


def test_initializer_with_seed_generator_advances_and_serializes_as_keras():
    """Observed: an initializer seeded by a SeedGenerator gives new values per call and reports
    the generator serialized under module keras.random."""
    gen = keras.random.SeedGenerator(5)
    init = keras.initializers.RandomNormal(seed=gen)
    assert not np.array_equal(init((3,)), init((3,)))
    assert gen.state.numpy().tolist() == [5, 2]
    assert init.get_config()["seed"] == {
        "module": "keras.random",
        "class_name": "SeedGenerator",
        "config": {"seed": 5, "name": gen.name},
        "registered_name": None,
    }
    again = keras.initializers.RandomNormal.from_config(init.get_config())
    fresh = keras.initializers.RandomNormal(seed=keras.random.SeedGenerator(5))
    np.testing.assert_array_equal(again((3,)), fresh((3,)))  # the config rebuilds the generator


# -- gradients ---------------------------------------------------------------------------------
def test_dropout_gradient_is_the_scaled_mask():
    check_grad(lambda x: keras.random.dropout(x, 0.4, seed=3), (5, 6))
    check_grad(lambda x: keras.random.dropout(x, 0.5, noise_shape=(5, 1), seed=3), (5, 6))


def test_location_scale_gradients():
    """Reparameterized draws: mean + stddev * eps is differentiable in mean and stddev."""
    check_grad(lambda m, s: keras.random.normal((4, 3), mean=m, stddev=s, seed=1), (4, 3), (3,))
    check_grad(lambda m, s: keras.random.truncated_normal((4, 3), m, s, seed=1), (3,), (4, 3))
    check_grad(lambda lo, hi: keras.random.uniform((2, 5), lo, hi, seed=2), (2, 5), (5,))


def test_shuffle_gradient():
    check_grad(lambda x: keras.random.shuffle(x, axis=1, seed=4), (3, 5))


# -- layers ------------------------------------------------------------------------------------
def test_dropout_layer_seed_state_is_a_variable_not_a_weight():
    """Observed: Dropout(0.5, seed=3).variables is its seed state; weights is empty; a model's
    variables add one per seed generator to its weights."""
    layer = keras.layers.Dropout(0.5, seed=3)
    assert isinstance(layer.seed_generator, keras.random.SeedGenerator)
    assert layer.weights == [] and layer.trainable_variables == []
    assert len(layer.variables) == 1 and layer.variables[0] is layer.seed_generator.state
    assert layer.non_trainable_variables == layer.variables
    assert layer.variables[0].numpy().tolist() == [3, 0]
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), layer])
    assert (len(model.weights), len(model.variables), len(model.non_trainable_variables)) == (
        2,
        3,
        1,
    )
    model(np.ones((2, 3), "float32"), training=True)
    assert layer.seed_generator.state.numpy().tolist() == [3, 1]


@pytest.mark.parametrize(
    "layer",
    [
        lambda: keras.layers.GaussianNoise(0.3, seed=4),
        lambda: keras.layers.GaussianDropout(0.3, seed=4),
        lambda: keras.layers.AlphaDropout(0.3, seed=4),
        lambda: keras.layers.SpatialDropout1D(0.3, seed=4),
        lambda: keras.layers.RandomFlip(seed=4),
        lambda: keras.layers.RandomContrast(0.5, seed=4),
    ],
)
def test_random_layers_own_a_seed_generator(layer):
    """As Keras 3: each random layer draws from a SeedGenerator made from its seed, so the same
    seed repeats the sequence and successive calls differ."""
    first, second = layer(), layer()
    x = np.random.default_rng(0).random((2, 4, 4, 3)).astype("float32")
    if isinstance(first, keras.layers.SpatialDropout1D):
        x = x[:, :, 0]
    a1, a2 = first(x, training=True).numpy(), first(x, training=True).numpy()
    np.testing.assert_array_equal(a1, second(x, training=True).numpy())
    assert not np.array_equal(a1, a2)
    states = [v.numpy().tolist() for v in first.non_trainable_variables]
    assert states == [[4, 2]] and first.weights == []


def test_rnn_cells_and_attention_hold_seed_generators():
    """Observed in Keras 3.15.1: LSTM/GRU/ConvLSTM1D have 3 weights and 4 variables (their
    cell's SeedGenerator, made whatever the dropout), Attention(dropout=0.1) 1 variable and
    Attention() none."""
    for layer, x in [
        (keras.layers.LSTM(3), np.ones((2, 4, 5), "float32")),
        (keras.layers.GRU(3, dropout=0.2, seed=1), np.ones((2, 4, 5), "float32")),
        (keras.layers.ConvLSTM1D(2, 3), np.ones((2, 3, 6, 4), "float32")),
    ]:
        layer(x)
        assert (len(layer.weights), len(layer.variables)) == (3, 4)
    assert len(keras.layers.Attention(dropout=0.1).variables) == 1
    assert keras.layers.Attention().variables == []
    gru = keras.layers.GRU(3, dropout=0.5, recurrent_dropout=0.5, seed=1)
    twin = keras.layers.GRU(3, dropout=0.5, recurrent_dropout=0.5, seed=1)
    x = np.random.default_rng(0).random((2, 4, 5)).astype("float32")
    gru(x), twin(x)
    twin.set_weights(gru.get_weights())
    a1, a2 = gru(x, training=True).numpy(), gru(x, training=True).numpy()
    np.testing.assert_array_equal(a1, twin(x, training=True).numpy())  # same seed, same masks
    assert not np.array_equal(a1, a2)


def test_unseeded_layers_follow_set_random_seed():
    x = np.ones((3, 10), "float32")
    keras.utils.set_random_seed(5)
    a = keras.layers.GaussianNoise(1.0)(x, training=True).numpy()
    keras.utils.set_random_seed(5)
    b = keras.layers.GaussianNoise(1.0)(x, training=True).numpy()
    np.testing.assert_array_equal(a, b)


def test_zero_rate_layers_have_no_seed_generator():
    """Keras 3 makes the generator only when the rate (stddev) is above 0."""
    assert keras.layers.Dropout(0.0).variables == []
    assert keras.layers.GaussianNoise(0.0).variables == []


def test_seed_state_is_not_saved_and_files_load(tmp_path):
    """Observed: Keras 3 writes no variable for a Dropout's or a custom layer's SeedGenerator,
    so the vars groups of those layers are empty."""
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2),
            keras.layers.Dropout(0.5, seed=1),
            keras.layers.GaussianNoise(0.1, seed=2),
        ]
    )
    model(np.ones((2, 3), "float32"), training=True)  # advance the seed states
    path = os.path.join(tmp_path, "m.weights.h5")
    model.save_weights(path)
    with h5py.File(path) as f:
        assert len(f["layers/dropout/vars"]) == 0 and len(f["layers/gaussian_noise/vars"]) == 0
        assert len(f["layers/dense/vars"]) == 2
    fresh = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2),
            keras.layers.Dropout(0.5, seed=1),
            keras.layers.GaussianNoise(0.1, seed=2),
        ]
    )
    fresh.load_weights(path)
    assert fresh.layers[1].seed_generator.state.numpy().tolist() == [1, 0]  # not restored
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(fresh.predict(x, verbose=0), model.predict(x, verbose=0))
    keras_path = os.path.join(tmp_path, "m.keras")
    model.save(keras_path)
    loaded = keras.models.load_model(keras_path)
    assert len(loaded.variables) == len(model.variables) == 4
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


# -- the keras.io VAE's Sampling layer ---------------------------------------------------------
class Sampling(keras.layers.Layer):
    """keras.io's VAE layer: z = z_mean + exp(z_log_var / 2) * epsilon."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch, dim = ops.shape(z_mean)[0], ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


def _encoder():
    inputs = keras.Input((4,))
    h = keras.layers.Dense(8, activation="relu")(inputs)
    z_mean, z_log_var = keras.layers.Dense(2)(h), keras.layers.Dense(2)(h)
    z = Sampling()([z_mean, z_log_var])
    return keras.Model(inputs, [z_mean, z_log_var, z])


def test_vae_sampling_layer_symbolic_eager_and_training(tmp_path):
    """Observed: the functional call gives z.shape (None, 2) and leaves the state at [1337, 0];
    an eager call advances it to [1337, 1]; the model has one more variable than weights."""
    keras.utils.set_random_seed(0)
    encoder = _encoder()
    sampling = encoder.layers[-1]
    assert encoder.outputs[2].shape == (None, 2)
    assert sampling.seed_generator.state.numpy().tolist() == [1337, 0]
    assert len(encoder.variables) == len(encoder.weights) + 1 == 7
    x = np.random.default_rng(0).random((5, 4)).astype("float32")
    z_mean, z_log_var, z = (t.numpy() for t in encoder(x))
    assert z.shape == (5, 2) and sampling.seed_generator.state.numpy().tolist() == [1337, 1]
    eps = (z - z_mean) / np.exp(0.5 * z_log_var)
    np.testing.assert_allclose(eps, keras.random.normal((5, 2), seed=1337).numpy(), rtol=1e-4)
    # one training step through the sampled output
    trainer = keras.Model(encoder.inputs, encoder.outputs[2])
    trainer.compile(optimizer="sgd", loss="mse")
    before = [w.numpy() for w in trainer.trainable_weights]
    history = trainer.fit(x, np.zeros((5, 2), "float32"), epochs=1, batch_size=5, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert all(not np.allclose(b, w.numpy()) for b, w in zip(before, trainer.trainable_weights))
    assert sampling.seed_generator.state.numpy().tolist() == [1337, 2]
    # a .keras round trip: the layer's seed state is not saved, the weights are
    path = os.path.join(tmp_path, "enc.keras")
    encoder.save(path)
    loaded = keras.models.load_model(path, custom_objects={"Sampling": Sampling}, compile=False)
    assert loaded.layers[-1].seed_generator.state.numpy().tolist() == [1337, 0]
    np.testing.assert_allclose(loaded(x)[0].numpy(), encoder(x)[0].numpy(), rtol=1e-6)


def test_vae_sampling_reproducible_for_equal_seeds():
    keras.utils.set_random_seed(1)
    a = _encoder()
    keras.utils.set_random_seed(1)
    b = _encoder()
    x = np.ones((3, 4), "float32")
    for _ in range(2):
        np.testing.assert_array_equal(a(x)[2].numpy(), b(x)[2].numpy())
