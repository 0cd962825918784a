"""Learning-rate schedules against their formulas, written out independently here."""

import math

import numpy as np
import pytest

from minikeras.optimizers import schedules

STEPS = [0, 1, 5, 9, 10, 11, 25, 100]


def check(schedule, formula):
    for s in STEPS:
        assert float(schedule(s)) == pytest.approx(formula(s), rel=1e-6, abs=1e-9), s


@pytest.mark.parametrize("staircase", [False, True])
def test_exponential_decay(staircase):
    def f(s):
        p = s // 10 if staircase else s / 10
        return 0.1 * 0.5**p

    check(schedules.ExponentialDecay(0.1, 10, 0.5, staircase=staircase), f)


def test_piecewise_constant_decay():
    # values[0] up to and including boundaries[0], etc.
    def f(s):
        return 1.0 if s <= 5 else (0.5 if s <= 10 else 0.1)

    check(schedules.PiecewiseConstantDecay([5, 10], [1.0, 0.5, 0.1]), f)
    with pytest.raises(ValueError, match="1 less"):
        schedules.PiecewiseConstantDecay([5, 10], [1.0, 0.5])


@pytest.mark.parametrize("cycle", [False, True])
def test_polynomial_decay(cycle):
    def f(s):
        steps = 10.0
        if cycle:
            steps *= max(1.0, math.ceil(s / 10))
        else:
            s = min(s, 10)
        return (0.1 - 0.01) * (1 - s / steps) ** 2 + 0.01

    check(schedules.PolynomialDecay(0.1, 10, 0.01, power=2.0, cycle=cycle), f)


@pytest.mark.parametrize("staircase", [False, True])
def test_inverse_time_decay(staircase):
    def f(s):
        p = s // 10 if staircase else s / 10
        return 0.1 / (1 + 0.5 * p)

    check(schedules.InverseTimeDecay(0.1, 10, 0.5, staircase=staircase), f)


def test_cosine_decay():
    def f(s):
        s = min(s, 20)
        return 0.1 * ((1 - 0.1) * 0.5 * (1 + math.cos(math.pi * s / 20)) + 0.1)

    check(schedules.CosineDecay(0.1, 20, alpha=0.1), f)


def test_cosine_decay_with_warmup():
    def f(s):
        if s < 5:  # linear from 0 to 1.0 over 5 steps
            return s / 5 * 1.0
        t = min(s - 5, 20)
        return 1.0 * 0.5 * (1 + math.cos(math.pi * t / 20))

    check(schedules.CosineDecay(0.0, 20, warmup_target=1.0, warmup_steps=5), f)


def restarts_reference(s, lr0, first, t_mul, m_mul, alpha):
    # walk period by period: each lasts t_mul times longer and peaks m_mul times lower
    start, length, i = 0.0, float(first), 0
    while s >= start + length:
        start, length, i = start + length, length * t_mul, i + 1
    frac = (s - start) / length
    return lr0 * ((1 - alpha) * 0.5 * m_mul**i * (1 + math.cos(math.pi * frac)) + alpha)


@pytest.mark.parametrize("t_mul,m_mul,alpha", [(2.0, 1.0, 0.0), (1.0, 0.5, 0.1), (1.5, 0.8, 0.0)])
def test_cosine_decay_restarts(t_mul, m_mul, alpha):
    sched = schedules.CosineDecayRestarts(0.1, 4, t_mul=t_mul, m_mul=m_mul, alpha=alpha)
    for s in [0, 1, 3, 4, 5, 11, 12, 13, 30, 57]:
        assert float(sched(s)) == pytest.approx(
            restarts_reference(s, 0.1, 4, t_mul, m_mul, alpha), rel=1e-5, abs=1e-7
        ), s


def test_step_may_be_a_tensor_and_result_is_float32():
    from minikeras import Variable

    out = schedules.ExponentialDecay(0.1, 10, 0.5)(Variable(np.array(10, "int32")))
    assert out.dtype == np.float32 and float(out) == pytest.approx(0.05)


@pytest.mark.parametrize(
    "cls,args",
    [
        (schedules.ExponentialDecay, (0.1, 10, 0.9)),
        (schedules.PiecewiseConstantDecay, ([3], [0.1, 0.01])),
        (schedules.PolynomialDecay, (0.1, 10)),
        (schedules.InverseTimeDecay, (0.1, 10, 0.5)),
        (schedules.CosineDecay, (0.1, 10)),
        (schedules.CosineDecayRestarts, (0.1, 10)),
    ],
)
def test_serialize_round_trip(cls, args):
    sched = cls(*args)
    data = schedules.serialize(sched)
    assert data["class_name"] == cls.__name__ and data["module"] == "keras.optimizers.schedules"
    again = schedules.deserialize(data)
    assert type(again) is cls and again.get_config() == sched.get_config()
    assert float(again(7)) == float(sched(7))


def test_registered_schedule_round_trips_through_a_saved_model(tmp_path):
    # keras.io midi_generation_with_transformer registers its warm-up schedule with
    # register_keras_serializable; Keras 3.15.1 writes registered_name "Custom>WarmUp..." and
    # load_model finds it, so the model comes back compiled (it was loaded uncompiled, warning)
    import warnings

    import minikeras as keras

    @keras.saving.register_keras_serializable(package="test_lr")
    class HalvedEachStep(schedules.LearningRateSchedule):
        def __init__(self, start):
            self.start = start

        def get_config(self):
            return {"start": self.start}

        def __call__(self, step):
            return self.start * keras.ops.power(0.5, keras.ops.cast(step, "float32"))

    data = schedules.serialize(HalvedEachStep(0.5))
    assert data["registered_name"] == "test_lr>HalvedEachStep"
    assert schedules.deserialize(data).start == 0.5
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer=keras.optimizers.Adam(HalvedEachStep(0.25)), loss="mse")
    model.fit(np.ones((2, 2)), np.ones((2, 1)), verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = keras.models.load_model(path)
    schedule = loaded.optimizer._learning_rate
    assert isinstance(schedule, HalvedEachStep) and schedule.start == 0.25


def test_errors():
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="Nope"):
        schedules.deserialize({"class_name": "Nope", "config": {}})
    with pytest.raises(NotImplementedError):
        schedules.LearningRateSchedule()(1)
