"""`compile`, `fit`, `evaluate`, `predict` and their batch-level forms (mixed into `Model`).

The steps call the overridable hooks as Keras 3 does: `train_step(data)`, `test_step(data)`,
`predict_step(data)`, `compute_loss(x, y, y_pred, sample_weight, training=True)` (called without
`training` when an override does not take it, as Keras-3.0-era overrides with `allow_empty` do),
`compute_metrics(x, y, y_pred, sample_weight)` and `get_metrics_result()`.
"""

import inspect
import weakref

import numpy as np

from .. import config
from ..callbacks.callback import Callback, CallbackList
from ..callbacks.history import History
from ..core.autodiff import GradientTape, no_grad
from ..core.tensor import Tensor
from ..distribution import data_parallel
from ..layers.node import flatten
from . import compile_utils, data_adapter
from .step_outputs import aggregate_additional_loss as _aggregate_additional_loss
from .step_outputs import concat_batches as _concat
from .step_outputs import snapshot_logs
from .step_outputs import to_numpy as _to_numpy
from .compile_utils import CompiledLoss, CompileLoss, CompileMetrics, loss_tracker, pythonify_logs


def _verbose(verbose):
    if verbose == "auto":
        return data_parallel.chief_verbose(1)
    if verbose not in (0, 1, 2, True, False):
        raise ValueError(f"verbose must be 0, 1, 2 or 'auto'. Received: verbose={verbose!r}")
    return data_parallel.chief_verbose(int(verbose))  # keras.distribution: rank 0 prints


def _quiet(step, data):
    """Runs a step without numpy's floating-point warnings: Keras's backends compute inf and NaN
    silently (a diverging run shows in its logs, `TerminateOnNaN` stops it)."""
    with np.errstate(all="ignore"):
        return step(data)


class Trainer:
    """Training entry points, following Keras 3's `Model` API."""

    def _init_trainer(self):
        self.optimizer = None
        self.compiled = False
        self.loss = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self.stop_training = False
        self.history = None
        self._compile_config = None
        self.steps_per_execution = 1
        self.run_eagerly = False
        self.jit_compile = False

    # -- compile -------------------------------------------------------------------------------
    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
    ):
        """Configures the model for training.

        Args:
            optimizer: name (`"adam"`) or optimizer instance.
            loss: name, function or `Loss`; a list or dict for several outputs.
            loss_weights: scalar weights of the per-output losses.
            metrics: names, functions or `Metric`s (`"accuracy"` resolves as in Keras).
            weighted_metrics: metrics that take `sample_weight` into account.
            steps_per_execution: batches run per execution: the batch callbacks are called once
                per group of this many batches (begin with the group's first step index, end
                with `first + steps_per_execution - 1`, as Keras 3), so progress bars and
                callbacks update less often.
            auto_scale_loss: when the model's dtype policy is `"mixed_float16"`, wrap the
                optimizer in a `LossScaleOptimizer` (dynamic loss scaling), as Keras 3 does.

        >>> import minikeras as keras
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        """
        from .. import optimizers

        if not isinstance(steps_per_execution, int) or steps_per_execution < 1:
            raise ValueError(
                "`steps_per_execution` must be a positive integer. Received: "
                f"steps_per_execution={steps_per_execution!r}"
            )
        self.optimizer = compile_utils.loss_scaled(self, optimizers.get(optimizer), auto_scale_loss)
        self.steps_per_execution = steps_per_execution
        # as Keras 3 on its torch backend: "auto" resolves to False, and so does True when
        # running eagerly (minikeras always runs eagerly; the flags are recorded only)
        self.run_eagerly = run_eagerly
        self.jit_compile = bool(jit_compile is True and not run_eagerly)
        names = self._output_names_for_compile()
        self.loss = loss
        self._compile_loss = CompileLoss(loss, loss_weights, names) if loss is not None else None
        self._compile_metrics = None
        if metrics is not None or weighted_metrics is not None:
            has_loss = self._compile_loss.has_loss if self._compile_loss is not None else None
            self.__dict__["_compile_metrics"] = CompileMetrics(
                metrics, weighted_metrics, names, has_loss
            )
        # compile's own trackers are not tracked as attribute metrics (Keras 3 compiles
        # without dependency tracking), so a recompile leaves no stale "loss" behind
        self.__dict__["_loss_tracker"] = loss_tracker("loss")
        self.__dict__.pop("_per_output_trackers", None)
        self.compiled = True
        self._compile_config = {
            "optimizer": optimizer if isinstance(optimizer, str) else None,
            "loss": loss,
            "loss_weights": loss_weights,
            "metrics": metrics,
            "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution,
            "jit_compile": jit_compile,
        }

    def _output_names_for_compile(self):
        names = getattr(self, "output_names", None)
        return list(names) if names else ["output"]

    def _logged_names(self):
        """The keys `fit`'s epoch logs can hold; None when custom steps decide them."""
        return compile_utils.logged_names(self, Trainer)

    def _assert_compiled(self, what):
        if not self.compiled or self.optimizer is None:
            # Keras 3's types: ValueError, and AttributeError from evaluate (its missing
            # `optimizer` attribute)
            error = AttributeError if what == "evaluate" else ValueError
            raise error(f"You must call `compile()` before using the model (model.{what}()).")

    @property
    def compiled_loss(self):
        """Keras 2's callable loss container (deprecated in Keras 3); `None` without a loss."""
        return CompiledLoss(self) if self._compile_loss is not None else None

    @property
    def compiled_metrics(self):
        """The compiled metrics, as one metric whose `result()` is a dict (Keras 2 API)."""
        if self._compile_metrics is None and self.compiled:
            return CompileMetrics(None, None, self._output_names_for_compile())
        return self._compile_metrics

    @property
    def metrics(self):
        """Keras 3's order: the `loss` tracker, the compiled metrics (one `compile_metrics`
        entry), the per-output loss trackers, metrics assigned as attributes of the model, then
        each sub-layer's `metrics` (nested models' own trackers left out). As in Keras 3, a
        metric of a layer nested two deep is listed twice (its parent's `metrics` include it);
        logs hold it once."""
        out = []
        if self.compiled:
            if self._loss_tracker is not None:
                out.append(self._loss_tracker)
            if self._compile_metrics is not None:
                out.append(self._compile_metrics)
            out.extend(self.__dict__.get("_per_output_trackers", {}).values())
        out += self._attribute_metrics()
        for layer in compile_utils.keras_layer_order(self):
            if not isinstance(layer, Trainer):
                out.extend(layer.metrics)
        return out

    def _attribute_metrics(self):
        """Metrics the model holds as attributes (or in lists), which Keras 3 tracks; compile's
        own trackers are stored untracked."""
        return list(self.__dict__.get("_tracked_metrics", ()))

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def _output_loss_trackers(self):
        """`<output>_loss` running means, logged when several outputs have a loss (Keras 3.5+;
        an output whose loss is None has none, and one loss alone is just `loss`)."""
        loss = self._compile_loss
        if loss is None or sum(loss.has_loss) < 2:
            return {}
        trackers = self.__dict__.setdefault("_per_output_trackers", {})
        for name, fn in zip(loss.output_names, loss.losses):
            if fn is not None and name not in trackers:
                trackers[name] = loss_tracker(f"{name}_loss")
        return trackers

    def _track_output_losses(self, batch_size):
        trackers = self._output_loss_trackers()
        for name, value in (self._compile_loss.last_values if trackers else {}).items():
            trackers[name].update_state(float(value.data), sample_weight=batch_size)

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    # -- steps -----------------------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss plus every `add_loss` / regularization loss of the model.

        Override it for a custom loss (Keras 3 signature; `x` and `training` are unused here).
        An override may leave out `training` (Keras < 3.3 overrides took `allow_empty` instead):
        the steps then call it with `(x, y, y_pred, sample_weight)` only, as Keras does.

        Returns:
            The total loss, a scalar tensor.
        """
        total = None
        if self._compile_loss is not None and y is not None:
            total = self._compile_loss(y, y_pred, sample_weight)
        for extra in self.losses:
            extra = _aggregate_additional_loss(extra)
            total = extra if total is None else total + extra
        if total is None:
            raise ValueError(
                "No loss to compute: compile(loss=...) was not given (or no targets `y` were "
                "passed) and the model adds no losses itself."
            )
        return total

    def _compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Calls `compute_loss` with `training` only if (an override of) it takes that argument."""
        fn = self.compute_loss
        cached = self.__dict__.get("_compute_loss_sig")
        if cached is None or cached[0] is not getattr(fn, "__func__", fn):
            has_training = "training" in inspect.signature(fn).parameters
            cached = (getattr(fn, "__func__", fn), has_training)
            self.__dict__["_compute_loss_sig"] = cached
        if cached[1]:
            return fn(x, y, y_pred, sample_weight, training=training)
        return fn(x, y, y_pred, sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics and returns `get_metrics_result()` (overridable)."""
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        """`{name: result}` of every metric in `self.metrics`, dict results merged in."""
        logs = {}
        for m, r in data_parallel.metric_results(self.metrics):  # global under DataParallel
            if isinstance(r, dict):
                logs.update(r)
            else:
                logs[m.name] = r
        return pythonify_logs(logs)

    def _batch_size_of(self, x):
        leaves = flatten(x)
        return len(leaves[0]) if leaves else 1

    def train_step(self, data):
        """One optimisation step on a batch; override it for custom training (Keras 3 API)."""
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        frozen = [v for v in self.non_trainable_weights if v.requires_grad]
        for v in frozen:  # no gradient work for frozen weights
            v.requires_grad = False
        try:
            with GradientTape() as tape:
                y_pred = self._forward(x, training=True)
                loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
                # Keras 3: the optimizer's loss scale (LossScaleOptimizer, loss_scale_factor)
                scale_loss = getattr(self.optimizer, "scale_loss", None)
                scaled_loss = scale_loss(loss) if scale_loss is not None else loss
        finally:
            for v in frozen:
                v.requires_grad = True
        trainable = self.trainable_weights
        loss_value = float(loss.data)
        grads = tape.gradient(scaled_loss, trainable)
        self.optimizer.apply(grads, trainable)
        self._loss_tracker.update_state(loss_value, sample_weight=self._batch_size_of(x))
        self._track_output_losses(self._batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        with no_grad():
            y_pred = self._forward(x, training=False)
            loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        value = float(loss.data if isinstance(loss, Tensor) else loss)
        self._loss_tracker.update_state(value, sample_weight=self._batch_size_of(x))
        self._track_output_losses(self._batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = data_adapter.unpack_x_y_sample_weight(data)
        with no_grad():
            return self._forward(x, training=False)

    def _forward(self, x, training):
        # Keras 3's steps pass `training` only to a `call` that takes it: the layers of a
        # subclassed model whose `call(self, x)` has no `training` run in their default mode
        # (BatchNormalization on its moving statistics, Dropout off), in `fit` too
        if self._call_has_training:
            return self(x, training=training)
        return self(x)

    # -- loops -----------------------------------------------------------------------------
    def _callbacks(self, callbacks, verbose, **params):
        if isinstance(callbacks, CallbackList):
            cbs = callbacks.callbacks
        elif isinstance(callbacks, Callback):  # Keras 3 flattens `callbacks`: one is fine too
            cbs = [callbacks]
        else:
            cbs = list(flatten(list(callbacks))) if callbacks else []
        cbs = CallbackList(
            cbs, add_history=True, add_progbar=bool(verbose), model=self, verbose=verbose, **params
        )
        # lets a callback see its siblings (ModelCheckpoint: which ones may add log keys)
        self.__dict__["_callback_list_ref"] = weakref.ref(cbs)
        return cbs

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Trains the model for `epochs` epochs and returns a `History`.

        Args:
            x, y: arrays (or lists/dicts of arrays for several inputs/outputs), or a generator /
                `PyDataset` yielding `(x, y)` or `(x, y, sample_weight)` batches as `x`.
            batch_size: samples per step for array data: a positive integer, or None (32).
            epochs: index of the last epoch (an integer >= 0).
            verbose: 0 silent, 1 progress bar, 2 one line per epoch ("auto" = 1).
            callbacks: a `Callback` or a list of them.
            validation_split: fraction of array data held out (the last samples), in [0, 1).
            validation_data: `(x_val, y_val)`, `(x_val, y_val, sw)` or a dataset.
            shuffle: shuffle array data every epoch.
            class_weight, sample_weight: per-class and per-sample loss weights.
            initial_epoch: epoch to start from (to resume training), an integer >= 0.
            steps_per_epoch: batches per epoch (required for endless generators), a positive
                integer or None.
            validation_steps, validation_batch_size: as `steps` / `batch_size` for the
                validation data (positive integers or None).
            validation_freq: validate every that many epochs (a positive integer), or after
                the listed (1-based) epochs.

        Returns:
            A `History` whose `.history` maps each metric to its per-epoch values.

        Raises:
            ValueError: for empty data, data without a batch dimension, or an argument out of
                range, before any training. Keras 3 reads `batch_size=0` / `steps=0` as "not
                given" and silently runs nothing for negative `epochs`; those are errors here.
        """
        self._assert_compiled("fit")
        epochs = config.capped_epochs(epochs)  # keras.config.set_max_epochs
        verbose = _verbose(verbose)
        check = data_adapter.check_positive_int
        batch_size = check(batch_size, "batch_size", "fit")
        validation_batch_size = check(validation_batch_size, "validation_batch_size", "fit")
        steps_per_epoch = check(steps_per_epoch, "steps_per_epoch", "fit")
        validation_steps = check(validation_steps, "validation_steps", "fit")
        validation_freq = data_adapter.check_fit_arguments(
            epochs, initial_epoch, validation_split, validation_freq
        )
        data = data_adapter.make_data(
            x, y, sample_weight, batch_size, shuffle, class_weight, steps_per_epoch, "fit"
        )
        val = None
        if validation_split and validation_data is None:
            if not isinstance(data, data_adapter.ArrayData):
                raise ValueError(
                    "validation_split works only with array data; pass validation_data."
                )
            val = data.split(validation_split)
        elif validation_data is not None:
            if isinstance(validation_data, (tuple, list)):
                vx, vy, vsw = data_adapter.unpack_x_y_sample_weight(tuple(validation_data))
                val = data_adapter.make_data(
                    vx,
                    vy,
                    vsw,
                    validation_batch_size or batch_size,
                    False,
                    None,
                    validation_steps,
                    "fit",
                )
            else:
                val = data_adapter.make_data(
                    validation_data,
                    None,
                    None,
                    validation_batch_size or batch_size,
                    False,
                    None,
                    validation_steps,
                    "fit",
                )
        cbs = self._callbacks(callbacks, verbose, epochs=epochs, steps=data.num_batches())
        data_parallel.broadcast_model_once(self)  # keras.distribution: rank 0's weights
        self.stop_training = False
        cbs.on_train_begin()
        if cbs.resume_epoch is not None:  # BackupAndRestore restored a backup
            initial_epoch = cbs.resume_epoch
        logs = training_logs = step_logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            cbs.on_epoch_begin(epoch)
            seen = 0
            for begin, end, batches in self._executions(data):
                cbs.on_train_batch_begin(begin)
                for batch in batches:
                    step_logs = _quiet(self.train_step, batch)
                logs = pythonify_logs(step_logs)
                seen += 1
                cbs.on_train_batch_end(end, logs)
                if self.stop_training:
                    break
            if seen == 0 and epoch == initial_epoch:
                raise ValueError(
                    "fit() got no batches: the data is empty or the generator is exhausted."
                )
            epoch_logs = dict(self._get_metrics_result_or_logs(snapshot_logs(step_logs)))
            if isinstance(validation_freq, int):
                due = val is not None and (epoch + 1) % validation_freq == 0
            else:  # the 1-based epochs to validate after (Keras 3 accepts a list)
                due = val is not None and (epoch + 1) in validation_freq
            if due:  # Keras 3 validates even when a batch callback stopped the training
                val_logs = self._evaluate_data(val, cbs)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            training_logs = pythonify_logs(epoch_logs)  # sorted, as Keras's callbacks get them
            # the callbacks share a copy (ReduceLROnPlateau adds `learning_rate` to it), and
            # on_train_end gets the last epoch's logs as they were, as in Keras 3
            cbs.on_epoch_end(epoch, dict(training_logs))
            if self.stop_training:
                break
        if epochs > 0 and getattr(self.optimizer, "built", False):
            # as Keras 3's fit: with use_ema the moving averages become the weights
            self.optimizer.finalize_variable_values(self.trainable_weights)
        cbs.on_train_end(training_logs)
        return next(c for c in cbs.callbacks if isinstance(c, History))

    def _executions(self, data):
        """`(begin, end, batches)` per execution of `steps_per_execution` batches; `end` is
        `begin + steps_per_execution - 1` even for a short last group, as Keras 3 reports it."""
        n = getattr(self, "steps_per_execution", 1)
        if n == 1:
            for step, batch in enumerate(data):
                yield step, step, (batch,)
            return
        group, begin = [], 0
        for batch in data:
            group.append(batch)
            if len(group) == n:
                yield begin, begin + n - 1, group
                group, begin = [], begin + n
        if group:
            yield begin, begin + n - 1, group

    def _evaluate_data(self, data, cbs):
        data.reset()  # Keras 3 validates from the data's first batch at every epoch
        self.reset_metrics()
        cbs.on_test_begin()
        logs = {}
        for begin, end, batches in self._executions(data):
            cbs.on_test_batch_begin(begin)
            for batch in batches:
                logs = _quiet(self.test_step, batch)
            logs = pythonify_logs(logs)
            cbs.on_test_batch_end(end, logs)
        logs = self._get_metrics_result_or_logs(logs)
        cbs.on_test_end(logs)
        return logs

    def _get_metrics_result_or_logs(self, logs):
        """`get_metrics_result()` when the step's logs have the same keys (Keras 3's rule), else
        the logs of the last step (a custom step returning other values)."""
        metric_logs = pythonify_logs(self.get_metrics_result())
        if not logs or set(logs) == set(metric_logs):
            return metric_logs
        return logs

    def _flatten_metrics_in_order(self, logs):
        """Log values as a list: `loss`, the compiled metrics (single-output models), per-output
        losses, attribute metrics, then any other keys sorted (the order Keras 3 returns)."""
        names = []
        for m in self.metrics:
            if isinstance(m, CompileMetrics):  # the metric objects' own names, as Keras
                names += [sub.name for _, sub, _ in m.metrics]
            else:
                names.append(m.name)
        values = [logs[n] for n in names if n in logs]
        values += [logs[k] for k in sorted(logs) if k not in names]
        return values[0] if len(values) == 1 else values

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
    ):
        """Loss and metrics on the given data: a scalar, a list (as `metrics_names`) or a dict.

        `batch_size` and `steps` are positive integers or None; empty data raises ValueError
        (Keras 3 returns an empty list).
        """
        self._assert_compiled("evaluate")
        verbose = _verbose(verbose)
        batch_size = data_adapter.check_positive_int(batch_size, "batch_size", "evaluate")
        steps = data_adapter.check_positive_int(steps, "steps", "evaluate")
        data = data_adapter.make_data(
            x, y, sample_weight, batch_size, False, None, steps, "evaluate"
        )
        cbs = self._callbacks(callbacks, verbose, epochs=1, steps=data.num_batches())
        logs = self._evaluate_data(data, cbs)
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Outputs for `x`, batched; numpy arrays in the structure of the model's outputs.

        `batch_size` and `steps` are positive integers or None; `x` needs a leading batch
        dimension and at least one sample (else ValueError).
        """
        verbose = _verbose(verbose)
        batch_size = data_adapter.check_positive_int(batch_size, "batch_size", "predict")
        steps = data_adapter.check_positive_int(steps, "steps", "predict")
        data = data_adapter.make_data(x, None, None, batch_size, False, None, steps, "predict")
        cbs = self._callbacks(callbacks, verbose, epochs=1, steps=data.num_batches())
        cbs.on_predict_begin()
        chunks = []
        for begin, end, batches in self._executions(data):
            cbs.on_predict_batch_begin(begin)
            group = [data_parallel.gather(_to_numpy(_quiet(self.predict_step, b))) for b in batches]
            chunks.extend(group)
            outputs = group[0] if len(group) == 1 else _concat(group)
            cbs.on_predict_batch_end(end, {"outputs": outputs})
        cbs.on_predict_end()
        if not chunks:
            raise ValueError("predict() got no batches: the input is empty.")
        return _concat(chunks)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One training step on one batch; returns the loss (and metrics)."""
        self._assert_compiled("train_on_batch")
        data = data_adapter.make_data(
            x, y, sample_weight, None, False, class_weight, None, "train_on_batch"
        )
        if isinstance(data, data_adapter.ArrayData):
            data.batch_size = max(data.n, 1)
        self.reset_metrics()
        logs = {}
        for batch in data:  # Keras 3 hands the step an (x, y, sample_weight) triple here
            logs = pythonify_logs(
                _quiet(self.train_step, data_adapter.unpack_x_y_sample_weight(batch))
            )
        logs = self._get_metrics_result_or_logs(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._assert_compiled("test_on_batch")
        data = data_adapter.make_data(x, y, sample_weight, None, False, None, None, "test_on_batch")
        data.batch_size = max(data.n, 1)
        self.reset_metrics()
        logs = {}
        for batch in data:
            logs = pythonify_logs(
                _quiet(self.test_step, data_adapter.unpack_x_y_sample_weight(batch))
            )
        logs = self._get_metrics_result_or_logs(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x):
        return _to_numpy(_quiet(self.predict_step, (x,)))
