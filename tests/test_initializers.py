import json
import math
import os

import numpy as np
import pytest

from minikeras import initializers
from minikeras.utils.random import set_random_seed

TRUNC = 0.87962566103423978  # std of a unit normal truncated to [-2, 2]


def test_zeros_ones_constant_identity():
    z = np.asarray(initializers.Zeros()((2, 3)))
    assert z.dtype == np.float32 and z.shape == (2, 3) and not z.any()
    o = np.asarray(initializers.get("ones")((4,), dtype="float64"))
    assert o.dtype == np.float64 and (o == 1).all()
    np.testing.assert_array_equal(initializers.Constant(2.5)((2, 2)), np.full((2, 2), 2.5))
    np.testing.assert_array_equal(initializers.Constant([1.0, 2.0])((3, 2))[2], [1.0, 2.0])
    np.testing.assert_array_equal(initializers.Identity(gain=3.0)((2, 3)), 3 * np.eye(2, 3))
    assert initializers.Zeros()((2,), dtype="int32").dtype == np.int32


def test_random_normal_uniform_truncated_statistics():
    set_random_seed(0)
    n = np.asarray(initializers.RandomNormal(mean=1.0, stddev=2.0)((200, 200)))
    assert n.dtype == np.float32
    assert abs(n.mean() - 1.0) < 0.05 and abs(n.std() - 2.0) < 0.05
    u = np.asarray(initializers.RandomUniform(-0.05, 0.05)((200, 200)))
    assert u.min() >= -0.05 and u.max() < 0.05
    assert abs(u.std() - 0.1 / math.sqrt(12)) < 1e-3
    t = np.asarray(initializers.TruncatedNormal(mean=0.5, stddev=0.1)((200, 200)))
    assert np.abs(t - 0.5).max() <= 0.2 + 1e-6  # within 2 stddev
    assert abs(t.mean() - 0.5) < 0.005
    assert abs(t.std() - 0.1 * TRUNC) < 0.003  # std of the truncated distribution


@pytest.mark.parametrize(
    "shape,fan_in,fan_out", [((300, 200), 300, 200), ((3, 3, 16, 32), 144, 288), ((5, 40), 5, 40)]
)
def test_glorot_uniform_limit(shape, fan_in, fan_out):
    w = np.asarray(initializers.GlorotUniform(seed=1)(shape))
    limit = math.sqrt(6 / (fan_in + fan_out))
    assert np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.98 * limit  # the range is actually used
    assert abs(w.std() - limit / math.sqrt(3)) < 0.05 * limit


def test_compute_fans():
    assert initializers.compute_fans(()) == (1, 1)
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans((4, 9)) == (4, 9)
    assert initializers.compute_fans((5, 3, 4)) == (15, 20)  # Conv1D kernel
    assert initializers.compute_fans((2, 3, 4, 5, 6)) == (2 * 3 * 4 * 5, 2 * 3 * 4 * 6)


@pytest.mark.parametrize(
    "cls,expected_std",
    [
        (initializers.HeNormal, math.sqrt(2 / 400)),
        (initializers.LecunNormal, math.sqrt(1 / 400)),
        (initializers.GlorotNormal, math.sqrt(2 / (400 + 300))),
    ],
)
def test_truncated_normal_family_std(cls, expected_std):
    w = np.asarray(cls(seed=3)((400, 300)))
    # Keras divides by TRUNC so that the truncated draws have exactly the wanted std
    assert abs(w.std() - expected_std) < 0.02 * expected_std
    assert np.abs(w).max() <= 2 * expected_std / TRUNC + 1e-6


@pytest.mark.parametrize(
    "cls,limit",
    [(initializers.HeUniform, math.sqrt(6 / 144)), (initializers.LecunUniform, math.sqrt(3 / 144))],
)
def test_uniform_family_limit(cls, limit):
    w = np.asarray(cls(seed=4)((3, 3, 16, 64)))  # fan_in = 144
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.98 * limit


def test_variance_scaling_modes_and_distributions():
    vs = initializers.VarianceScaling(scale=3.0, mode="fan_out", distribution="untruncated_normal")
    w = np.asarray(vs((100, 500), dtype="float64"))
    assert w.dtype == np.float64
    assert abs(w.std() - math.sqrt(3.0 / 500)) < 0.02 * math.sqrt(3.0 / 500)
    u = np.asarray(initializers.VarianceScaling(2.0, "fan_avg", "uniform", seed=0)((100, 300)))
    assert np.abs(u).max() <= math.sqrt(3 * 2.0 / 200)
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="cauchy")
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0.0)


@pytest.mark.parametrize("shape", [(6, 6), (10, 4), (4, 10), (3, 3, 2, 8)])
def test_orthogonal(shape):
    w = np.asarray(initializers.Orthogonal(gain=2.0, seed=5)(shape, dtype="float64"))
    assert w.shape == shape
    m = w.reshape(-1, shape[-1])
    rows, cols = m.shape
    gram = m.T @ m if rows >= cols else m @ m.T
    np.testing.assert_allclose(gram, 4.0 * np.eye(min(rows, cols)), atol=1e-10)


def test_orthogonal_and_identity_reject_bad_rank():
    with pytest.raises(ValueError, match="Orthogonal"):
        initializers.Orthogonal()((5,))
    with pytest.raises(ValueError, match="Identity"):
        initializers.Identity()((2, 2, 2))


def test_bad_shape_and_dtype():
    with pytest.raises(ValueError, match="shape"):
        initializers.GlorotUniform()((None, 3))
    with pytest.raises(ValueError, match="dtype"):
        initializers.RandomNormal()((2,), dtype="int32")


def test_seeded_initializer_repeats_itself():
    a = np.asarray(initializers.GlorotUniform(seed=7)((5, 5)))
    np.testing.assert_array_equal(a, initializers.GlorotUniform(seed=7)((5, 5)))
    init = initializers.RandomNormal(seed=7)
    np.testing.assert_array_equal(init((3,)), init((3,)))  # Keras 3: same values every call
    assert not np.array_equal(a, initializers.GlorotUniform(seed=8)((5, 5)))


def test_set_random_seed_makes_unseeded_draws_repeatable():
    names = ["glorot_uniform", "he_normal", "orthogonal", "random_normal", "truncated_normal"]

    def draw():
        return [initializers.get(n)((4, 3)) for n in names]

    set_random_seed(42)
    first = draw()
    set_random_seed(42)
    second = draw()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    set_random_seed(43)
    assert not np.array_equal(first[0], draw()[0])


def test_unseeded_initializer_fixes_its_seed_at_creation():
    """Observed in Keras 3.15.1 (torch): `GlorotUniform()` called twice gives identical values,
    with no warning, and its config reports `seed: None`; every random initializer does this."""
    for cls in [
        initializers.GlorotUniform,
        initializers.HeNormal,
        initializers.Orthogonal,
        initializers.RandomNormal,
        initializers.RandomUniform,
        initializers.TruncatedNormal,
        initializers.VarianceScaling,
    ]:
        init = cls()
        np.testing.assert_array_equal(init((3, 3)), init((3, 3)))
        assert init.get_config()["seed"] is None
    # two objects from the same (unseeded) config draw different seeds, as in Keras
    config = initializers.GlorotUniform().get_config()
    a = np.asarray(initializers.GlorotUniform.from_config(config)((3, 3)))
    assert not np.array_equal(a, initializers.GlorotUniform.from_config(config)((3, 3)))


def test_unseeded_layers_follow_keras_seeding():
    """Observed in Keras 3.15.1 (torch) with `Dense(4)` built on 3 features: after
    `set_random_seed(1)` two layers get different kernels; seeding again reproduces the first;
    `Dense.from_config(layer.get_config())` gets new weights (its config says `seed: None`); two
    layers given one unseeded initializer object get the same kernel."""
    from minikeras import layers

    def kernel(layer):
        layer.build((None, 3))
        return layer.kernel.numpy()

    set_random_seed(1)
    first = layers.Dense(4)
    k1, k2 = kernel(first), kernel(layers.Dense(4))
    assert not np.array_equal(k1, k2)
    set_random_seed(1)
    np.testing.assert_array_equal(kernel(layers.Dense(4)), k1)
    assert not np.array_equal(kernel(layers.Dense.from_config(first.get_config())), k1)
    init = initializers.GlorotUniform()
    shared = kernel(layers.Dense(4, kernel_initializer=init))
    np.testing.assert_array_equal(kernel(layers.Dense(4, kernel_initializer=init)), shared)


def test_seed_generator_config_advances_each_call():
    """Keras 3: an initializer seeded with a `keras.random.SeedGenerator` returns new values on
    each call (observed in 3.15.1), repeatably for one generator seed; the config keeps it."""
    gen = {
        "module": "keras.random",
        "class_name": "SeedGenerator",
        "config": {"seed": 3, "name": "seed_generator"},
        "registered_name": None,
    }
    init = initializers.RandomNormal(seed=gen)
    a, b = init((3,)), init((3,))
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(initializers.RandomNormal(seed=gen)((3,)), a)
    assert init.get_config()["seed"] == gen


def test_get_forms():
    assert initializers.get(None) is None
    assert isinstance(initializers.get("glorot_uniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("GlorotUniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("uniform"), initializers.RandomUniform)
    assert isinstance(initializers.get("random_uniform"), initializers.RandomUniform)
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    inst = initializers.Orthogonal(gain=0.5)
    assert initializers.get(inst) is inst

    def fn(shape, dtype=None):
        return np.zeros(shape)

    assert initializers.get(fn) is fn
    for alias in [
        "he_normal",
        "zeros",
        "ones",
        "orthogonal",
        "random_normal",
        "identity",
        "lecun_normal",
        "constant",
        "variance_scaling",
        "truncated_normal",
    ]:
        assert isinstance(initializers.get(alias), initializers.Initializer)


def test_get_keras2_and_keras3_dicts():
    k3 = {
        "module": "keras.initializers",
        "class_name": "GlorotUniform",
        "config": {"seed": None, "input_axes": None, "output_axes": None},
        "registered_name": None,
        "shared_object_id": 1234,
    }
    assert isinstance(initializers.get(k3), initializers.GlorotUniform)
    k2 = {"class_name": "RandomUniform", "config": {"minval": -0.1, "maxval": 0.1, "seed": None}}
    init = initializers.get(k2)
    assert (init.minval, init.maxval) == (-0.1, 0.1)
    tf_module = {
        "module": "tf_keras.src.initializers",
        "class_name": "Orthogonal",
        "config": {"gain": 1.0, "seed": None},
        "registered_name": None,
    }
    assert isinstance(initializers.get(tf_module), initializers.Orthogonal)
    old = {
        "class_name": "VarianceScaling",
        "config": {
            "scale": 2.0,
            "mode": "fan_in",
            "distribution": "normal",
            "seed": None,
            "dtype": "float32",
        },
    }
    assert initializers.get(old).distribution == "truncated_normal"


def test_serialize_matches_keras3_and_round_trips():
    got = initializers.serialize(initializers.GlorotUniform())
    # as written by Keras 3.15.1 (shared/fixtures/keras/*_k3.h5)
    assert got == {
        "module": "keras.initializers",
        "class_name": "GlorotUniform",
        "config": {"seed": None, "input_axes": None, "output_axes": None},
        "registered_name": None,
    }
    assert initializers.serialize(initializers.Zeros())["config"] == {}
    orthogonal = initializers.serialize(initializers.Orthogonal())
    assert orthogonal["config"] == {"gain": 1.0, "seed": None}
    cases = [
        initializers.Constant(np.array([1.0, 2.0])),
        initializers.RandomNormal(0.1, 0.2, seed=3),
        initializers.RandomUniform(-1, 1),
        initializers.TruncatedNormal(stddev=0.3),
        initializers.VarianceScaling(0.5, "fan_out", "uniform", seed=2),
        initializers.HeUniform(seed=9),
        initializers.Identity(),  # Keras 3 does not save gain (test_identity_config_is_empty)
        initializers.Orthogonal(0.5, seed=1),
    ]
    for init in cases:
        config = json.loads(json.dumps(initializers.serialize(init)))
        back = initializers.deserialize(config)
        assert type(back) is type(init)
        assert back.get_config() == config["config"]
        assert type(init).from_config(init.get_config()).get_config() == init.get_config()
        if config["config"].get("seed", 0) is not None:  # deterministic: same values
            np.testing.assert_array_equal(back((3, 2)), init((3, 2)))


def test_unknown_identifier_raises_with_name():
    with pytest.raises(ValueError, match="glorot_uniformm.*Valid names.*glorot_uniform"):
        initializers.get("glorot_uniformm")
    with pytest.raises(ValueError, match="NoSuchInit"):
        initializers.get({"class_name": "NoSuchInit", "config": {}})
    with pytest.raises(ValueError, match="Could not interpret"):
        initializers.get(3.5)
    with pytest.raises(ValueError, match="RandomNormal.*bogus"):
        initializers.get({"class_name": "RandomNormal", "config": {"bogus": 1}})


def test_custom_objects():
    class MyInit(initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return np.full(shape, 7.0, dtype or "float32")

    init = initializers.deserialize({"class_name": "MyInit", "config": {}}, {"MyInit": MyInit})
    assert init((2,)).tolist() == [7.0, 7.0]


def test_serialize_none():
    assert initializers.serialize(None) is None


def test_builtin_initializers_return_tensors_as_keras():
    """Keras 3 initializers return a backend tensor (3.15.1 observed: a jax Array), so
    `.numpy()` works and `float(init((1, 1)))` converts; a user subclass returns its own type."""
    from minikeras.core.tensor import Tensor

    for init in (
        initializers.Zeros(),
        initializers.Constant(2.0),
        initializers.GlorotUniform(0),
        initializers.Orthogonal(seed=0),
        initializers.Identity(),
    ):
        w = init((2, 2))
        assert isinstance(w, Tensor) and w.numpy().dtype == np.float32
    assert float(initializers.Constant(2.5)((1, 1))) == 2.5

    class Twos(initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return np.full(shape, 2.0, "float32")

    assert type(Twos()((2,))) is np.ndarray


def test_identity_config_is_empty_as_keras():
    """Keras 3.15.1: `Identity(gain=2.0).get_config() == {}` (the class defines no get_config)."""
    assert initializers.Identity(gain=2.0).get_config() == {}


STFT_K3 = os.path.join(os.path.dirname(__file__), "data", "keras", "stft_init_k3.json")


def test_stft_initializer_matches_keras():
    """initializers.STFT((6, 1, 4)) for 7 (side, window, scaling, periodic) settings, as
    Keras 3.15.1 (jax, float32, scipy windows) computed them; within float32 rounding."""
    import json

    with open(STFT_K3) as f:
        cases = json.load(f)
    assert len(cases) == 7
    for key, expected in cases.items():
        side, window, scaling, periodic = key.split("|")
        init = initializers.STFT(
            side,
            None if window == "None" else window,
            None if scaling == "None" else scaling,
            periodic == "True",
        )
        got = np.asarray(init((6, 1, 4)))
        assert got.dtype == np.float32
        np.testing.assert_allclose(got.ravel(), expected, atol=1e-6, err_msg=key)


def test_stft_initializer_window_values_config_and_aliases():
    """Keras 3.15.1: an array window (here 1..6, density scaling) gives these values; the config is
    side/window/periodic/scaling; STFTInitializer and stft name the same class, as do
    IdentityInitializer and OrthogonalInitializer."""
    k = initializers.STFT("real", [1.0, 2, 3, 4, 5, 6], "density")((6, 1, 4))
    np.testing.assert_allclose(
        np.asarray(k)[:, 0, 0], np.arange(1, 7) * 0.10482847690582275, rtol=1e-6
    )
    np.testing.assert_allclose(
        np.asarray(k)[1, 0],
        [0.2096569538116455, 0.10482846945524216, -0.10482849180698395, -0.2096569538116455],
        rtol=1e-6,
    )
    cfg = initializers.serialize(initializers.STFT())
    assert cfg["class_name"] == "STFT"
    assert cfg["config"] == {
        "side": "real",
        "window": "hann",
        "periodic": False,
        "scaling": "density",
    }
    assert type(initializers.deserialize(cfg)) is initializers.STFT
    I = initializers
    assert I.STFTInitializer is I.STFT and I.stft is I.STFT
    assert I.IdentityInitializer is I.Identity and I.OrthogonalInitializer is I.Orthogonal
    assert type(I.get("STFTInitializer")) is I.STFT
    assert type(I.get("IdentityInitializer")) is I.Identity
    with pytest.raises(ValueError, match="side"):
        I.STFT("both")
    with pytest.raises(ValueError, match="window"):
        I.STFT(window="kaiser_typo")
    with pytest.raises(ValueError, match="window"):
        I.STFT(window=[1.0, 2.0])((6, 1, 4))


def test_snake_case_names_are_the_classes():
    # Keras 3 exports each class also under its snake-case name (keras/src/initializers)
    import minikeras as keras

    pairs = {
        "constant": "Constant",
        "glorot_normal": "GlorotNormal",
        "glorot_uniform": "GlorotUniform",
        "he_normal": "HeNormal",
        "he_uniform": "HeUniform",
        "identity": "Identity",
        "lecun_normal": "LecunNormal",
        "lecun_uniform": "LecunUniform",
        "ones": "Ones",
        "orthogonal": "Orthogonal",
        "random_normal": "RandomNormal",
        "random_uniform": "RandomUniform",
        "truncated_normal": "TruncatedNormal",
        "variance_scaling": "VarianceScaling",
        "zeros": "Zeros",
    }
    for snake, cls in pairs.items():
        assert getattr(keras.initializers, snake) is getattr(keras.initializers, cls), snake
    init = keras.initializers.variance_scaling(scale=2.0, mode="fan_in", seed=1)
    assert init.get_config()["scale"] == 2.0
