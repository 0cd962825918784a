"""`LayerWeights`: the part of `Layer` that creates, lists, sets and saves weights, and collects
losses (`add_loss`, weight regularization)."""

import numpy as np

from ..core import dtypes
from ..core.variable import Variable
from ..random.seed_generator import seed_generators_of
from .call_context import current_path, describe, enter_scope, exit_scope


class LayerWeights:
    """Weights and losses of a layer and the layers inside it (mixed into `Layer`).

    Relies on `Layer` for `_own_variables`, `_trainable`, `_losses`, `_dtype` and
    `_flatten_layers` / `_sublayers` (the tracked sub-layers).
    """

    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        overwrite_with_gradient=False,
        name=None,
    ):
        """Creates a weight `Variable` owned by this layer (Keras 3 argument order).

        Args:
            shape: the weight's shape (default scalar).
            initializer: name, instance or callable; default `glorot_uniform` for floats.
            dtype: default the layer's variable dtype (`layer.dtype`, float32 under the mixed
                policies).
            trainable: False for state such as BatchNormalization's moving statistics.
            autocast: whether a mixed-precision layer reads the weight in its compute dtype
                inside `call` (False keeps it float32 there, as BatchNormalization's).
            regularizer: adds `regularizer(weight)` to the layer's losses.
            constraint: applied to the weight after each optimizer update.
            overwrite_with_gradient: optimizers set the weight to its gradient instead of
                updating it (see `Variable.overwrite_with_gradient`).
            name: the weight's name (`kernel`, `bias`, ...).
        """
        from .. import constraints, initializers, regularizers
        from ..serialization import config_checks

        shape = () if shape is None else tuple(int(s) for s in shape)
        dtype = dtypes.standardize_dtype(dtype or self._dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtypes.is_float(dtype) else "zeros"
        init = initializers.get(initializer)
        name = name or f"variable_{len(self._own_variables)}"
        config_checks.charge_weight(self, name, shape)  # bounded while loading a file
        v = Variable(
            init,
            shape=shape,
            dtype=dtype,
            trainable=trainable,
            name=name,
            autocast=autocast,
            constraint=constraints.get(constraint),
            regularizer=regularizers.get(regularizer),
        )
        pushed = enter_scope(self)
        v.path = f"{current_path()}/{name}"
        exit_scope(pushed)
        v._layer = self
        v.overwrite_with_gradient = overwrite_with_gradient
        self._own_variables.append(v)
        self._track_trainable(v)
        return v

    add_variable = add_weight

    @property
    def weights(self):
        """All weights: this layer's own in creation order, then each sub-layer's."""
        out, seen = [], set()
        for layer in self._flatten_layers():
            for v in layer._own_variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def variables(self):
        """`weights`, then the states of the `keras.random.SeedGenerator`s the layers hold
        (as Keras 3: random state is a variable but not a weight, and is not saved)."""
        return self.weights + self._seed_states()

    def _seed_states(self):
        return [g.state for l in self._flatten_layers() for g in seed_generators_of(l)]

    @property
    def trainable_weights(self):
        if not self._trainable:
            return []
        # a frozen layer freezes its whole subtree, including sub-layers built later
        out, seen, visited = [], set(), set()
        stack = [self]
        while stack:
            layer = stack.pop()
            if id(layer) in visited or not layer._trainable:
                continue
            visited.add(id(layer))
            for v in layer._own_variables:
                if v.trainable and id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
            stack.extend(reversed(layer._sublayers()))
        return out

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in trainable]

    @property
    def non_trainable_variables(self):
        """`non_trainable_weights`, then the layers' random seed states (as Keras 3)."""
        return self.non_trainable_weights + self._seed_states()

    def get_weights(self):
        """The weights as numpy arrays, in creation order (as Keras 3's `get_weights`)."""
        return [np.array(v.data) for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from numpy arrays in the order of `get_weights()`."""
        params = self.weights
        weights = list(weights)
        if len(params) != len(weights):
            raise ValueError(
                f"set_weights on {describe(self)}: expected {len(params)} arrays "
                f"({[v.name for v in params]}), received {len(weights)}."
            )
        for v, w in zip(params, weights):
            w = np.asarray(w)
            if w.shape != v.shape:
                raise ValueError(
                    f"set_weights on {describe(self)}: weight {v.path!r} has shape {v.shape}, "
                    f"received an array of shape {w.shape}."
                )
        for v, w in zip(params, weights):
            v.data[...] = np.asarray(w, dtype=v.dtype)

    def count_params(self):
        """Total number of scalars in all weights."""
        if not self.built:
            raise ValueError(
                f"{describe(self)} is not built yet, so it has no weights to count. Call it on "
                "data or call build(input_shape) first."
            )
        return int(sum(v.size for v in self.weights))

    # -- per-layer saving (keys "0", "1", ... as Keras 3's weights file) -----------------------
    def save_own_variables(self, store):
        for i, v in enumerate(self._own_variables):
            store[str(i)] = v.data

    def load_own_variables(self, store):
        own = self._own_variables
        if len(store) != len(own):
            raise ValueError(
                f"{describe(self)} expects {len(own)} weights, the file holds {len(store)}."
            )
        for i, v in enumerate(own):
            value = np.asarray(store[str(i)])
            if value.shape != v.shape:
                raise ValueError(
                    f"{describe(self)}: weight {v.path!r} expects shape {v.shape}, the file "
                    f"holds {value.shape}."
                )
            v.data[...] = value

    # -- losses ----------------------------------------------------------------------------
    def add_loss(self, loss):
        """Adds a scalar loss (a Tensor) that training adds to the main loss."""
        self._losses.append(loss)

    @property
    def losses(self):
        """Losses from `add_loss` in the last call plus weight regularization penalties."""
        out = []
        for layer in self._flatten_layers():
            out.extend(layer._losses)
            for v in layer._own_variables:
                if v.regularizer is not None and v.trainable:
                    out.append(v.regularizer(v))
        return out

    def _clear_losses(self):
        for layer in self._flatten_layers():
            layer._losses = []
