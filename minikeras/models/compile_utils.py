"""What `compile` builds: the total loss over outputs and the metrics shown in the logs."""

import warnings
from collections import deque

import numpy as np

from ..core import dtypes, ops
from ..core.tensor import Tensor
from ..layers.node import flatten


def _per_output(value, names, what):
    """Spreads a loss/metrics spec (single, list or dict) over the model's outputs."""
    n = len(names)
    if isinstance(value, dict):
        unknown = [k for k in value if k not in names]
        if unknown:
            # Keras 3 raises KeyError for a loss path the outputs do not have
            error = KeyError if what == "loss" else ValueError
            raise error(
                f"compile({what}=...) names output(s) {unknown} that the model does not have. "
                f"Its outputs are {names}."
            )
        return [value.get(k) for k in names]
    if isinstance(value, (list, tuple)) and what == "loss":
        if len(value) > n or n == 1 and len(value) != 1:
            raise (KeyError if n > 1 else ValueError)(
                f"compile(loss=[...]) has {len(value)} entries but the model has {n} outputs {names}."
            )
        # Keras 3 walks the loss list: outputs past its end get no loss
        return list(value) + [None] * (n - len(value))
    if isinstance(value, (list, tuple)) and what == "loss_weights":
        if len(value) != n:
            raise ValueError(f"loss_weights has {len(value)} entries for {n} outputs.")
        return list(value)
    return [value] * n


def _check_loss_weights(loss, loss_weights):
    """Keras 3's rule: `loss_weights` has the structure of `loss`, or as many entries."""

    def leaves(v):
        if isinstance(v, dict):
            return list(v.values())
        return list(v) if isinstance(v, (list, tuple)) else [v]

    same = (
        isinstance(loss, dict)
        and isinstance(loss_weights, dict)
        and set(loss) == set(loss_weights)
        or isinstance(loss, (list, tuple))
        and isinstance(loss_weights, (list, tuple))
        and len(loss) == len(loss_weights)
    )
    if isinstance(loss, (dict, list, tuple)) and not isinstance(loss_weights, (dict, list, tuple)):
        raise TypeError(  # Keras 3 fails taking len() of the scalar
            f"`loss_weights` must be a list or dict with one weight per loss when `loss` is a "
            f"{type(loss).__name__}. Received: loss_weights={loss_weights!r}"
        )
    if not same and len(leaves(loss)) != len(leaves(loss_weights)):
        raise ValueError(
            "`loss_weights` must match the number of losses, got "
            f"{len(leaves(loss))} losses and {len(leaves(loss_weights))} weights. Received: "
            f"loss={loss!r}, loss_weights={loss_weights!r}"
        )


class _Unresolved:
    """A loss identifier that did not resolve: Keras 3 raises when the first batch needs it."""

    def __init__(self, identifier, error):
        self.identifier, self.error = identifier, error

    def fail(self):
        raise self.error


def _get_loss(identifier):
    from .. import losses

    if _is_auto_crossentropy(identifier):
        return identifier  # resolved from the first batch's shapes
    try:
        return losses.get(identifier)
    except ValueError as e:  # Keras 3 resolves losses at the first batch, so fails there
        return _Unresolved(identifier, e)


def _is_auto_crossentropy(loss):
    return isinstance(loss, str) and loss.lower() in ("crossentropy", "ce")


def _auto_crossentropy(y_true, y_pred):
    """Keras 3's choice for `loss="crossentropy"`: binary for one output unit, sparse when the
    targets have a lower rank (or one column against several), else categorical."""
    from .. import losses

    yt_shape, yp_shape = np.shape(getattr(y_true, "data", y_true)), tuple(y_pred.shape)
    if yp_shape[-1] == 1:
        return losses.get("binary_crossentropy")
    if len(yt_shape) < len(yp_shape) or yt_shape[-1] == 1 and yp_shape[-1] > 1:
        return losses.get("sparse_categorical_crossentropy")
    return losses.get("categorical_crossentropy")


class CompileLoss:
    """Sums each output's loss (times its `loss_weights`) and tracks the per-output values."""

    def __init__(self, loss, loss_weights=None, output_names=None):

        self.spec = loss
        self.output_names = output_names or ["output"]
        per = _per_output(loss, self.output_names, "loss")
        # "crossentropy" / "ce" pick their kind from the first batch's shapes (Keras 3)
        self.losses = [None if l is None else _get_loss(l) for l in per]
        if loss_weights is None:
            self.weights = [1.0] * len(per)
        else:
            _check_loss_weights(loss, loss_weights)
            self.weights = [
                1.0 if w is None else float(w)
                for w in _per_output(loss_weights, self.output_names, "loss_weights")
            ]
        self.last_values = {}

    @property
    def has_loss(self):
        """One flag per output: whether it has a loss (a `None` loss trains nothing on it)."""
        return [fn is not None for fn in self.losses]

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_pred = flatten(y_pred) if isinstance(y_pred, (list, tuple, dict)) else [y_pred]
        y_true = align_targets(y_true, self.output_names, self.has_loss)
        sws = align_sample_weights(sample_weight, self.output_names, self.has_loss)
        for name, fn, yt in zip(self.output_names, self.losses, y_true):
            if fn is not None and yt is None:
                raise ValueError(
                    f"Output '{name}' has a loss in compile() but no target was given for it "
                    "(its entry of `y` is None)."
                )
        total = None
        self.last_values = {}
        for name, fn, w, yt, yp, sw in zip(
            self.output_names, self.losses, self.weights, y_true, y_pred, sws
        ):
            if fn is None:
                continue
            if isinstance(fn, _Unresolved):
                fn.fail()
            if _is_auto_crossentropy(fn):
                fn = self.losses[self.output_names.index(name)] = _auto_crossentropy(yt, yp)
            value = apply_loss(fn, yt, yp, sw)
            self.last_values[name] = value
            term = value if w == 1.0 else value * w
            total = term if total is None else total + term
        if total is None:
            raise ValueError("compile() got no loss for any output.")
        return total


def align_targets(y_true, names, has_loss, what="target arrays"):
    """The targets as one entry per output (`None` where an output gets no target).

    As in Keras 3, `y` may have one entry per output (`None` placeholders allowed), or only
    as many entries as there are outputs with a loss (a single array when one output has a
    loss: `compile(loss=[fn, None])` then `fit(x, y)`); those fill the outputs with a loss,
    in order. A dict `y` is read by output name.
    """
    n = len(names)
    if isinstance(y_true, dict) and y_true and all(k in names for k in y_true):
        return [y_true.get(k) for k in names]
    flat = flatten(y_true) if isinstance(y_true, (list, tuple, dict)) else [y_true]
    if len(flat) == n:
        return flat
    wanted = [i for i in range(n) if has_loss[i]]
    if len(flat) == len(wanted) and len(wanted) < n:
        out = [None] * n
        for i, value in zip(wanted, flat):
            out[i] = value
        return out
    with_loss = [names[i] for i in wanted]
    raise ValueError(
        f"The model has {n} outputs {names} but {len(flat)} {what} were given. Give one per "
        f"output (None for an output without a loss) or one per output with a loss "
        f"{with_loss}."
    )


def align_sample_weights(sample_weight, names, has_loss):
    """Sample weights per output: a structure is spread as `align_targets` does; a single
    array (or None) applies to every output."""
    if isinstance(sample_weight, (list, tuple, dict)):
        return align_targets(sample_weight, names, has_loss, what="sample weight arrays")
    return [sample_weight] * len(names)


def apply_loss(fn, y_true, y_pred, sample_weight=None):
    """A scalar loss: `Loss` objects reduce themselves; plain functions are averaged."""
    from .. import losses

    yt = y_true.data if isinstance(y_true, Tensor) else np.asarray(y_true)
    if isinstance(fn, losses.Loss):
        return fn(yt, y_pred, sample_weight=sample_weight)
    if isinstance(y_pred, Tensor) and y_pred.dtype.itemsize == 2 and dtypes.is_float(y_pred.dtype):
        # a mixed-precision output: Keras wraps loss functions in a floatx `Loss`, which
        # computes in float32 (squared errors overflow float16)
        y_pred = ops.cast(y_pred, dtypes.floatx())
    values = fn(yt, y_pred)
    if sample_weight is not None:
        sw = np.asarray(sample_weight, dtype=values.dtype)
        while sw.ndim < values.ndim:
            sw = sw[..., None]
        values = values * sw
    return ops.sum(values) / max(int(np.prod(values.shape)), 1)


def _flat_metrics(spec):
    """The metrics of a nested list/dict spec in order (dict values by sorted key)."""
    if isinstance(spec, dict):
        return [m for k in sorted(spec) for m in _flat_metrics(spec[k])]
    if isinstance(spec, (list, tuple)):
        return [m for item in spec for m in _flat_metrics(item)]
    return [spec]


class CompileMetrics:
    """The metrics named in `compile`, built on the first batch (when shapes are known)."""

    def __init__(self, metrics, weighted_metrics=None, output_names=None, has_loss=None):
        for arg, spec in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if spec and not isinstance(spec, (list, tuple, dict)):
                raise ValueError(
                    f"Expected `{arg}` argument to be a list, tuple, or dict. Received "
                    f"instead: {arg}={spec!r} of type {type(spec)}"
                )
        self.spec = metrics
        self.weighted_spec = weighted_metrics
        self.output_names = output_names or ["output"]
        # which outputs have a compiled loss: how a `y` with fewer entries than outputs is
        # spread (see `align_targets`); outputs given no target get no metrics, as in Keras 3
        self.has_loss = list(has_loss) if has_loss is not None else [True] * len(self.output_names)
        self.built = False
        self.metrics = []  # (output index, metric, weighted)
        self.name = "compile_metrics"

    def _resolve(self, spec, index, yt, yp, weighted):
        from .. import metrics as mk_metrics

        if spec is None:  # no metrics for this output
            return []
        items = spec if isinstance(spec, (list, tuple)) else [spec]
        out = []
        for item in items:
            if item is None:  # Keras 3: a None inside a metrics list is an error
                raise ValueError("Expected metric, received `None`")
            m = mk_metrics.resolve_metric(item, np.shape(yt), tuple(yp.shape))
            out.append((index, m, weighted))
        return out

    def build(self, y_true, y_pred):
        names = self.output_names
        for spec, weighted in ((self.spec, False), (self.weighted_spec, True)):
            if spec is None:
                continue
            arg = "weighted_metrics" if weighted else "metrics"
            if len(names) == 1:  # Keras 3 flattens any nesting for one output
                per = [_flat_metrics(spec)]
            elif isinstance(spec, dict):
                per = _per_output(spec, names, arg)
            elif isinstance(spec, (list, tuple)) and len(spec) == len(names):
                per = list(spec)  # one entry (a metric or a list) per output, as Keras 3
            else:
                raise ValueError(
                    f"Invalid `{arg}`: the model has {len(names)} outputs {names}, so `{arg}` "
                    "must be a dict keyed by output name or a list with one entry (a metric "
                    f"or a list of metrics) per output. Received: {arg}={spec!r}"
                )
            for i, s in enumerate(per):
                if y_true[i] is None:
                    continue  # no target for this output (its loss is None): no metrics
                self.metrics.extend(self._resolve(s, i, y_true[i], y_pred[i], weighted))
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = flatten(y_pred) if isinstance(y_pred, (list, tuple, dict)) else [y_pred]
        y_true = align_targets(y_true, self.output_names, self.has_loss)
        if not self.built:
            self.build(y_true, y_pred)
        sws = align_sample_weights(sample_weight, self.output_names, self.has_loss)
        for index, m, weighted in self.metrics:
            yt = y_true[index]
            if yt is None:
                continue
            yp = y_pred[index]
            yp = yp.data if isinstance(yp, Tensor) else np.asarray(yp)
            yt = yt.data if isinstance(yt, Tensor) else np.asarray(yt)
            m.update_state(yt, yp, sample_weight=sws[index] if weighted else None)

    def result_names(self):
        """The log key of each metric, as Keras 3 names them: `<output>_<name>` when the model
        has several outputs; a repeated unweighted name gets `_1`, `_2`...; a weighted metric
        whose name is taken becomes `weighted_<name>` (then numbered). The metric objects keep
        their own names."""
        seen, keys = {}, []
        for index, m, weighted in self.metrics:
            prefix = f"{self.output_names[index]}_" if len(self.output_names) > 1 else ""
            key = prefix + m.name
            if key in seen and weighted:
                key = f"{prefix}weighted_{m.name}"
            if key in seen:
                seen[key] += 1
                key = f"{key}_{seen[key] - 1}"
            else:
                seen[key] = 1
            keys.append(key)
        return keys

    def result(self):
        return {k: m.result() for k, (_, m, _) in zip(self.result_names(), self.metrics)}

    def reset_state(self):
        for _, m, _ in self.metrics:
            m.reset_state()

    @property
    def variables(self):
        return [v for _, m, _ in self.metrics for v in getattr(m, "variables", [])]


def loss_scaled(model, optimizer, auto_scale_loss):
    """`optimizer`, wrapped in a `LossScaleOptimizer` when `auto_scale_loss` and the model's
    policy is `"mixed_float16"` (as Keras 3's compile: float16 gradients underflow without loss
    scaling; bfloat16 has float32's exponent range and is left alone)."""
    from ..optimizers import LossScaleOptimizer

    if (
        auto_scale_loss
        and model.dtype_policy.name == "mixed_float16"
        and optimizer is not None
        and not isinstance(optimizer, LossScaleOptimizer)
    ):
        return LossScaleOptimizer(optimizer, name="loss_scale_optimizer")
    return optimizer


def pythonify_logs(logs):
    """Logs as Keras's callbacks see them: nested dicts flattened, keys sorted, floats where
    a value converts to one (non-scalar results stay numpy arrays)."""
    out = {}
    for k, v in sorted((logs or {}).items()):
        if isinstance(v, dict):
            out.update(pythonify_logs(v))
        else:
            if isinstance(v, Tensor):
                v = np.array(v.data)  # a snapshot, as Keras converts tensors to numpy
            if isinstance(v, np.ndarray) and v.size == 1:
                v = v.reshape(())
            try:
                out[k] = float(v)
            except (TypeError, ValueError):
                out[k] = v  # e.g. F1Score(average=None)'s per-class array, kept as Keras does
    return out


_LOSS_MEAN = []


def loss_tracker(name):
    """A `keras.metrics.Mean` (as Keras tracks losses) whose update takes a float batch loss
    weighted by the batch size without the general per-sample path (one step's overhead)."""
    if not _LOSS_MEAN:
        from ..metrics import Mean

        class LossMean(Mean):
            def update_state(self, values, sample_weight=None):
                if isinstance(values, float) and isinstance(sample_weight, int):
                    self.total.data[()] += values * sample_weight  # in place: 0-d state arrays
                    self.count.data[()] += sample_weight
                else:
                    super().update_state(values, sample_weight)

        LossMean.__name__ = LossMean.__qualname__ = "Mean"
        _LOSS_MEAN.append(LossMean)
    return _LOSS_MEAN[0](name=name)


class CompiledLoss:
    """`model.compiled_loss(y, y_pred, sample_weight, regularization_losses)`, the Keras 2 API.

    Keras 3 keeps it only as a deprecated shim (TensorFlow backend); this one behaves as Keras 2
    did: the compiled loss plus the given `regularization_losses`, recorded in the `loss` metric.
    """

    def __init__(self, model):
        self.model = model

    def __call__(self, y, y_pred, sample_weight=None, regularization_losses=None):
        warnings.warn(
            "`model.compiled_loss(...)` is deprecated in Keras 3; call "
            "`model.compute_loss(x, y, y_pred, sample_weight)` instead.",
            stacklevel=2,
        )
        model = self.model
        total = model._compile_loss(y, y_pred, sample_weight)
        for extra in regularization_losses or []:
            total = total + extra
        batch = model._batch_size_of(y_pred)
        model._loss_tracker.update_state(float(total.data), sample_weight=batch)
        model._track_output_losses(batch)
        return total

    def __getattr__(self, name):  # output_names, losses, ... of the underlying CompileLoss
        return getattr(self.model._compile_loss, name)


def logged_names(model, trainer_class):
    """The keys `fit`'s epoch logs can hold for `model` (ModelCheckpoint checks its filepath
    template against them), or None when they cannot be known: the model overrides one of
    `trainer_class`'s steps, and custom steps log what they like."""
    for method in ("train_step", "test_step", "compute_metrics"):
        mine = getattr(type(model), method, None)
        if mine is not None and mine is not getattr(trainer_class, method, None):
            return None  # custom steps log what they like
    names = {"loss"}
    outputs = model._output_names_for_compile()
    names.update(f"{o}_loss" for o in outputs)
    compiled = model.__dict__.get("_compile_metrics")
    if compiled is not None:
        for spec, weighted in ((compiled.spec, False), (compiled.weighted_spec, True)):
            for base in _spec_names(spec):
                for name in (base, *(f"{o}_{base}" for o in outputs)):
                    names.add(f"weighted_{name}" if weighted else name)
                    names.add(name)
        names.update(compiled.result_names())
    try:
        names.update(m.name for m in model.metrics)
    except Exception:  # metrics of half-built layers: skip, the rest still helps
        pass
    names.discard("compile_metrics")
    known = names | {f"val_{n}" for n in names}
    return known | {"epoch", "batch", "learning_rate"}


def _spec_names(spec):
    if spec is None:
        return []
    if isinstance(spec, dict):
        return [n for v in spec.values() for n in _spec_names(v)]
    if isinstance(spec, (list, tuple)):
        return [n for v in spec for n in _spec_names(v)]
    if isinstance(spec, str):
        return [spec]
    name = getattr(spec, "name", None)
    return [name if isinstance(name, str) else getattr(spec, "__name__", "metric")]


def keras_layer_order(model):
    """The sub-layers in the order Keras 3's `_flatten_layers(include_self=False)` visits them:
    a deque popped from the left, each layer's children pushed back on its left (reversed)."""
    out, seen = [], set()
    queue = deque(model._sublayers())
    while queue:
        layer = queue.popleft()
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        out.append(layer)
        queue.extendleft(layer._sublayers())
    return out
