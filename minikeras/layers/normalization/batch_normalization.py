"""`BatchNormalization`: normalise each channel with batch statistics (training) or moving ones.

The computation is the one batch-normalisation op, `minikeras/core/ops/fused_norm.batch_norm`
(also behind `keras.ops.batch_normalization`, which the masked statistics path calls).
"""

import numpy as np

from ... import constraints, initializers, regularizers
from ...core import dtypes, ops
from ...core.ops.fused_norm import batch_norm
from ...core.tensor import Tensor
from ...distribution import data_parallel
from ..layer import InputSpec, Layer


class BatchNormalization(Layer):
    """Normalises inputs per channel: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.

    Training (`training=True` and the layer trainable) uses the batch mean and biased variance
    over every axis but `axis`, and updates the moving statistics in place:
    `moving = moving * momentum + batch_stat * (1 - momentum)`. Otherwise (inference, or a
    frozen layer, `trainable=False`, even with `training=True` -- as Keras) it uses
    `moving_mean` and `moving_variance` and updates nothing.

    Args:
        axis: the channel axis (an int; a one-element list as Keras 2 configs write it is
            accepted).
        momentum: of the moving averages. epsilon: added to the variance.
        center, scale: whether to create and use `beta` and `gamma`.
        beta_/gamma_/moving_mean_/moving_variance_initializer, beta_/gamma_regularizer,
            beta_/gamma_constraint: as Keras.
        synchronized: under a multi-process `keras.distribution.DataParallel`, compute the
            training statistics over the global batch (every process's share); otherwise
            (and by default, as Keras) each process normalises with its own share's.

    Weights in creation order: gamma, beta, moving_mean, moving_variance (all (channels,));
    `scale=False` drops gamma and `center=False` drops beta.

    >>> import numpy as np, minikeras as keras
    >>> bn = keras.layers.BatchNormalization()
    >>> y = bn(np.array([[0.0], [2.0]], "float32"), training=True)
    >>> y.numpy().ravel().round(3).tolist(), round(float(bn.moving_mean.numpy()[0]), 4)
    ([-1.0, 1.0], 0.01)
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        synchronized=False,  # Keras 3's order
        **kwargs,
    ):
        kwargs.pop("fused", None)  # Keras 2: an implementation hint
        for k in ("virtual_batch_size", "adjustment"):
            if kwargs.pop(k, None) is not None:
                raise NotImplementedError(f"BatchNormalization: `{k}` is not supported.")
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            if len(axis) != 1:
                raise ValueError(
                    f"BatchNormalization normalises along one axis. Received: axis={list(axis)}"
                )
            axis = axis[0]
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"BatchNormalization: axis must be an int. Received: axis={axis!r}")
        if renorm:
            raise NotImplementedError("BatchNormalization: renorm=True is not supported.")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center, self.scale = center, scale
        self.synchronized = synchronized
        self.renorm, self.renorm_clipping, self.renorm_momentum = (
            renorm,
            renorm_clipping,
            float(renorm_momentum),
        )
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim:
            raise IndexError(  # Keras 3 fails indexing the shape: an IndexError
                f"Layer '{self.name}' (BatchNormalization): axis {self.axis} is out of range "
                f"for inputs of rank {ndim}. Received input shape {tuple(input_shape)}."
            )
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(
                f"Layer '{self.name}' (BatchNormalization): axis {self.axis} of the input must "
                f"be known. Received input shape {tuple(input_shape)}."
            )
        shape = (channels,)
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                shape,
                self.gamma_initializer,
                name="gamma",
                autocast=False,  # as Keras: BN computes in float32 under mixed precision
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                shape,
                self.beta_initializer,
                name="beta",
                autocast=False,  # as Keras: BN computes in float32 under mixed precision
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self.moving_mean = self.add_weight(
            shape, self.moving_mean_initializer, trainable=False, autocast=False, name="moving_mean"
        )
        self.moving_variance = self.add_weight(
            shape,
            self.moving_variance_initializer,
            trainable=False,
            autocast=False,
            name="moving_variance",
        )
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: channels})
        self.built = True  # also when build() is called directly

    def call(self, inputs, training=False, mask=None):
        x = inputs
        if x.dtype.kind != "f" or x.dtype.itemsize < 4:  # float16 (and ints) compute in float32
            x = ops.cast(x, "float32")
        axis = self.axis % x.ndim
        use_batch = bool(training) and self.trainable  # a frozen BN runs in inference mode
        if mask is not None:
            y = self._masked(x, axis, mask, use_batch)
        elif use_batch:
            sync = data_parallel if self.synchronized and data_parallel.active() else None
            y, mean, var = batch_norm(x, self.gamma, self.beta, axis, self.epsilon, sync=sync)
            self._update_moving(mean, var)
        else:
            mean, var = self.moving_mean.data, self.moving_variance.data
            y, _, _ = batch_norm(x, self.gamma, self.beta, axis, self.epsilon, mean, var)
        if dtypes.is_float(inputs.dtype) and y.dtype != inputs.dtype:
            y = ops.cast(y, inputs.dtype)
        return y

    def _update_moving(self, mean, var):
        """moving = moving * momentum + stat * (1 - momentum), in place (no gradient)."""
        for v, stat in ((self.moving_mean, mean), (self.moving_variance, var)):
            v.data[...] = v.data * self.momentum + stat * (1.0 - self.momentum)

    def _masked(self, x, axis, mask, use_batch):
        """Keras's masked statistics: only positions where `mask` (inputs.shape[:-1]) is True."""
        m = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
        if m.ndim != x.ndim - 1:
            raise ValueError(
                f"Layer '{self.name}' (BatchNormalization): the mask must have one dimension "
                f"less than the inputs. Received: mask.shape={m.shape}, inputs.shape={x.shape}"
            )
        if use_batch:
            from ... import config

            w = np.expand_dims(m.astype(x.dtype), -1)
            reduce_axes = tuple(i for i in range(x.ndim) if i != axis)
            count = np.sum(w * np.ones(x.shape, x.dtype), axis=reduce_axes) + config.epsilon()
            wx = x * w
            mean = ops.sum(wx, axis=reduce_axes) / count
            shape = [1] * x.ndim
            shape[axis] = -1
            diff = wx - ops.reshape(mean, shape)
            var = ops.sum(w * ops.square(diff), axis=reduce_axes) / count
            self._update_moving(mean.data.astype(np.float64), var.data.astype(np.float64))
        else:
            mean, var = self.moving_mean, self.moving_variance
        return ops.batch_normalization(x, mean, var, axis, self.beta, self.gamma, self.epsilon)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        ser = initializers.serialize
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": ser(self.beta_initializer),
            "gamma_initializer": ser(self.gamma_initializer),
            "moving_mean_initializer": ser(self.moving_mean_initializer),
            "moving_variance_initializer": ser(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }
