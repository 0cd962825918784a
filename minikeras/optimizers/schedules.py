"""Learning-rate schedules (`keras.optimizers.schedules`): callables of the optimizer step.

An optimizer given a schedule evaluates it at its `iterations` before every update. Each
schedule returns a float32 scalar Tensor, as Keras returns a scalar tensor.
"""

import math

import numpy as np

from ..core.tensor import Tensor
from ..serialization import registry


def _step(step):
    return float(np.asarray(step.data if isinstance(step, Tensor) else step))


def _out(value):
    return Tensor(np.asarray(value, "float32"))


def _check_positive(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class LearningRateSchedule:
    """Base class of learning rate schedules: `schedule(step)` gives the learning rate at `step`.

    Subclasses implement `__call__(step)` and, to be serializable, `get_config()`. An optimizer
    given a schedule calls it with its iteration count before each update.

    >>> import minikeras as keras
    >>> class Halving(keras.optimizers.schedules.LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 1.0 / 2 ** int(step)
    ...     def get_config(self):
    ...         return {}
    >>> Halving()(3)
    0.125
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` in "
            "order to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class ExponentialDecay(LearningRateSchedule):
    """Schedule `initial_learning_rate * decay_rate ** (step / decay_steps)`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the number of steps over which the rate is multiplied by `decay_rate`.
        decay_rate: the decay factor.
        staircase: floor `step / decay_steps`, so the rate drops in steps.
        name: the schedule's name.

    >>> import minikeras as keras
    >>> schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> round(float(schedule(20)), 6)
    0.025
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        decay_rate,
        staircase=False,
        name="ExponentialDecay",
    ):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        p = _step(step) / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return _out(self.initial_learning_rate * self.decay_rate**p)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """Schedule that is constant between boundaries: `values[i]` while `step <= boundaries[i]`.

    After the last boundary the rate is `values[-1]`.

    Args:
        boundaries: increasing step boundaries.
        values: the rates, one more than `boundaries`.
        name: the schedule's name.

    >>> import minikeras as keras
    >>> schedule = keras.optimizers.schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    >>> [round(float(schedule(s)), 6) for s in (10, 11, 21)]
    [1.0, 0.5, 0.1]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                f"length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        s = _step(step)
        for boundary, value in zip(self.boundaries, self.values):
            if s <= boundary:
                return _out(value)
        return _out(self.values[-1])

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Schedule `(initial - end) * (1 - step / decay_steps) ** power + end`.

    The step is capped at `decay_steps`.

    With `cycle=True`, `decay_steps` becomes the first multiple of itself not below `step`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the number of steps to reach `end_learning_rate`.
        end_learning_rate: the final rate.
        power: the polynomial's power (1 is linear).
        cycle: whether to restart the decay after `decay_steps`.
        name: the schedule's name.

    >>> import minikeras as keras
    >>> schedule = keras.optimizers.schedules.PolynomialDecay(1.0, 10, end_learning_rate=0.0)
    >>> [round(float(schedule(s)), 6) for s in (0, 5, 20)]
    [1.0, 0.5, 0.0]
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name="PolynomialDecay",
    ):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        s = _step(step)
        decay_steps = float(self.decay_steps)
        if self.cycle:
            decay_steps *= 1.0 if s == 0 else math.ceil(s / self.decay_steps)
        else:
            s = min(s, decay_steps)
        p = s / decay_steps
        lr0, lr1 = self.initial_learning_rate, self.end_learning_rate
        return _out((lr0 - lr1) * (1 - p) ** self.power + lr1)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """Schedule `initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the step scale of the decay.
        decay_rate: the decay factor.
        staircase: floor `step / decay_steps`, so the rate drops in steps.
        name: the schedule's name.

    >>> import minikeras as keras
    >>> schedule = keras.optimizers.schedules.InverseTimeDecay(1.0, decay_steps=1, decay_rate=0.5)
    >>> round(float(schedule(2)), 6)
    0.5
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        decay_rate,
        staircase=False,
        name="InverseTimeDecay",
    ):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        p = _step(step) / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return _out(self.initial_learning_rate / (1 + self.decay_rate * p))

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


def _cosine(fraction, alpha):
    # (1 - alpha) * 0.5 * (1 + cos(pi * fraction)) + alpha
    return (1 - alpha) * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha


class CosineDecay(LearningRateSchedule):
    """Schedule with an optional linear warmup to `warmup_target`, then cosine decay.

    Warmup (when `warmup_target` is set), for `step < warmup_steps`:
    `initial + (warmup_target - initial) * step / warmup_steps`. Decay, over `decay_steps`
    after the warmup: `peak * ((1 - alpha) * 0.5 * (1 + cos(pi * t / decay_steps)) + alpha)`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the length of the cosine decay.
        alpha: the final rate as a fraction of the peak.
        name: the schedule's name.
        warmup_target: the peak rate reached by the warmup, or `None` for no warmup.
        warmup_steps: the length of the warmup.

    >>> import minikeras as keras
    >>> schedule = keras.optimizers.schedules.CosineDecay(1.0, decay_steps=10)
    >>> [round(float(schedule(s)), 6) for s in (0, 5, 10)]
    [1.0, 0.5, 0.0]
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name="CosineDecay",
        warmup_target=None,
        warmup_steps=0,
    ):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        s = _step(step)
        if self.warmup_target is None:
            s = min(s, self.decay_steps)
            return _out(self.initial_learning_rate * _cosine(s / self.decay_steps, self.alpha))
        s = min(s, self.decay_steps + self.warmup_steps)
        if s < self.warmup_steps:
            delta = self.warmup_target - self.initial_learning_rate
            return _out(delta * s / self.warmup_steps + self.initial_learning_rate)
        t = (s - self.warmup_steps) / self.decay_steps
        return _out(self.warmup_target * _cosine(t, self.alpha))

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """Schedule of cosine decay with warm restarts (SGDR).

    The first period lasts `first_decay_steps`; each next one is `t_mul` times longer and starts
    from `m_mul` times the previous peak. Within a period the multiplier is
    `(1 - alpha) * 0.5 * m_mul**i * (1 + cos(pi * fraction)) + alpha`.

    Args:
        initial_learning_rate: the peak rate of the first period.
        first_decay_steps: the length of the first period.
        t_mul: the growth factor of the period lengths.
        m_mul: the factor applied to the peak at each restart.
        alpha: the minimum rate as a fraction of `initial_learning_rate`.
        name: the schedule's name.

    >>> import minikeras as keras
    >>> schedule = keras.optimizers.schedules.CosineDecayRestarts(1.0, first_decay_steps=10)
    >>> [round(float(schedule(s)), 6) for s in (5, 10, 20)]  # restarts at 10, next period is 20
    [0.5, 1.0, 0.5]
    """

    def __init__(
        self,
        initial_learning_rate,
        first_decay_steps,
        t_mul=2.0,
        m_mul=1.0,
        alpha=0.0,
        name="SGDRDecay",
    ):
        _check_positive("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        fraction = _step(step) / self.first_decay_steps
        t = float(self._t_mul)
        if t == 1.0:
            i = math.floor(fraction)
            fraction -= i
        else:
            # periods grow geometrically: restart i starts at (1 - t**i) / (1 - t) periods
            i = math.floor(math.log(1.0 - fraction * (1.0 - t)) / math.log(t))
            start = (1.0 - t**i) / (1.0 - t)
            fraction = (fraction - start) / t**i
        decayed = 0.5 * self._m_mul**i * (1.0 + math.cos(math.pi * fraction))
        return _out(self.initial_learning_rate * ((1 - self.alpha) * decayed + self.alpha))

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


ALL_SCHEDULES = {
    c.__name__: c
    for c in (
        LearningRateSchedule,
        ExponentialDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
        InverseTimeDecay,
        CosineDecay,
        CosineDecayRestarts,
    )
}


def serialize(learning_rate_schedule):
    """Returns a schedule's config dict as Keras 3 writes it.

    Args:
        learning_rate_schedule: a `LearningRateSchedule`.

    Returns:
        A dict `{"module", "class_name", "config", "registered_name"}`.

    >>> import minikeras as keras
    >>> schedule = keras.optimizers.schedules.InverseTimeDecay(1.0, 1, 0.5)
    >>> keras.optimizers.schedules.serialize(schedule)["class_name"]
    'InverseTimeDecay'
    """
    cls = type(learning_rate_schedule)
    builtin = cls.__name__ in ALL_SCHEDULES and ALL_SCHEDULES[cls.__name__] is cls
    return {
        "module": "keras.optimizers.schedules" if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": learning_rate_schedule.get_config(),
        "registered_name": None if builtin else registry.get_registered_name(cls),
    }


def deserialize(config, custom_objects=None):
    """Rebuilds a schedule from `serialize`'s dict (or a Keras 2 `{"class_name", "config"}` dict).

    Args:
        config: the dict.
        custom_objects: optional dict of extra classes to look up first.

    Returns:
        A `LearningRateSchedule`.

    >>> import minikeras as keras
    >>> config = {"class_name": "ExponentialDecay",
    ...           "config": {"initial_learning_rate": 1.0, "decay_steps": 1, "decay_rate": 0.5}}
    >>> float(keras.optimizers.schedules.deserialize(config)(1))
    0.5
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Expected a dict with 'class_name' and 'config' for a schedule. Received: {config!r}"
        )
    name = config["class_name"]
    # as Keras: `custom_objects`, the custom object scopes and the classes registered with
    # `register_keras_serializable` (by the saved registered name), then the built-in schedules
    cls = registry.get_registered_object(config.get("registered_name") or name, custom_objects)
    if cls is None:
        cls = registry.get_registered_object(name, custom_objects) or ALL_SCHEDULES.get(name)
    if cls is None:
        raise ValueError(
            f"Unknown learning rate schedule: {name!r}. Known: {sorted(ALL_SCHEDULES)} "
            "(register others with `keras.saving.register_keras_serializable` or pass them in "
            "`custom_objects`)."
        )
    return cls.from_config(dict(config.get("config") or {}))
