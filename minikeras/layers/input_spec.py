"""`InputSpec` and the check `Layer.__call__` runs on its first argument (as Keras 3's)."""

from ..core import dtypes


class InputSpec:
    """Describes what a layer accepts: rank limits, fixed axis sizes, dtype or a full shape.

    A layer sets `self.input_spec` to one spec, or a list of specs with one per input tensor;
    calling the layer on inputs that do not match raises a `ValueError` naming the layer, the
    input index, what was expected and what was received.

    Args:
        dtype: the expected dtype.
        shape: a full shape (`None` for free dims, batch included); sets `ndim`.
        ndim: the exact rank.
        max_ndim: the largest rank.
        min_ndim: the smallest rank.
        axes: a dict `{axis: size}` of fixed sizes.
        allow_last_axis_squeeze: accept one more rank if the input's last axis is 1, or one less
            if the spec's last axis is 1 (the `ndim` check is skipped, the shape compared
            without those axes).
        name: the key of this input when the layer is called on a dict.
        optional: whether the input may be `None`.

    >>> import minikeras as keras
    >>> class Rows(keras.layers.Layer):
    ...     def __init__(self, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.input_spec = keras.InputSpec(ndim=2)
    ...     def call(self, x):
    ...         return x
    >>> Rows(name="rows")(keras.ops.ones((2, 3, 4)))
    Traceback (most recent call last):
        ...
    ValueError: Input 0 with name 'None' of layer 'rows' is incompatible with the layer: expected ndim=2, found ndim=3. Full shape received: (2, 3, 4)
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = dtypes.standardize_dtype(dtype) if dtype is not None else None
        if shape is not None:
            self.shape = tuple(None if d is None else int(d) for d in shape)
            self.ndim = len(self.shape)
        else:
            self.shape, self.ndim = None, ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.name, self.optional = name, optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            self.axes = {int(k): v for k, v in (axes or {}).items()}
        except (ValueError, TypeError, AttributeError):
            raise TypeError(
                f"Argument `axes` must be a dict with integer keys. Received: axes={axes}"
            ) from None
        top = self.ndim or self.max_ndim
        if self.axes and top is not None and max(self.axes) > top - 1:
            raise ValueError(
                f"Axis {max(self.axes)} is greater than the maximum allowed value: {top - 1}"
            )

    def __repr__(self):
        parts = [
            f"{k}={getattr(self, k)}"
            for k in ("dtype", "shape", "ndim", "max_ndim", "min_ndim", "axes")
            if getattr(self, k)
        ]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self):
        keys = ("dtype", "shape", "ndim", "max_ndim", "min_ndim", "axes", "optional")
        return {k: getattr(self, k) for k in keys}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _leaves(structure):
    """Leaves in Keras's `tree.flatten` order (dicts by sorted key)."""
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in _leaves(item)]
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure) for leaf in _leaves(structure[k])]
    return [structure]


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises `ValueError` if `inputs` (a tensor or a structure of them) do not match
    `input_spec` (a spec, a structure of specs, or None), as Keras 3's check of the same name."""
    if not input_spec:
        return
    specs = _leaves(input_spec)
    if isinstance(inputs, dict):
        names = [spec.name for spec in specs]
        if all(names):
            for name in names:
                if name not in inputs:
                    raise ValueError(
                        f'Missing data for input "{name}". You passed a data dictionary with '
                        f"keys {list(inputs)}. Expected the following keys: {names}"
                    )
            inputs = [inputs[name] for name in names]
    inputs = _leaves(inputs)
    if len(inputs) != len(specs):
        names = [spec.name for spec in specs if spec is not None]
        if len(names) == len(specs) and all(names):
            example = ", ".join(f"'{n}': ..." for n in names)
            raise ValueError(
                f'Layer "{layer_name}" expects {len(specs)} named input(s) with keys {names}, '
                f"but it received {len(inputs)} input tensors. Pass inputs as a dict, e.g. "
                f"`layer({{{example}}})`."
            )
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
            f"{len(inputs)} input tensors. Inputs received: {inputs}"
        )
    for index, (x, spec) in enumerate(zip(inputs, specs)):
        if spec is not None and not (x is None and spec.optional):
            _check_one(spec, x, index, layer_name)


def _check_one(spec, x, index, layer_name):
    if not hasattr(x, "shape"):
        raise ValueError(
            f"Inputs to a layer should be tensors. Got '{x}' (of type {type(x)}) as input for "
            f"layer '{layer_name}'."
        )
    shape = tuple(None if d is None else int(d) for d in x.shape)
    ndim = len(shape)
    where = (
        f"Input {index} with name '{spec.name}' of layer '{layer_name}' is incompatible with "
        "the layer"
    )
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        raise ValueError(
            f"{where}: expected ndim={spec.ndim}, found ndim={ndim}. Full shape received: {shape}"
        )
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(f"{where}: expected max_ndim={spec.max_ndim}, found ndim={ndim}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(
            f"{where}: expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
            f"Full shape received: {shape}"
        )
    if spec.dtype is not None:
        dtype = dtypes.standardize_dtype(x.dtype)
        if dtype != spec.dtype:
            raise ValueError(f"{where}: expected dtype={spec.dtype}, found dtype={dtype}")
    for axis, value in spec.axes.items():
        if value is not None and -ndim <= axis < ndim and shape[axis] not in (value, None):
            raise ValueError(
                f"{where}: expected axis {axis} of input shape to have value {value}, but "
                f"received input with shape {shape}"
            )
    if spec.shape is not None:
        spec_shape = spec.shape
        if spec.allow_last_axis_squeeze:
            if shape and shape[-1] == 1:
                shape = shape[:-1]
            if spec_shape and spec_shape[-1] == 1:
                spec_shape = spec_shape[:-1]
        for want, got in zip(spec_shape, shape):
            if want is not None and got is not None and want != got:
                raise ValueError(f"{where}: expected shape={spec.shape}, found shape={shape}")
