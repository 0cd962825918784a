"""`DTypePolicyMap`: layer paths (or regular expressions over them) -> dtype policies."""

import re
from collections.abc import MutableMapping

from .dtype_policy import DTypePolicy, QuantizedDTypePolicy


class DTypePolicyMap(DTypePolicy, MutableMapping):
    """A dict from layer paths to `DTypePolicy`s, with a default for paths it does not name.

    A layer holding sublayers can pass one as its `dtype` so that each sublayer (looked up by
    its `layer.path`) gets its own policy, e.g. when only some of them are quantized. A key is
    an exact path or a regular expression matched against the whole path (`re.fullmatch`):
    `"encoder/.*"` covers every path under `encoder/`, `"encoder"` only that one path.

    Args:
        default_policy: the policy for paths with no entry (default: the global policy).
        policy_map: an optional dict of path -> `DTypePolicy`.

    >>> import minikeras as keras
    >>> policies = keras.dtype_policies.DTypePolicyMap(default_policy="float32")
    >>> policies["encoder/.*"] = "bfloat16"
    >>> policies["encoder/dense"].name, policies["decoder/dense"].name
    ('bfloat16', 'float32')
    """

    def __init__(self, default_policy=None, policy_map=None):
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("`default_policy` cannot be a `DTypePolicyMap`.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError(
                "If specified, `policy_map` must be a dict. "
                f"Received: policy_map={policy_map} of type {type(policy_map)}"
            )
        from . import get  # the package's `get` (same floor)

        self._get = get
        self._default_policy_arg = default_policy
        self._default_policy = get(default_policy)
        self._policy_map = policy_map or {}

    @property
    def name(self):
        return f"map_{self.default_policy._name}"

    @property
    def default_policy(self):
        """The policy of paths with no entry (the global policy when none was given)."""
        return self._get(self._default_policy)

    @property
    def variable_dtype(self):
        return self.default_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self.default_policy.compute_dtype

    @property
    def quantization_mode(self):
        return self.default_policy.quantization_mode

    def __getitem__(self, key):
        """The policy of the exact key, else of the one pattern `re.fullmatch`ing it, else the
        default policy.

        Raises:
            ValueError: when the key matches several patterns.
        """
        if key in self._policy_map:
            return self._policy_map[key]
        matching = [pattern for pattern in self._policy_map if re.fullmatch(pattern, key)]
        if len(matching) > 1:
            raise ValueError(
                f"Path '{key}' matches multiple dtype policy specification keys: {matching}. "
                "Please make sure each path only matches at most one dtype policy specification "
                "key in the DTypePolicyMap."
            )
        if matching:
            return self._policy_map[matching[0]]
        return self.default_policy

    def __setitem__(self, key, policy):
        if key in self._policy_map:
            raise ValueError(
                f"{key} already exist in the DTypePolicyMap with value "
                f"{self._policy_map[key]}. Please make sure to not use duplicated keys."
            )
        try:
            policy = self._get(policy)
        except Exception:
            raise ValueError(
                "Cannot interpret the assigned value by `keras.dtype_policies.get`. "
                f"Received: {policy} of type {type(policy)}"
            ) from None
        self._policy_map[key] = policy

    def __delitem__(self, key):
        return self._policy_map.pop(key)

    def __contains__(self, key):
        return key in self._policy_map

    def __len__(self):
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def get_config(self):
        from . import serialize

        policy_map = {}
        for key, policy in self._policy_map.items():
            config = serialize(policy)
            if self._default_policy_arg is None:
                # no default given: the entries' float part follows the global policy of
                # whoever loads the map, so Keras writes their names (sources) as None
                field = "source_name" if isinstance(policy, QuantizedDTypePolicy) else "name"
                config["config"] = {**config["config"], field: None}
            policy_map[key] = config
        default = self._default_policy_arg
        if isinstance(default, DTypePolicy):
            default = serialize(default)
        return {"default_policy": default, "policy_map": policy_map}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from . import deserialize

        config = dict(config)
        config["policy_map"] = {
            key: deserialize(value, custom_objects)
            for key, value in (config.get("policy_map") or {}).items()
        }
        return cls(**config)

    def __repr__(self):
        default = self._default_policy.name if self._default_policy is not None else None
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return f"<DTypePolicyMap at {hex(id(self))} default_policy={default}, mapping={mapping}>"
