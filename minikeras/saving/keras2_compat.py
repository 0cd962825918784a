"""Keras 2 (tf.keras) config spellings translated to what minikeras's Keras 3 classes take.

Applied to configs from files whose `keras_version` is 1.x/2.x (spec 6.2, 8.9, 2.5):
`time_major`/`implementation` dropped from RNNs, BatchNormalization `axis: [3]` -> `3`,
`"hard_sigmoid"` -> Keras 2's `0.2 x + 0.5` form, `Policy` dtypes -> their name, and
`MeanMetricWrapper` metrics -> metric names.
"""

from .serialization import MAX_DEPTH

_RNNS = {"LSTM", "GRU", "SimpleRNN", "LSTMCell", "GRUCell", "SimpleRNNCell", "RNN",
         "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "StackedRNNCells"}  # fmt: skip
_BATCH_NORMS = {"BatchNormalization", "SyncBatchNormalization"}


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
        if isinstance(cfg.get("dtype"), dict):
            cfg["dtype"] = (cfg["dtype"].get("config") or {}).get("name")
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
