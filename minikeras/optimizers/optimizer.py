"""`Optimizer`: the base class, following Keras 3's `BaseOptimizer`.

`apply(grads, variables)` builds the slot variables on the first call, then per step: drops
missing gradients, unscales, clips, applies decoupled weight decay, runs `update_step` for each
weight (updating `variable.data` in place), updates the EMA copies, applies constraints and
increments `iterations`.
"""

import math
import numbers
import re
import warnings

import numpy as np

from ..core.tensor import Tensor
from ..core.variable import Variable
from ..distribution import data_parallel
from ..serialization.tables import ObjectKind
from ..utils.naming import to_snake_case, uniquify
from . import schedules as schedules_module

_K2_KEYS = (
    "jit_compile",
    "is_legacy_optimizer",
)  # tf.keras configs carry these; they mean nothing here


def _array(x):
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def _overwrites(variable):
    return getattr(variable, "overwrite_with_gradient", False)


def _l2(g):
    return float(np.sqrt(np.sum(np.square(g, dtype="float64"))))


class Optimizer:
    """Base class for optimizers (as `keras.optimizers.Optimizer`).

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable taking no arguments.
        weight_decay: if set, each step first does `w -= w * weight_decay * learning_rate`.
        clipnorm: clip each gradient to at most this L2 norm.
        clipvalue: clip each gradient element to `[-clipvalue, clipvalue]`.
        global_clipnorm: clip all gradients together to at most this global L2 norm.
        use_ema: keep an exponential moving average of the weights.
        ema_momentum: the EMA's momentum.
        ema_overwrite_frequency: every this many steps, copy the EMA into the weights.
        loss_scale_factor: gradients are divided by it (the loss was multiplied by it).
        gradient_accumulation_steps: update only every this many steps, with the mean gradient.
        name: the optimizer's name (default: the class name in snake case, made unique).

    Subclasses implement `build(variables)` (create slots with `add_optimizer_variables`) and
    `update_step(gradient, variable, learning_rate)`.

    >>> import numpy as np, minikeras as keras
    >>> class PlainSGD(keras.optimizers.Optimizer):
    ...     def update_step(self, gradient, variable, learning_rate):
    ...         variable.data[...] -= learning_rate * gradient  # w -= lr * g, in place
    >>> w = keras.Variable([1.0, 2.0])
    >>> PlainSGD(learning_rate=0.5).apply([np.array([1.0, -1.0])], [w])
    >>> w.numpy().tolist()
    [0.5, 2.5]
    """

    # float hyperparameters: a number, a 0-d numeric array or a callable returning one (Keras 3
    # takes a callable for several); anything else fails at the first step in Keras (a
    # TypeError deep in the update) and would give NaN weights here, so it is refused when set
    _FLOAT_HYPERPARAMETERS = frozenset(
        {"epsilon", "epsilon_1", "epsilon_2", "beta_1", "beta_2", "rho", "momentum",
         "learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
         "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta",
         "clip_threshold", "decay_rate"}
    )  # fmt: skip

    def __setattr__(self, name, value):
        if name in self._FLOAT_HYPERPARAMETERS and not _is_float_hyperparameter(value):
            raise TypeError(
                f"{type(self).__name__}: argument `{name}` must be a float (or a callable "
                f"returning one). Received: {name}={value!r} (of type {type(value).__name__})"
            )
        super().__setattr__(name, value)

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        if kwargs.pop("decay", None) not in (None, 0, 0.0):
            warnings.warn(
                "Argument `decay` is no longer supported and will be ignored.", stacklevel=2
            )
        if "lr" in kwargs:  # Keras 2 spelling
            learning_rate = kwargs.pop("lr")
        for key in _K2_KEYS:
            kwargs.pop(key, None)
        if kwargs:
            raise ValueError(f"{type(self).__name__}: argument(s) not recognized: {kwargs}")
        clip_args = [clipnorm, clipvalue, global_clipnorm]
        if sum(a is not None for a in clip_args) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
            )
        if gradient_accumulation_steps and gradient_accumulation_steps < 2:
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. Received: "
                f"gradient_accumulation_steps={gradient_accumulation_steps}"
            )
        if use_ema and not 0 <= ema_momentum <= 1:
            raise ValueError(f"`ema_momentum` must be in [0, 1]. Received: {ema_momentum}")
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._index = {}
        self._exclude_ids, self._exclude_pattern = set(), None
        self._iterations = self._new_variable(np.zeros((), "int32"), "iteration")
        if isinstance(learning_rate, schedules_module.LearningRateSchedule) or callable(
            learning_rate
        ):
            self._learning_rate = learning_rate
        else:
            self._learning_rate = self._new_variable(
                np.asarray(self._float_lr(learning_rate), "float32"), "learning_rate"
            )

    # -- variables ----------------------------------------------------------------------------
    def _new_variable(self, value, name):
        v = Variable(value, trainable=False, name=name)
        v.path = f"{self.name}/{name}"
        self._variables.append(v)
        return v

    @staticmethod
    def _float_lr(value):
        value = _array(value)
        if np.ndim(value) != 0 or np.asarray(value).dtype.kind not in "biuf":
            raise ValueError(
                "Argument `learning_rate` should be a float, a LearningRateSchedule or a callable. "
                f"Received: learning_rate={value!r}"
            )
        return float(value)

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="mean", name=None):
        """A non-trainable slot variable tracked in `variables` (Keras 3 signature)."""
        shape = tuple(shape)
        dtype = dtype or "float32"
        if initializer in ("zeros", "ones") or isinstance(initializer, (int, float)):
            fill = {"zeros": 0.0, "ones": 1.0}.get(initializer, initializer)
            value = np.full(shape, fill, dtype)
        elif callable(initializer):
            value = np.asarray(_array(initializer(shape, dtype=dtype)), dtype)
        else:
            from .. import initializers

            value = np.asarray(_array(initializers.get(initializer)(shape, dtype=dtype)), dtype)
        return self._new_variable(value, name or "variable")

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A slot shaped like `reference_variable`, named `<its path, / as _>_<name>`."""
        base = getattr(reference_variable, "path", None) or str(reference_variable.name)
        full = base.replace("/", "_").replace(":", "_") + "_" + (name or "var")
        return self.add_variable(
            reference_variable.shape, initializer, reference_variable.dtype, name=full
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per variable for each name; several names are interleaved per variable.
        Variables with `overwrite_with_gradient` get `None` (they are never stepped)."""
        names = [name] if isinstance(name, str) else list(name)
        inits = (
            initializer if isinstance(initializer, (list, tuple)) else [initializer] * len(names)
        )
        out = tuple([] for _ in names)
        for v in trainable_variables:
            for slots, n, init in zip(out, names, inits):
                # a variable overwritten by its gradient needs no slot (Keras 3 puts None)
                slot = None if _overwrites(v) else self.add_variable_from_reference(v, n, init)
                slots.append(slot)
        return out[0] if isinstance(name, str) else out

    def build(self, variables):
        """Records the variables to update (and EMA / accumulator slots); subclasses add theirs."""
        variables = list(variables)
        self._index = {id(v): i for i, v in enumerate(variables)}
        self._ema, self._accumulators = [], []
        for v in variables:  # interleaved per variable, as Keras creates them
            if self.use_ema:
                average = None if _overwrites(v) else self.add_variable_from_reference(v, "average")
                self._ema.append(average)
            if self.gradient_accumulation_steps:
                self._accumulators.append(
                    self.add_variable_from_reference(v, "gradient_accumulator")
                )
        self._trainable_variables = variables
        self.built = True

    @property
    def variables(self):
        """iteration, learning_rate (unless a schedule), then the slots in creation order."""
        return list(self._variables)

    def _get_variable_index(self, variable):
        return self._index[id(variable)]

    @property
    def iterations(self):
        """The step counter (counts applied updates under gradient accumulation)."""
        if self.gradient_accumulation_steps:
            return Tensor(self._iterations.data // self.gradient_accumulation_steps)
        return self._iterations

    @iterations.setter
    def iterations(self, value):
        self._iterations.assign(np.asarray(_array(value), "int32"))

    # -- learning rate ------------------------------------------------------------------------
    @property
    def learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr
        if isinstance(lr, schedules_module.LearningRateSchedule):
            return Tensor(np.asarray(_array(lr(self._iterations)), "float32"))
        return Tensor(np.asarray(_array(lr()), "float32"))

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, schedules_module.LearningRateSchedule) or callable(value):
            if isinstance(self._learning_rate, Variable):
                self._variables.remove(self._learning_rate)
            self._learning_rate = value
            return
        if not isinstance(self._learning_rate, Variable):
            raise TypeError(
                "This optimizer was created with a LearningRateSchedule (or callable) as its "
                "learning_rate, so the learning rate is not settable. Create it with a float "
                f"learning_rate to set it. Received: learning_rate={value!r}"
            )
        self._learning_rate.assign(np.asarray(self._float_lr(value), "float32"))

    def _current_learning_rate(self):
        return float(_array(self.learning_rate))

    # -- the step -----------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Applies `(gradient, variable)` pairs; returns `iterations` (as tf.keras does)."""
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        grads, variables = zip(*pairs)
        self.apply(list(grads), list(variables))
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates `trainable_variables` (default: those it was built with) from `grads`.

        Gradients may be numpy arrays, Tensors or None (that variable is skipped). Under a
        multi-process `keras.distribution.DataParallel` they are first averaged over the
        processes (one allreduce, each weighted by its share of the global batch).
        """
        grads = data_parallel.reduce_gradients(list(grads))
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first."
                )
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
            if not self.built:
                self.build(variables)
                self.built = True
            unknown = [v.path for v in variables if id(v) not in self._index]
            if unknown:
                raise ValueError(
                    f"Unknown variable(s) {unknown}: this optimizer can only update the variables "
                    "it was built with. Create a new optimizer for a new set of variables."
                )
        if len(grads) != len(variables):
            raise ValueError(
                f"Received {len(grads)} gradients for {len(variables)} variables; they must "
                "match one to one."
            )
        pairs = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable.")
        if len(pairs) < len(variables):
            missing = [v.name for g, v in zip(grads, variables) if g is None]
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. "
                "If using `model.compile()`, did you forget to provide a `loss` argument?",
                stacklevel=2,
            )
        grads = [self._check_grad(g, v) for g, v in pairs]
        variables = [v for _, v in pairs]
        grads, variables = self._overwrite_variables_with_gradients(grads, variables)
        if variables:
            if self.loss_scale_factor is not None:
                grads = [g / np.asarray(self.loss_scale_factor, g.dtype) for g in grads]
            # a callable hyperparameter (Keras 3 takes one for beta_1, epsilon, ...) is called
            # once per step; the update steps read its value
            called = {
                n: v
                for n, v in vars(self).items()
                if n in self._FLOAT_HYPERPARAMETERS and callable(v)
            }
            for name, fn in called.items():
                object.__setattr__(self, name, float(np.asarray(_array(fn()))))
            try:
                if self.gradient_accumulation_steps:
                    self._accumulate_and_update(grads, variables)
                else:
                    self._clip_decay_update(grads, variables)
            finally:
                for name, fn in called.items():
                    object.__setattr__(self, name, fn)
            if self.use_ema:
                self._update_ema()
            for v in variables:
                if getattr(v, "constraint", None) is not None:
                    v.assign(_array(v.constraint(v)))
        self._iterations.data += 1

    def _overwrite_variables_with_gradients(self, grads, variables):
        """Sets each `overwrite_with_gradient` variable to its (unscaled, unclipped) gradient
        and returns the other pairs. Under gradient accumulation, as Keras 3, the accumulator
        keeps the elementwise maximum of the gradients and the variable takes it on the update
        step."""
        rest_g, rest_v = [], []
        steps = self.gradient_accumulation_steps
        for g, v in zip(grads, variables):
            if not _overwrites(v):
                rest_g.append(g)
                rest_v.append(v)
            elif not steps:
                v.data[...] = g
            else:
                acc = self._accumulators[self._get_variable_index(v)]
                if (int(self._iterations.data) + 1) % steps == 0:
                    v.data[...] = np.maximum(g, acc.data)
                    acc.data[...] = 0
                else:
                    acc.data[...] = np.maximum(g, acc.data)
        return rest_g, rest_v

    def _check_grad(self, g, v):
        g = _array(g)
        if g.shape != v.shape:
            raise ValueError(
                f"Gradient for variable {v.path!r} has shape {g.shape}; expected {v.shape}."
            )
        return np.asarray(g, dtype=v.dtype)

    def _clip_decay_update(self, grads, variables):
        grads = self._clip_gradients(grads)
        lr = self._current_learning_rate()
        self._apply_weight_decay(variables, lr)
        self._backend_update_step(grads, variables, lr)

    def _accumulate_and_update(self, grads, variables):
        steps = self.gradient_accumulation_steps
        accs = [self._accumulators[self._get_variable_index(v)] for v in variables]
        if (int(self._iterations.data) + 1) % steps != 0:
            for g, acc in zip(grads, accs):
                acc.data += g
            return
        mean = [(g + acc.data) / np.asarray(steps, g.dtype) for g, acc in zip(grads, accs)]
        self._clip_decay_update(mean, variables)
        for acc in accs:
            acc.data[...] = 0

    def _backend_update_step(self, grads, variables, learning_rate):
        for g, v in zip(grads, variables):
            self.update_step(g, v, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        """Updates one weight (and its slots) in place from its gradient (a numpy array)."""
        raise NotImplementedError(f"{type(self).__name__}.update_step() must be implemented.")

    # Keras-style helpers for optimizers written with ops
    def assign(self, variable, value):
        variable.assign(_array(value))

    def assign_add(self, variable, value):
        variable.assign_add(_array(value))

    def assign_sub(self, variable, value):
        variable.assign_sub(_array(value))

    # -- clipping, weight decay, EMA ----------------------------------------------------------
    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            c = self.clipnorm
            # each gradient: g * c / max(||g||, c)
            return [g * np.asarray(c / max(_l2(g), c), g.dtype) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            c = self.global_clipnorm
            norm = math.sqrt(sum(_l2(g) ** 2 for g in grads))
            # scale = c / max(norm, c); non-finite norms give NaN, as in Keras
            scale = c / max(norm, c) if math.isfinite(norm) else float("nan")
            return [g * np.asarray(scale, g.dtype) for g in grads]
        if self.clipvalue and self.clipvalue > 0:
            c = self.clipvalue
            return [np.clip(g, -c, c) for g in grads]
        return grads

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables (objects, or any whose name contains one of `var_names`)."""
        if self.built:
            raise ValueError(
                "`exclude_from_weight_decay()` must be called before the optimizer is built."
            )
        self._exclude_ids = {id(v) for v in var_list or []}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_ids:
            return False
        pattern = self._exclude_pattern
        return not (pattern is not None and pattern.search(variable.name))

    def _apply_weight_decay(self, variables, lr):
        if self.weight_decay is None:
            return
        for v in variables:
            if self._use_weight_decay(v):
                # w -= w * weight_decay * lr (decoupled, before the gradient step)
                v.data -= v.data * np.asarray(self.weight_decay * lr, v.dtype)

    def _update_ema(self):
        first = int(_array(self.iterations)) == 0
        mom = 0.0 if first else self.ema_momentum
        for v, avg in zip(self._trainable_variables, self._ema):
            if avg is None:  # an overwrite_with_gradient variable
                continue
            # average = momentum * average + (1 - momentum) * w (the first step copies w)
            avg.data[...] = mom * avg.data + (1 - mom) * v.data
        freq = self.ema_overwrite_frequency
        if freq and (int(_array(self.iterations)) + 1) % freq == 0:
            self._overwrite_with_ema(self._trainable_variables)

    def _overwrite_with_ema(self, var_list):
        if len(var_list) != len(self._ema):
            raise ValueError(
                f"Got {len(var_list)} variables to overwrite but the optimizer keeps "
                f"{len(self._ema)} moving averages."
            )
        for v, avg in zip(var_list, self._ema):
            if avg is not None:
                v.data[...] = avg.data

    def finalize_variable_values(self, var_list):
        """With `use_ema`, copies the moving averages into the variables (end of `fit`)."""
        if self.use_ema:
            self._overwrite_with_ema(list(var_list))

    def scale_loss(self, loss):
        """The loss times `loss_scale_factor` (if set)."""
        return loss * self.loss_scale_factor if self.loss_scale_factor is not None else loss

    # -- state and config ---------------------------------------------------------------------
    def set_weights(self, weights):
        """Sets `variables` from a list of arrays (the optimizer must be built)."""
        if not self.built:
            raise ValueError("Call `optimizer.build(trainable_variables)` before `set_weights()`.")
        for v, w in zip(self._variables, weights):
            v.assign(np.asarray(_array(w)))

    def save_own_variables(self, store):
        for i, v in enumerate(self.variables):
            store[str(i)] = np.array(v.data)

    def load_own_variables(self, store):
        if len(store.keys()) != len(self.variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}': it has "
                f"{len(self.variables)} variables but the saved optimizer has {len(store.keys())}."
                + (" The optimizer has not been built yet." if not self.built else ""),
                stacklevel=2,
            )
            return
        for i, v in enumerate(self.variables):
            v.assign(np.asarray(store[str(i)]))

    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, Variable):
            lr = float(lr.data)  # the float32 value widened, as Keras writes it
        elif isinstance(lr, schedules_module.LearningRateSchedule):
            lr = schedules_module.serialize(lr)
        return {
            "name": self.name,
            "learning_rate": lr,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules_module.deserialize(
                config["learning_rate"], custom_objects
            )
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _table_key(name):
    """Optimizers are found by any capitalisation (`"adam"`, `"Adam"`, `"ADAM"`), and tf.keras
    2.11+ writes the built-ins as `"Custom>Adam"`."""
    return (name[len("Custom>") :] if name.startswith("Custom>") else name).lower()


# the optimizers' `get`/`serialize`/`deserialize` on the serialization floor; `keras.optimizers`
# fills the table (lower-case class names), registered as "optimizers"
OPTIMIZERS = ObjectKind("optimizer", "keras.optimizers", {}, normalize=_table_key, base=Optimizer)


def _is_float_hyperparameter(value):
    if callable(value) and not isinstance(value, np.ndarray):
        return True
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, numbers.Real):
        return True
    data = value if isinstance(value, np.ndarray) else getattr(value, "data", value)  # Tensor
    return isinstance(data, np.ndarray) and data.ndim == 0 and data.dtype.kind in "iuf"
