"""`LayerDTypes`: the part of `Layer` that holds its dtype policy (Keras 3's mixed precision).

A layer's policy names two dtypes: variables are created in `variable_dtype` (`layer.dtype`, as
Keras 3), float inputs are cast to `compute_dtype`, and inside `call` the layer reads its own
float variables in `compute_dtype` (Keras's `AutocastScope`). With a `float32` policy both are
the same and nothing is cast. A `DTypePolicyMap` gives each layer the policy of its path.
"""

from ..core import dtypes
from ..core.ops.conversion import cast
from ..core.variable import Variable
from ..dtype_policies import DTypePolicyMap, get as get_policy


class LayerDTypes:
    """Dtype policy of a layer (mixed into `Layer`).

    Keeps `_dtype` (the variable dtype, what `add_weight` uses), `_compute_dtype` (what float
    inputs are cast to) and `_autocast_to` (the dtype own variables are read in during `call`,
    None when they are used as they are) up to date with the policy.
    """

    def _set_dtype_policy(self, value):
        try:
            policy = get_policy(value)
        except (TypeError, ValueError) as e:
            raise ValueError(
                f"{type(self).__name__} '{self.__dict__.get('name')}': cannot interpret "
                f"dtype={value!r} as a dtype policy ({e})"
            ) from None
        object.__setattr__(self, "_dtype_policy", policy)
        # a map's entry depends on the layer's path, known at its first call or build
        self._resolve_on_call = isinstance(policy, DTypePolicyMap)
        self._resolve_dtypes()

    def _resolve_dtypes(self):
        """Caches the dtypes of the policy (of this layer's path, for a `DTypePolicyMap`)."""
        policy = self._policy_for_path()
        compute, variable = policy.compute_dtype, policy.variable_dtype
        self._dtype = variable
        self._compute_dtype = compute
        mixed = compute != variable and dtypes.is_float(compute)
        self._autocast_to = compute if mixed and self.__dict__.get("autocast", True) else None

    def _policy_for_path(self):
        policy = self._dtype_policy
        if isinstance(policy, DTypePolicyMap):
            return policy[self.path]
        return policy

    @property
    def path(self):
        """The layer's path (`encoder/dense`): its parent name scope, then its name."""
        parent = self.__dict__.get("_parent_path")
        return f"{parent}/{self.name}" if parent else self.name

    @property
    def dtype_policy(self):
        """The layer's `DTypePolicy` (or `DTypePolicyMap`)."""
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        policy = get_policy(value)
        current = self._dtype_policy
        if isinstance(current, DTypePolicyMap) and not isinstance(policy, DTypePolicyMap):
            if self.path in current:  # as Keras: the map's entry for this layer is replaced
                del current[self.path]
            current[self.path] = policy
            self._resolve_dtypes()
        else:
            self._set_dtype_policy(policy)

    @property
    def dtype(self):
        """The dtype of the layer's variables (`variable_dtype`, as in Keras 3)."""
        return self._dtype

    @property
    def variable_dtype(self):
        """The dtype the layer creates its variables in."""
        return self._dtype

    @property
    def compute_dtype(self):
        """The dtype the layer casts float inputs to and computes in."""
        return self._compute_dtype

    @property
    def input_dtype(self):
        """The dtype float inputs are converted to (the compute dtype)."""
        return self._compute_dtype

    @property
    def quantization_mode(self):
        """The policy's quantization mode (`"int8"`, ...), None for a float policy."""
        return self._policy_for_path().quantization_mode

    def _cast_own_variables(self, dtype):
        """Puts a `dtype` cast of each float variable attribute with `autocast` in place of the
        variable (differentiable: gradients reach the variable in its own dtype); returns the
        replaced `(name, variable)` pairs for `_restore_own_variables`."""
        replaced = []
        attrs = self.__dict__
        for key, value in list(attrs.items()):
            if (
                isinstance(value, Variable)
                and value._autocast
                and value.data.dtype.name != dtype
                and dtypes.is_float(value.data.dtype)
            ):
                replaced.append((key, value))
                attrs[key] = cast(value, dtype)
        return replaced

    def _restore_own_variables(self, replaced):
        attrs = self.__dict__
        for key, value in replaced:
            attrs[key] = value
