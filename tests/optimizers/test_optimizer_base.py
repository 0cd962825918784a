"""The base Optimizer: slots and their order/names, clipping, weight decay, EMA, accumulation,
constraints, learning rate, identifiers and config."""

import numpy as np
import pytest

import minikeras as keras
from minikeras import optimizers


def var(value, path):
    v = keras.Variable(np.asarray(value, "float32"), name=path.split("/")[-1])
    v.path = path
    return v


def two_vars():
    return [var([[1.0, -2.0], [3.0, 0.5]], "dense/kernel"), var([0.5, -1.0], "dense/bias")]


# -- variables: order and names as Keras 3 saves them -------------------------------------
def test_adam_variables_interleaved_per_weight():
    opt = optimizers.Adam(name="adam")
    vs = two_vars()
    assert [v.path for v in opt.variables] == ["adam/iteration", "adam/learning_rate"]
    opt.build(vs)
    assert [v.path for v in opt.variables] == [
        "adam/iteration",
        "adam/learning_rate",
        "adam/dense_kernel_momentum",
        "adam/dense_kernel_velocity",
        "adam/dense_bias_momentum",
        "adam/dense_bias_velocity",
    ]
    assert opt.variables[0].dtype == np.int32 and opt.variables[1].dtype == np.float32
    assert [v.shape for v in opt.variables[2:]] == [(2, 2), (2, 2), (2,), (2,)]


def test_rmsprop_variables_grouped():
    opt = optimizers.RMSprop(momentum=0.9, centered=True, name="rm_sprop")
    opt.build(two_vars())
    names = [v.path.split("/")[1] for v in opt.variables[2:]]
    assert names == [
        "dense_kernel_velocity",
        "dense_bias_velocity",
        "dense_kernel_momentum",
        "dense_bias_momentum",
        "dense_kernel_average_gradient",
        "dense_bias_average_gradient",
    ]


def test_sgd_slots_only_with_momentum():
    opt = optimizers.SGD()
    opt.build(two_vars())
    assert len(opt.variables) == 2
    opt = optimizers.SGD(momentum=0.9, name="sgd")
    opt.build(two_vars())
    assert [v.path for v in opt.variables[2:]] == [
        "sgd/dense_kernel_momentum",
        "sgd/dense_bias_momentum",
    ]


def test_default_names_are_snake_case():
    assert optimizers.RMSprop().name.startswith("rm_sprop")
    assert optimizers.AdamW().name.startswith("adam_w")
    assert optimizers.SGD().name.startswith("sgd")


def test_adagrad_accumulator_starts_at_initial_value():
    opt = optimizers.Adagrad(initial_accumulator_value=0.3)
    opt.build(two_vars())
    np.testing.assert_allclose(opt.variables[2].numpy(), np.full((2, 2), 0.3))


# -- the step -----------------------------------------------------------------------------
def test_none_gradients_are_skipped_with_a_warning():
    vs = two_vars()
    before = vs[1].numpy().copy()
    with pytest.warns(UserWarning, match="bias"):
        optimizers.SGD(0.1).apply([np.ones((2, 2)), None], vs)
    np.testing.assert_array_equal(vs[1].numpy(), before)
    np.testing.assert_allclose(vs[0].numpy(), [[0.9, -2.1], [2.9, 0.4]], rtol=1e-6)
    with pytest.raises(ValueError, match="No gradients"):
        optimizers.SGD().apply([None, None], two_vars())


def test_tensor_gradients_and_apply_gradients():
    vs = two_vars()
    opt = optimizers.SGD(1.0)
    it = opt.apply_gradients(zip([keras.ops.ones((2, 2)), keras.ops.ones(2)], vs))
    assert int(it) == 1
    np.testing.assert_allclose(vs[1].numpy(), [-0.5, -2.0])


def test_updates_in_place_and_keep_float32():
    vs = two_vars()
    arrays = [v.data for v in vs]
    opt = optimizers.Adam()
    opt.apply([np.ones((2, 2), "float64"), np.ones(2, "float64")], vs)
    assert all(v.data is a for v, a in zip(vs, arrays))
    assert all(v.dtype == np.float32 for v in vs + opt.variables[1:])


def test_bad_gradient_shape_and_unknown_variable():
    vs = two_vars()
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="dense/bias"):
        opt.apply([np.ones((2, 2)), np.ones(3)], vs)
    with pytest.raises(ValueError, match="other"):
        opt.apply([np.ones(2)], [var([1.0, 2.0], "other/w")])
    with pytest.raises(ValueError, match="built"):
        optimizers.SGD().apply([np.ones(2)])


def test_apply_without_variables_uses_the_built_ones():
    vs = two_vars()
    opt = optimizers.SGD(1.0)
    opt.build(vs)
    opt.apply([np.zeros((2, 2)), np.ones(2)])
    np.testing.assert_allclose(vs[1].numpy(), [-0.5, -2.0])


def test_clipnorm_clips_each_gradient():
    vs = two_vars()
    g = [np.array([[3.0, 4.0], [0.0, 0.0]]), np.array([0.3, 0.4])]  # norms 5 and 0.5
    optimizers.SGD(1.0, clipnorm=1.0).apply(g, vs)
    np.testing.assert_allclose(
        vs[0].numpy(), np.array([[1.0, -2.0], [3.0, 0.5]]) - g[0] / 5.0, rtol=1e-6
    )
    np.testing.assert_allclose(vs[1].numpy(), np.array([0.5, -1.0]) - g[1], rtol=1e-6)


def test_global_clipnorm_scales_all_gradients_together():
    vs = two_vars()
    g = [np.array([[3.0, 0.0], [0.0, 0.0]]), np.array([0.0, 4.0])]  # global norm 5
    optimizers.SGD(1.0, global_clipnorm=2.5).apply(g, vs)
    np.testing.assert_allclose(vs[0].numpy(), [[1.0 - 1.5, -2.0], [3.0, 0.5]], rtol=1e-6)
    np.testing.assert_allclose(vs[1].numpy(), [0.5, -1.0 - 2.0], rtol=1e-6)


def test_clipvalue():
    vs = two_vars()
    optimizers.SGD(1.0, clipvalue=0.5).apply([np.array([[3.0, -4.0], [0.1, 0.0]]), np.zeros(2)], vs)
    np.testing.assert_allclose(vs[0].numpy(), [[0.5, -1.5], [2.9, 0.5]], rtol=1e-6)


def test_only_one_clip_argument():
    with pytest.raises(ValueError, match="clipnorm"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)


def test_weight_decay_before_the_step_and_exclusions():
    vs = two_vars() + [var([2.0], "norm/gamma")]
    w0 = [v.numpy().astype("float64") for v in vs]
    g = [np.full(v.shape, 0.5) for v in vs]
    opt = optimizers.SGD(0.1, weight_decay=0.2)
    opt.exclude_from_weight_decay(var_list=[vs[2]], var_names=["bias"])
    opt.apply(g, vs)
    # kernel: w - w * wd * lr - lr * g; bias and gamma: no decay
    np.testing.assert_allclose(vs[0].numpy(), w0[0] - w0[0] * 0.02 - 0.05, rtol=1e-6)
    np.testing.assert_allclose(vs[1].numpy(), w0[1] - 0.05, rtol=1e-6)
    np.testing.assert_allclose(vs[2].numpy(), w0[2] - 0.05, rtol=1e-6)
    with pytest.raises(ValueError, match="before"):
        opt.exclude_from_weight_decay(var_names=["kernel"])


def test_constraint_applied_after_the_update():
    v = var([0.5, -0.5], "dense/kernel")
    v.constraint = lambda x: keras.ops.clip(x, -0.6, 0.6)
    optimizers.SGD(1.0).apply([np.array([-1.0, 1.0])], [v])
    np.testing.assert_allclose(v.numpy(), [0.6, -0.6])


def test_loss_scale_factor_divides_gradients():
    v = var([1.0], "w")
    opt = optimizers.SGD(1.0, loss_scale_factor=4.0)
    assert float(opt.scale_loss(keras.ops.ones(()))) == 4.0
    opt.apply([np.array([2.0])], [v])
    np.testing.assert_allclose(v.numpy(), [0.5])


def test_gradient_accumulation_updates_every_k_steps_with_the_mean():
    v = var([1.0, 1.0], "w")
    opt = optimizers.SGD(1.0, gradient_accumulation_steps=2)
    opt.apply([np.array([1.0, 2.0])], [v])
    np.testing.assert_allclose(v.numpy(), [1.0, 1.0])  # only accumulated
    opt.apply([np.array([3.0, 0.0])], [v])
    np.testing.assert_allclose(v.numpy(), [1.0 - 2.0, 1.0 - 1.0])  # mean gradient (2, 1)
    assert int(opt._iterations) == 2 and int(opt.iterations) == 1
    np.testing.assert_allclose(opt.variables[2].numpy(), [0.0, 0.0])  # accumulator reset


def test_ema_average_and_overwrite():
    v = var([0.0], "w")
    opt = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=3)
    ref_w, ref_avg = 0.0, None
    for step in range(3):
        opt.apply([np.array([-1.0])], [v])
        ref_w += 1.0
        ref_avg = ref_w if ref_avg is None else 0.5 * ref_avg + 0.5 * ref_w  # first step copies
        if step < 2:
            np.testing.assert_allclose(v.numpy(), [ref_w])
    np.testing.assert_allclose(v.numpy(), [ref_avg])  # overwritten on the third step
    v2 = var([0.0], "w2")
    opt2 = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5)
    opt2.apply([np.array([-1.0])], [v2])
    opt2.apply([np.array([-1.0])], [v2])
    opt2.finalize_variable_values([v2])
    np.testing.assert_allclose(v2.numpy(), [0.5 * 1.0 + 0.5 * 2.0])


# -- learning rate ------------------------------------------------------------------------
def test_learning_rate_is_a_settable_float32_variable():
    opt = optimizers.Adam(0.01)
    assert isinstance(opt.learning_rate, keras.Variable)
    opt.learning_rate = 0.5  # what callbacks do
    assert float(opt.learning_rate) == 0.5
    v = var([1.0], "w")
    sgd = optimizers.SGD(0.1)
    sgd.learning_rate = 0.25
    sgd.apply([np.array([1.0])], [v])
    np.testing.assert_allclose(v.numpy(), [0.75])
    assert sgd.get_config()["learning_rate"] == float(np.float32(0.25))
    assert optimizers.Adam().get_config()["learning_rate"] == 0.0010000000474974513


def test_schedule_is_evaluated_at_iterations():
    schedule = optimizers.schedules.PiecewiseConstantDecay([1], [1.0, 0.1])
    opt = optimizers.SGD(schedule)
    assert len(opt.variables) == 1  # no learning_rate variable with a schedule
    v = var([0.0], "w")
    for expected in (-1.0, -2.0, -2.1, -2.2):  # steps 0 and 1 use 1.0, later ones 0.1
        opt.apply([np.array([1.0])], [v])
        np.testing.assert_allclose(v.numpy(), [expected], rtol=1e-6)
    assert float(opt.learning_rate) == pytest.approx(0.1)
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.5
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "PiecewiseConstantDecay"
    again = optimizers.SGD.from_config(config)
    assert isinstance(again._learning_rate, optimizers.schedules.PiecewiseConstantDecay)


def test_callable_learning_rate():
    v = var([0.0], "w")
    optimizers.SGD(lambda: 0.3).apply([np.array([1.0])], [v])
    np.testing.assert_allclose(v.numpy(), [-0.3], rtol=1e-6)


def test_bad_learning_rate():
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.SGD("fast")


# -- identifiers and config ---------------------------------------------------------------
@pytest.mark.parametrize(
    "name,cls",
    [
        ("adam", "Adam"),
        ("Adam", "Adam"),
        ("sgd", "SGD"),
        ("rmsprop", "RMSprop"),
        ("RMSprop", "RMSprop"),
        ("adamw", "AdamW"),
        ("nadam", "Nadam"),
        ("adagrad", "Adagrad"),
        ("adadelta", "Adadelta"),
        ("adamax", "Adamax"),
    ],
)
def test_get_by_name(name, cls):
    assert type(optimizers.get(name)).__name__ == cls


def test_get_instance_dict_and_errors():
    opt = optimizers.Adam()
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None
    got = optimizers.get({"class_name": "SGD", "config": {"learning_rate": 0.5, "momentum": 0.9}})
    assert got.momentum == 0.9 and float(got.learning_rate) == 0.5
    with pytest.raises(ValueError, match="adamz") as err:
        optimizers.get("adamz")
    assert "rmsprop" in str(err.value)
    with pytest.raises(ValueError, match="Could not interpret"):
        optimizers.get(3)


def test_reads_tf_keras_configs():
    config = {
        "class_name": "Custom>Adam",
        "config": {
            "name": "Adam",
            "weight_decay": None,
            "clipnorm": None,
            "global_clipnorm": None,
            "clipvalue": None,
            "use_ema": False,
            "ema_momentum": 0.99,
            "ema_overwrite_frequency": None,
            "jit_compile": False,
            "is_legacy_optimizer": False,
            "learning_rate": 0.0010000000474974513,
            "beta_1": 0.9,
            "beta_2": 0.999,
            "epsilon": 1e-07,
            "amsgrad": False,
        },
    }
    opt = optimizers.deserialize(config)
    assert isinstance(opt, optimizers.Adam) and opt.name == "Adam"
    legacy = optimizers.deserialize({"class_name": "SGD", "config": {"lr": 0.2, "decay": 0.0}})
    assert float(legacy.learning_rate) == pytest.approx(0.2)


def test_serialize_round_trip():
    opt = optimizers.RMSprop(0.01, rho=0.8, momentum=0.5, centered=True, clipnorm=1.0, name="r")
    data = optimizers.serialize(opt)
    assert data["class_name"] == "RMSprop" and data["module"] == "keras.optimizers"
    again = optimizers.deserialize(data)
    assert again.get_config() == opt.get_config()
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.Adam(bogus=1)


def test_save_and_load_own_variables():
    vs = two_vars()
    opt = optimizers.Adam()
    opt.apply([np.ones((2, 2)), np.ones(2)], vs)
    store = {}
    opt.save_own_variables(store)
    assert sorted(store, key=int) == [str(i) for i in range(6)]
    other = optimizers.Adam()
    other.build(two_vars())
    other.load_own_variables(store)
    for a, b in zip(opt.variables, other.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert int(other.iterations) == 1
    with pytest.warns(UserWarning, match="Skipping"):
        optimizers.Adam().load_own_variables(store)


# -- overwrite_with_gradient ----------------------------------------------------------------
def test_overwrite_with_gradient_sets_variable_to_raw_gradient():
    """Keras 3.15.1 (torch) observed: with Adam(lr=0.1, clipnorm=0.5, weight_decay=0.1,
    use_ema=True, loss_scale_factor=2) a variable with overwrite_with_gradient becomes its
    gradient (not unscaled, clipped or decayed) and gets no slots; the other is stepped."""
    v = var([[1.0, 2.0], [3.0, 4.0]], "variable")
    v.overwrite_with_gradient = True
    w = var([[1.0, 2.0], [3.0, 4.0]], "variable_1")
    opt = optimizers.Adam(
        learning_rate=0.1,
        clipnorm=0.5,
        weight_decay=0.1,
        use_ema=True,
        loss_scale_factor=2.0,
        name="adam",
    )
    g = np.array([[5.0, -1.0], [0.0, 2.0]], "float32")
    opt.apply([g, g], [v, w])
    np.testing.assert_array_equal(v.numpy(), g)
    expected_w = [[0.8900013566017151, 2.07999587059021], [2.9700000286102295, 3.8600025177001953]]
    np.testing.assert_allclose(w.numpy(), expected_w, rtol=1e-5)
    assert [x.path for x in opt.variables] == [
        "adam/iteration",
        "adam/learning_rate",
        "adam/variable_1_average",
        "adam/variable_1_momentum",
        "adam/variable_1_velocity",
    ]
    assert int(opt.iterations.numpy()) == 1


def test_overwrite_with_gradient_under_accumulation_keeps_the_maximum():
    """Keras 3.15.1 observed (SGD, gradient_accumulation_steps=2): the accumulator holds the
    elementwise max of the gradients (from zeros); the variable takes it every 2nd step."""
    v = var([1.0, 2.0], "v")
    v.overwrite_with_gradient = True
    opt = optimizers.SGD(learning_rate=1.0, gradient_accumulation_steps=2)
    seen = []
    for g in ([3.0, -1.0], [1.0, 0.0], [0.5, 0.5], [-1.0, -2.0]):
        opt.apply([np.array(g, "float32")], [v])
        seen.append(v.numpy().tolist())
    assert seen == [[1.0, 2.0], [3.0, 0.0], [3.0, 0.0], [0.5, 0.5]]


def test_overwrite_with_gradient_from_add_weight():
    """Keras 3: Layer.add_weight(overwrite_with_gradient=True) sets the variable property,
    which only takes booleans (TypeError otherwise)."""
    layer = keras.layers.Layer()
    assert layer.add_weight(shape=(2,), overwrite_with_gradient=True).overwrite_with_gradient
    assert not layer.add_weight(shape=(2,)).overwrite_with_gradient
    with pytest.raises(TypeError, match="must be a boolean"):
        keras.Variable([1.0]).overwrite_with_gradient = 1
