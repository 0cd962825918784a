"""`DTypePolicy` and its quantized forms, and the global policy (`keras.config.set_dtype_policy`).

A policy names two dtypes: the *variable* dtype layers create their weights in and the *compute*
dtype they compute (and return) in. `"float32"` or `"float64"` use one dtype for both;
`"mixed_float16"` / `"mixed_bfloat16"` keep float32 variables and compute in float16 / bfloat16.
A quantized policy (`"int8_from_float32"`, `"int4/128_from_float32"`, `"float8_from_float32"`,
...) adds a quantization mode to the float policy it was made from (its *source*).

>>> import minikeras as keras
>>> policy = keras.dtype_policies.DTypePolicy("mixed_float16")
>>> policy.compute_dtype, policy.variable_dtype
('float16', 'float32')
>>> keras.dtype_policies.get("int8_from_float32")
<QuantizedDTypePolicy "int8_from_float32">
"""

from ..core import dtypes, ops
from ..core.tensor import Tensor

# Keras 3.15.1's modes; a policy name starting with one of them is a quantized policy
QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")


class DTypePolicy:
    """A dtype policy for a layer: the dtype of its variables and of its computation.

    Pass one (or its name) as a layer's `dtype=`, or set the default for new layers with
    `keras.config.set_dtype_policy`.

    Args:
        name: a dtype name such as `"float32"` or `"float64"` (both dtypes that dtype), or
            `"mixed_float16"` / `"mixed_bfloat16"` (compute in float16 / bfloat16, variables in
            float32). `None` takes the global policy's name.

    >>> import minikeras as keras
    >>> keras.dtype_policies.DTypePolicy("mixed_bfloat16")
    <DTypePolicy "mixed_bfloat16">
    >>> keras.dtype_policies.DTypePolicy("float64").compute_dtype
    'float64'
    """

    def __init__(self, name=None):
        if name is None:
            name = dtype_policy().name
        self._name = name
        self._compute_dtype, self._variable_dtype = self._parse_name(name)
        self._quantization_mode = None

    def _parse_name(self, name):
        """`(compute_dtype, variable_dtype)` of a policy name."""
        if not isinstance(name, str):
            raise TypeError(
                "'name' must be a string, such as 'mixed_float16'. "
                f"Received: name={name} (of type {type(name)})"
            )
        if name == "mixed_float16":
            return "float16", "float32"
        if name == "mixed_bfloat16":
            return "bfloat16", "float32"
        try:
            dtype = dtypes.standardize_dtype(name)
        except (TypeError, ValueError):
            dtype = None
        if dtype is None or name.startswith("mixed_"):
            raise ValueError(
                f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies "
                "include 'mixed_float16', 'mixed_bfloat16', and the name of any float dtype such "
                "as 'float32'."
            )
        return dtype, dtype

    @property
    def variable_dtype(self):
        """The dtype layers create their variables in (a string)."""
        return self._variable_dtype

    @property
    def compute_dtype(self):
        """The dtype layers cast their float inputs to and compute in (a string)."""
        return self._compute_dtype

    @property
    def name(self):
        """The policy's name, e.g. `"mixed_float16"`."""
        return self._name

    @property
    def quantization_mode(self):
        """The quantization mode (`"int8"`, `"int4"`, ...), or `None` for a float policy."""
        return self._quantization_mode

    def convert_input(self, x, autocast, dtype):
        """Casts a float input to `dtype` when `autocast` is true; other inputs pass unchanged.

        Tensors and symbolic tensors are cast; arrays (anything with `__array__`) become
        tensors first; other values (lists, Python numbers) are returned as they are, as Keras
        does. Integer and bool inputs are never cast.

        Args:
            x: a tensor, symbolic tensor, array or other value.
            autocast: whether float inputs are cast.
            dtype: the target dtype, normally `compute_dtype`.

        Returns:
            `x`, converted and cast as above.
        """
        dtype = dtypes.standardize_dtype(dtype)
        if isinstance(x, Tensor) or hasattr(x, "_keras_history"):
            return ops.cast(x, dtype) if self._should_cast(x, autocast, dtype) else x
        if hasattr(x, "__array__"):
            try:
                x = ops.convert_to_tensor(x)
            except TypeError:
                x = ops.convert_to_tensor(x, dtype=dtype)
            return ops.cast(x, dtype) if self._should_cast(x, autocast, dtype) else x
        return x

    def _should_cast(self, x, autocast, dtype):
        x_dtype = dtypes.standardize_dtype(x.dtype)
        return bool(autocast) and dtypes.is_float(x_dtype) and x_dtype != dtype

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        class_name = type(self).__name__
        if class_name == "FloatDTypePolicy":
            class_name = "DTypePolicy"
        return f'<{class_name} "{self._name}">'

    def __eq__(self, other):
        # a plain policy equals a plain one of the same name (FloatDTypePolicy is the same
        # thing); a quantized policy only one of its own class (Keras 3's rule)
        if type(self) in (DTypePolicy, FloatDTypePolicy):
            if type(other) not in (DTypePolicy, FloatDTypePolicy):
                return False
        elif type(other) is not type(self):
            return False
        return self._name == other._name

    __hash__ = None  # mutable-looking and compared by value, as in Keras 3


class FloatDTypePolicy(DTypePolicy):
    """Keras 3's other name for `DTypePolicy` (configs written by older versions use it).

    Args:
        name: as for `DTypePolicy`.

    >>> import minikeras as keras
    >>> keras.dtype_policies.FloatDTypePolicy("float16")
    <DTypePolicy "float16">
    """


class QuantizedDTypePolicy(DTypePolicy):
    """The policy of a quantized layer: a quantization mode on top of a float policy.

    Its name is `"<mode>_from_<source_name>"`; its compute and variable dtypes are the source
    policy's (float weights that are not quantized, such as a bias, stay in that dtype).

    Args:
        mode: `"int8"`, `"int4"`, `"float8"`, `"gptq"` or `"awq"`.
        source_name: the float policy's name (default: the global policy's).

    >>> import minikeras as keras
    >>> policy = keras.dtype_policies.QuantizedDTypePolicy("int8", "mixed_bfloat16")
    >>> policy.name, policy.compute_dtype, policy.quantization_mode
    ('int8_from_mixed_bfloat16', 'bfloat16', 'int8')
    """

    def __init__(self, mode, source_name=None):
        if source_name is None:
            source_name = dtype_policy().name
        self._compute_dtype, self._variable_dtype = self._parse_name(source_name)
        if mode not in QUANTIZATION_MODES:
            raise ValueError(
                f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. "
                f"Received: mode={mode}"
            )
        if self._compute_dtype == "float16" and mode == "int8":
            raise ValueError(
                f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'."
            )
        self._name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._quantization_mode = mode

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return (
            self._quantization_mode == other._quantization_mode
            and self._source_name == other._source_name
        )

    def get_config(self):
        return {"mode": self._quantization_mode, "source_name": self._source_name}


class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """The `"float8"` policy, which also keeps the length of the amax history windows.

    Args:
        mode: `"float8"`.
        source_name: the float policy's name.
        amax_history_length: how many past absolute maxima the float8 scales are computed
            from (Keras's default 1024).
    """

    default_amax_history_length = 1024

    def __init__(self, mode, source_name=None, amax_history_length=1024):
        super().__init__(mode=mode, source_name=source_name)
        if not isinstance(amax_history_length, int):
            raise TypeError(
                "`amax_history_length` must be an integer. "
                f"Received: amax_history_length={amax_history_length}"
            )
        self._amax_history_length = amax_history_length

    @property
    def amax_history_length(self):
        """The length of the amax history window used for the float8 scales."""
        return self._amax_history_length

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return self._amax_history_length == other._amax_history_length

    def get_config(self):
        return {**super().get_config(), "amax_history_length": self.amax_history_length}


def _mode_fields(mode, algorithm, count, cls_name):
    """The integers of a mode string such as `"int4/128"` or `"gptq/4/128"`."""
    parts = mode.split("/")
    fmt = (
        "'"
        + "/".join(
            [algorithm] + ["<block_size>"]
            if count == 1
            else [algorithm, "<weight_bits>", "<group_size>"]
        )
        + "'"
    )
    if len(parts) != count + 1 or parts[0] != algorithm:
        raise ValueError(f"Invalid mode for {cls_name}. Expected format {fmt}, but got '{mode}'.")
    try:
        # per-channel int4 was once written "int4/None"; it means block size -1
        return [-1 if (p == "None" and algorithm == "int4") else int(p) for p in parts[1:]]
    except ValueError:
        raise ValueError(
            f"Invalid mode for {cls_name}. The numbers in the mode must be integers. Expected "
            f"format {fmt}, but got '{mode}'."
        ) from None


def _check_group(size, what, mode):
    if size < -1 or size == 0:
        raise ValueError(
            f"Invalid {what} in mode. Supported values are -1 (per-channel) or a positive "
            f"integer, but got {size} from '{mode}'."
        )


class Int4DTypePolicy(QuantizedDTypePolicy):
    """The int4 policy with its block size: mode `"int4/<block_size>"` (`-1`: one scale per
    output channel; a positive size: one scale and zero point per block of input rows).

    >>> import minikeras as keras
    >>> keras.dtype_policies.get("int4/128_from_float32").block_size
    128
    """

    def __init__(self, mode, source_name=None):
        (block_size,) = _mode_fields(mode, "int4", 1, "Int4DTypePolicy")
        _check_group(block_size, "block_size", mode)
        super().__init__(mode="int4", source_name=source_name)
        self._name = f"int4/{block_size}_from_{self._source_name}"
        self.mode = "int4"
        self.block_size = block_size

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return self.block_size == other.block_size

    def get_config(self):
        return {**super().get_config(), "mode": f"int4/{self.block_size}"}


class _GroupedDTypePolicy(QuantizedDTypePolicy):
    """GPTQ / AWQ policies: mode `"<algorithm>/<weight_bits>/<group_size>"`."""

    _algorithm = None
    _bits = ()

    def __init__(self, mode, source_name=None):
        weight_bits, group_size = _mode_fields(mode, self._algorithm, 2, type(self).__name__)
        if weight_bits not in self._bits:
            raise ValueError(
                f"Invalid weight_bits in mode. Supported values are {list(self._bits)}, but got "
                f"{weight_bits} from '{mode}'."
            )
        _check_group(group_size, "group_size", mode)
        super().__init__(mode=self._algorithm, source_name=source_name)
        self._name = f"{mode}_from_{source_name}"
        self.mode = self._algorithm
        self.weight_bits = weight_bits
        self.group_size = group_size

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return (self.weight_bits, self.group_size) == (other.weight_bits, other.group_size)

    def get_config(self):
        mode = f"{self.mode}/{self.weight_bits}/{self.group_size}"
        return {**super().get_config(), "mode": mode}


class GPTQDTypePolicy(_GroupedDTypePolicy):
    """The GPTQ policy, mode `"gptq/<weight_bits>/<group_size>"` (bits 2, 3, 4 or 8)."""

    _algorithm = "gptq"
    _bits = (2, 3, 4, 8)


class AWQDTypePolicy(_GroupedDTypePolicy):
    """The AWQ policy, mode `"awq/4/<group_size>"` (AWQ quantizes to 4 bits only)."""

    _algorithm = "awq"
    _bits = (4,)


def quantized_policy_from_name(policy):
    """The quantized policy a name such as `"int8_from_float32"` stands for."""
    if not isinstance(policy, str):
        raise TypeError(f"`policy` must be a string. Received: policy={policy}")
    if not policy.startswith(QUANTIZATION_MODES):
        raise ValueError("`policy` is incompatible with the current supported quantization.")
    parts = policy.split("_from_")
    if len(parts) != 2:
        raise ValueError(
            "Cannot convert `policy` into a valid pair (`mode`, `source_name`) to instantiate "
            f"`QuantizedDTypePolicy`. Received: policy={policy}"
        )
    mode, source_name = parts
    if mode.startswith("int4") and "/" in mode:
        return Int4DTypePolicy(mode, source_name)
    if mode.startswith("gptq"):
        return GPTQDTypePolicy(mode, source_name)
    if mode.startswith("awq"):
        return AWQDTypePolicy(mode, source_name)
    if mode.startswith("float8"):
        return QuantizedFloat8DTypePolicy(mode, source_name)
    return QuantizedDTypePolicy(mode, source_name)


_GLOBAL_POLICY = None  # set on first use, from floatx (as Keras 3)


def set_dtype_policy(policy):
    """Sets the default dtype policy of layers created from now on.

    Also `keras.mixed_precision.set_global_policy` / `set_dtype_policy`.

    Args:
        policy: a `DTypePolicy` or a policy name (`"mixed_float16"`, `"float32"`,
            `"int8_from_float32"`, ...).

    >>> import minikeras as keras
    >>> keras.config.set_dtype_policy("mixed_float16")
    >>> keras.config.dtype_policy()
    <DTypePolicy "mixed_float16">
    >>> keras.config.set_dtype_policy("float32")
    """
    global _GLOBAL_POLICY
    if not isinstance(policy, DTypePolicy):
        if not isinstance(policy, str):
            raise ValueError(
                "Invalid `policy` argument. Expected the string name of a policy (such as "
                "'mixed_float16') or a `DTypePolicy` instance. "
                f"Received: policy={policy} (of type {type(policy)})"
            )
        if policy.startswith(QUANTIZATION_MODES):
            policy = quantized_policy_from_name(policy)
        else:
            policy = DTypePolicy(policy)
    _GLOBAL_POLICY = policy


def dtype_policy():
    """Returns the default dtype policy (`DTypePolicy(floatx())` until one is set).

    Also `keras.mixed_precision.global_policy` / `dtype_policy`.

    Returns:
        The global `DTypePolicy`.

    >>> import minikeras as keras
    >>> keras.config.dtype_policy()
    <DTypePolicy "float32">
    """
    if _GLOBAL_POLICY is None:
        set_dtype_policy(DTypePolicy(dtypes.floatx()))
    return _GLOBAL_POLICY


def reset_dtype_policy():
    """Forgets the global policy (as `keras.utils.clear_session` does in Keras 3)."""
    global _GLOBAL_POLICY
    _GLOBAL_POLICY = None
