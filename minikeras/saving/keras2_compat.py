"""Keras 2 (tf.keras) config spellings translated to what minikeras's Keras 3 classes take.

Applied to configs from files whose `keras_version` is 1.x/2.x (spec 6.2, 8.9, 2.5):
`time_major`/`implementation` dropped from RNNs, BatchNormalization `axis: [3]` -> `3`,
`"hard_sigmoid"` -> Keras 2's `0.2 x + 0.5` form, `Policy` dtypes -> their name, Keras 2 only
arguments dropped (`groups: 1` of transposed/depthwise/separable convolutions, `noise_shape` of
spatial dropouts, `rng_type` of preprocessing layers, MultiHeadAttention's `query_shape` etc.),
and `MeanMetricWrapper` metrics -> metric names.

The writing direction (`to_keras2`, `keras2_optimizer_config`) spells minikeras's configs for
legacy `.h5` files so that tf.keras 2 and Keras 3 both read them.
"""

from ..serialization.keras_objects import MAX_DEPTH

_RNNS = {
    "LSTM",
    "GRU",
    "SimpleRNN",
    "LSTMCell",
    "GRUCell",
    "SimpleRNNCell",
    "RNN",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "StackedRNNCells",
}
_BATCH_NORMS = {"BatchNormalization", "SyncBatchNormalization"}
# Keras 2 writes `groups` for every convolution; Keras 3 has it only for plain Conv1D/2D/3D.
_NO_GROUPS = {
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
    "Convolution1DTranspose",
    "Convolution2DTranspose",
    "Convolution3DTranspose",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
}
_SPATIAL_DROPOUTS = {"SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"}


def translate_config(tree, depth=0):
    """Rewrites a Keras 2 model/layer config in place (and returns it)."""
    from .. import activations

    if depth > MAX_DEPTH:
        raise ValueError(f"The config is nested more than {MAX_DEPTH} levels deep; refused.")
    if isinstance(tree, list):
        for item in tree:
            translate_config(item, depth + 1)
        return tree
    if not isinstance(tree, dict):
        return tree
    cfg = tree.get("config")
    class_name = tree.get("class_name")
    if isinstance(class_name, str) and isinstance(cfg, dict):
        if class_name in _RNNS:
            cfg.pop("time_major", None)
            cfg.pop("implementation", None)
        if (
            class_name in _BATCH_NORMS
            and isinstance(cfg.get("axis"), list)
            and len(cfg["axis"]) == 1
        ):
            cfg["axis"] = cfg["axis"][0]
        for key in ("activation", "recurrent_activation"):
            if cfg.get(key) == "hard_sigmoid":
                cfg[key] = activations.hard_sigmoid_keras2
        if class_name in _NO_GROUPS and cfg.get("groups") == 1:
            del cfg["groups"]
        if class_name.startswith("SeparableConv"):  # Keras 2's unused base-class arguments
            for key in ("kernel_initializer", "kernel_regularizer", "kernel_constraint"):
                cfg.pop(key, None)
        if class_name in _SPATIAL_DROPOUTS and cfg.get("noise_shape") is None:
            cfg.pop("noise_shape", None)  # Keras 2's Dropout argument, always None here
        cfg.pop("rng_type", None)  # Keras 2 preprocessing layers' RNG kind; no Keras 3 meaning
        if class_name == "Discretization":  # Keras 3's constructor takes neither
            cfg.pop("trainable", None)
            cfg.pop("batch_input_shape", None)
        if class_name == "MultiHeadAttention":  # Keras 2 only; shapes come from the call
            for key in ("query_shape", "key_shape", "value_shape", "softmax_robust_masking"):
                cfg.pop(key, None)
        if _named_policy(cfg.get("dtype")):
            cfg["dtype"] = cfg["dtype"]["config"]["name"]
    for value in tree.values():
        if isinstance(value, (dict, list)):
            translate_config(value, depth + 1)
    return tree


def _metric(m):
    if isinstance(m, dict) and m.get("class_name") == "MeanMetricWrapper":
        cfg = m.get("config") or {}
        name, fn = cfg.get("name"), cfg.get("fn")
        if name in ("accuracy", "acc"):
            return "accuracy"
        return fn if isinstance(fn, str) else name
    return m


def translate_metrics(metrics):
    """Keras 2 metrics (`[[MeanMetricWrapper...]]` per output) to compile() arguments."""
    if metrics is None:
        return None
    if isinstance(metrics, dict):
        return {k: translate_metrics(v) for k, v in metrics.items()}
    if isinstance(metrics, list):
        if metrics and all(isinstance(m, list) for m in metrics):
            if len(metrics) == 1:
                return [_metric(m) for m in metrics[0]]
            return [[_metric(m) for m in per_output] for per_output in metrics]
        return [_metric(m) for m in metrics]
    return _metric(metrics)


# ---- writing: the Keras 2 spelling of legacy .h5 configs -----------------------------------------
#
# tf.keras 2 (the tf-keras package, and `tensorflow.keras` up to TF 2.15) rebuilds a legacy `.h5`
# model with its own classes, whose constructors refuse unknown keyword arguments, and reads
# `dtype` only as a string. Keras 3's legacy loader reads the Keras 2 spelling too. So `.h5`
# configs are written in the spelling both accept: Keras-3-only arguments are left out where they
# hold the value that both Kerases take as default (observed with tf-keras 2.21 and Keras 3.15).

_RNN_LAYERS = {"LSTM", "GRU", "SimpleRNN", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"}
_CELLS = {"LSTMCell", "GRUCell", "SimpleRNNCell"}
_PREPROCESSING = {
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "RandomContrast",
    "CenterCrop",
    "Resizing",
    "RandomCrop",
    "RandomBrightness",
}
_KERAS3_ONLY = {
    **{name: {"zero_output_for_mask": False, "seed": None} for name in _RNN_LAYERS},
    **{name: {"seed": None} for name in _CELLS},
    **{name: {"data_format": "channels_last"} for name in _PREPROCESSING},
    "Dense": {"quantization_config": None, "lora_rank": None, "lora_alpha": None},
    "EinsumDense": {"quantization_config": None, "lora_rank": None, "lora_alpha": None},
    "Embedding": {"quantization_config": None, "lora_rank": None, "lora_alpha": None},
    "MultiHeadAttention": {"seed": None, "use_gate": False, "sliding_window": None},
    "Attention": {"seed": None},
    "AdditiveAttention": {"seed": None},
    "LayerNormalization": {"rms_scaling": False},
    "RandomContrast": {"data_format": "channels_last", "value_range": [0, 255]},
    "Resizing": {
        "data_format": "channels_last",
        "pad_to_aspect_ratio": False,
        "fill_mode": "constant",
        "fill_value": 0.0,
        "antialias": False,
    },
    "InputLayer": {"optional": False},
}
# Initializers whose Keras 3.15 config adds `input_axes`/`output_axes` (None = Keras 2's fans).
_FAN_AXES = {"input_axes": None, "output_axes": None}


def _named_policy(dtype):
    """Whether a config's `dtype` is a `DTypePolicy` dict that its name stands for. A quantized
    policy (`{"mode", "source_name"}`, no name) stays a dict, as Keras 3 writes it in `.h5`
    files too (a name would lose the quantization; tf.keras 2 cannot build such a layer)."""
    return isinstance(dtype, dict) and "name" in (dtype.get("config") or {})


def _drop_defaults(cfg, defaults):
    for key, default in defaults.items():
        if key in cfg and cfg[key] == default:
            del cfg[key]


def to_keras2(tree, depth=0):
    """Rewrites a Keras 3 layer/model config tree in place into the spelling tf.keras 2 reads.

    `dtype` policies become their name, InputLayer's `batch_shape` becomes `batch_input_shape`,
    LeakyReLU's `negative_slope` becomes `alpha`, and Keras-3-only arguments holding their
    default are left out (`_KERAS3_ONLY`). Arguments with other values stay: tf.keras 2 cannot
    build such a layer, Keras 3 and minikeras still can.
    """
    if depth > MAX_DEPTH:
        raise ValueError(f"The config is nested more than {MAX_DEPTH} levels deep; refused.")
    if isinstance(tree, list):
        for item in tree:
            to_keras2(item, depth + 1)
        return tree
    if not isinstance(tree, dict):
        return tree
    cfg, class_name = tree.get("config"), tree.get("class_name")
    if isinstance(class_name, str) and isinstance(cfg, dict):
        if _named_policy(cfg.get("dtype")):
            cfg["dtype"] = cfg["dtype"]["config"]["name"]
        if class_name == "InputLayer" and "batch_shape" in cfg:
            cfg["batch_input_shape"] = cfg.pop("batch_shape")
        if class_name == "LeakyReLU" and "negative_slope" in cfg:
            cfg["alpha"] = cfg.pop("negative_slope")
        if class_name == "Discretization" and cfg.get("bin_boundaries") is not None:
            # an adapted layer: tf.keras 2 refuses `num_bins` beside `bin_boundaries` (Keras 3
            # and minikeras take either form and bucket alike)
            cfg["num_bins"] = None
        if class_name == "GroupQueryAttention":
            # legacy configs name a class by its own name, `.keras` ones by its export
            tree["class_name"] = "GroupedQueryAttention"
        if class_name == "Lambda" and isinstance(cfg.get("function"), str):
            # Keras 3's legacy loader resolves a bare function name before Lambda.from_config,
            # which then refuses the function object; its own `.h5` files hold this form
            cfg["function"] = {
                "module": "builtins",
                "class_name": "function",
                "config": cfg["function"],
                "registered_name": "function",
            }
        if class_name == "Attention" and cfg.get("score_mode") == "dot":
            # the default of both; Keras 3's legacy loader would turn the string "dot" into the
            # function keras.ops.dot and then refuse it
            del cfg["score_mode"]
        if "input_axes" in cfg and "output_axes" in cfg:
            _drop_defaults(cfg, _FAN_AXES)
        _drop_defaults(cfg, _KERAS3_ONLY.get(class_name, {}))
    for value in tree.values():
        if isinstance(value, (dict, list)):
            to_keras2(value, depth + 1)
    return tree


# Optimizer arguments Keras 3 added; tf.keras 2's optimizers (the legacy ones its `.h5` loader
# builds) refuse them.
_KERAS3_OPTIMIZER_ONLY = {
    "weight_decay": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


def keras2_optimizer_config(config):
    """An optimizer's `get_config()` without the Keras-3-only arguments that hold their default,
    so tf.keras 2 can compile a loaded `.h5` model (Keras 3 reads it either way)."""
    config = dict(config)
    _drop_defaults(config, _KERAS3_OPTIMIZER_ONLY)
    return config


def _is_keras2_summary(entry):
    return len(entry.weights) == 1 and entry.weights[0][0].rsplit("/", 1)[-1] == "summary:0"


def absorb_discretization_summaries(h5, model, entries, by_name=False):
    """tf.keras 2 keeps an adapted `Discretization`'s state as a `summary` weight; Keras 3 (and
    minikeras) keep `bin_boundaries` and no weight. Each such group sets the boundaries of the
    matching `Discretization` (by position among the model's `Discretization` layers, or by
    name) as tf.keras 2 derives them, and is left out of the weight pairing. Returns the
    remaining entries."""
    summaries = [e for e in entries if _is_keras2_summary(e)]
    if not summaries:
        return entries
    from ..layers.preprocessing.discretization import compress_summary

    layers = [layer for layer in model.layers if type(layer).__name__ == "Discretization"]
    if by_name:
        named = {layer.name: layer for layer in layers}
        pairs = [(named[e.name], e) for e in summaries if e.name in named]
    elif len(layers) == len(summaries):
        pairs = list(zip(layers, summaries))
    else:
        raise ValueError(
            f"'{h5.label}' holds tf.keras 2 Discretization summaries for "
            f"{[e.name for e in summaries]}; model '{model.name}' has {len(layers)} "
            f"Discretization layers {[layer.name for layer in layers]}."
        )
    for layer, entry in pairs:
        ds = entry.weights[0][1]
        if ds.ndim != 2 or ds.shape[0] != 2:
            raise ValueError(
                f"'{h5.label}': the Discretization summary of '{entry.name}' should have shape "
                f"(2, n); received {ds.shape}."
            )
        summary = h5.read(ds, ds.shape, "float32", f"the summary of '{entry.name}'")
        if layer.num_bins is not None and summary.shape[1]:
            boundaries = compress_summary(summary, 1.0 / layer.num_bins)
            layer.bin_boundaries = boundaries[0, :-1].tolist()
    return [e for e in entries if not _is_keras2_summary(e)]
