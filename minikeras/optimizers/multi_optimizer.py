"""`OptimizerMap` and `MultiOptimizer`: different optimizers for different variables."""

import re
from collections.abc import MutableMapping

import numpy as np

from .loss_scale_optimizer import LossScaleOptimizer
from .optimizer import OPTIMIZERS, Optimizer


class OptimizerMap(MutableMapping):
    """Maps variable paths to optimizers (as `keras.optimizers.OptimizerMap`).

    A key is an exact path or a regular expression matched with `re.fullmatch` against the whole
    path (`"encoder/.*"`, not `"encoder"`, for every variable under `encoder`). An exact key wins;
    a path matching several patterns is an error; an unmatched one gets `default_optimizer`.

    Args:
        default_optimizer: the optimizer of unmatched variables.
        optimizer_map: an optional dict `{key: optimizer}`.

    >>> from minikeras import optimizers
    >>> opt_map = optimizers.OptimizerMap(optimizers.SGD(), {"enc/.*": optimizers.Adam()})
    >>> type(opt_map["enc/dense/kernel"]).__name__, type(opt_map["dec/kernel"]).__name__
    ('Adam', 'SGD')
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(
                "default_optimizer must be a Keras Optimizer instance. "
                f"Received: {default_optimizer}"
            )
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = optimizer_map or {}

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}.")
        return self._optimizer_map[matching[0]] if matching else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(
                f"'{key}' already exists in the OptimizerMap with value "
                f"{self._optimizer_map[key]}. Please make sure to not use duplicated keys."
            )
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key}")
        _check_inner(optimizer, "optimizer")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        return {
            "default_optimizer": OPTIMIZERS.serialize(self._default_optimizer),
            "optimizer_map": {k: OPTIMIZERS.serialize(v) for k, v in self._optimizer_map.items()},
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        default = OPTIMIZERS.deserialize(config["default_optimizer"], custom_objects)
        mapping = {
            k: OPTIMIZERS.deserialize(v, custom_objects)
            for k, v in (config.get("optimizer_map") or {}).items()
        }
        return cls(default, mapping)


def _check_inner(optimizer, what):
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"{what} must be a Keras Optimizer instance. Received: {optimizer}")
    if isinstance(optimizer, LossScaleOptimizer):
        raise ValueError(f"{what} cannot be LossScaleOptimizer.")
    if isinstance(optimizer, MultiOptimizer):
        raise ValueError(f"{what} cannot be MultiOptimizer.")


class MultiOptimizer(Optimizer):
    """Optimizer that hands each variable to its own inner optimizer.

    As `keras.optimizers.MultiOptimizer`, the inner optimizer of a variable is the one an
    `OptimizerMap` (or a function of the variable) gives it.

    Each inner optimizer is built on, and steps, its own variables; `variables` (what files
    store) are this optimizer's `iteration` and `learning_rate`, then each inner optimizer's.
    It has no learning rate of its own: `learning_rate` raises (set it on `optimizers`).

    Args:
        optimizer_map: an `OptimizerMap`, or a callable `variable -> optimizer`.
        loss_scale_factor: passed on to every inner optimizer.
        name: the optimizer's name.

    >>> import numpy as np, minikeras as keras
    >>> a, b = keras.Variable([1.0], name="a"), keras.Variable([1.0], name="b")
    >>> fast, slow = keras.optimizers.SGD(1.0), keras.optimizers.SGD(0.1)
    >>> multi = keras.optimizers.MultiOptimizer(lambda v: fast if v.name == "a" else slow)
    >>> multi.apply([np.array([1.0]), np.array([1.0])], [a, b])
    >>> print(a.numpy(), b.numpy())
    [0.] [0.9]
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        self._inner_optimizers = []
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        inner = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        for opt in inner + ([default] if default is not None else []):
            if opt not in self._inner_optimizers:
                opt.loss_scale_factor = loss_scale_factor
                self._inner_optimizers.append(opt)

    def build(self, variables):
        if self.built:
            return
        variables = list(variables)
        groups = {}
        self._owner = {}
        for v in variables:
            opt = self._optimizer_map(v)
            _check_inner(opt, f"Optimizer for variable {v.path}")
            if opt not in self._inner_optimizers:
                opt.loss_scale_factor = self.loss_scale_factor
                self._inner_optimizers.append(opt)
            self._owner[id(v)] = opt
            groups.setdefault(id(opt), []).append(v)
        for opt in self._inner_optimizers:
            if id(opt) in groups:
                opt.build(groups[id(opt)])
        super().build(variables)

    @property
    def optimizers(self):
        return self._inner_optimizers

    @property
    def variables(self):
        out = list(self._variables)
        for opt in self._inner_optimizers:
            out.extend(opt.variables)
        return out

    @property
    def learning_rate(self):
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate on "
            "the individual sub-optimizers instead."
        )

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(
            "Learning rate cannot be set on a MultiOptimizer. Set the learning rate on the "
            "individual sub-optimizers instead."
        )

    @property
    def loss_scale_factor(self):
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for opt in self._inner_optimizers:
            opt.loss_scale_factor = value

    @property
    def iterations(self):
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first."
                )
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(self._owner):
            raise ValueError(
                "Gradients must match trainable variables one-to-one. Received "
                f"{len(grads)} gradients and {len(self._owner)} variables."
            )
        per_opt = {}
        for g, v in zip(grads, trainable_variables):
            per_opt.setdefault(id(self._owner[id(v)]), ([], []))
            per_opt[id(self._owner[id(v)])][0].append(g)
            per_opt[id(self._owner[id(v)])][1].append(v)
        for opt in self._inner_optimizers:
            if id(opt) in per_opt:
                opt.apply(*per_opt[id(opt)])
        self._iterations.assign(np.asarray(self._iterations.data + 1, "int32"))

    def finalize_variable_values(self, var_list):
        for opt in self._inner_optimizers:
            mine = [v for v in var_list if self._owner.get(id(v)) is opt]
            if mine:
                opt.finalize_variable_values(mine)

    def set_weights(self, weights):
        if not self.built:
            raise ValueError("Call `optimizer.build(trainable_variables)` before `set_weights()`.")
        weights = list(weights)
        for v, w in zip(self.variables, weights):
            v.assign(np.asarray(w))

    def get_config(self):
        mapping = self._optimizer_map
        if isinstance(mapping, OptimizerMap):
            mapping = {
                "module": "keras.optimizers",
                "class_name": "OptimizerMap",
                "config": mapping.get_config(),
                "registered_name": None,
            }
        else:  # a function of the variable
            from ..serialization.keras_objects import serialize_keras_object

            mapping = serialize_keras_object(mapping)
        return {
            "optimizer_map": mapping,
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        mapping = config["optimizer_map"]
        if isinstance(mapping, dict) and mapping.get("class_name") == "OptimizerMap":
            mapping = OptimizerMap.from_config(mapping["config"], custom_objects)
        else:
            from ..serialization.keras_objects import deserialize_keras_object

            mapping = deserialize_keras_object(mapping, custom_objects)
        config["optimizer_map"] = mapping
        return cls(**config)
