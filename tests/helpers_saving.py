"""File round trips for layer tests: `run_layer_test` calls `check_saving_roundtrip` itself.

A one-layer functional model is saved as `.keras`, legacy `.h5`, Keras 3 `.weights.h5` and
Keras 2 `.h5` weights; each is loaded back (a fresh model for the weights files) and must
predict exactly what the original predicts.
"""

import os
import tempfile

import numpy as np

import minikeras as keras
from minikeras.core.tensor import Tensor
from minikeras.layers.node import flatten


def _plain(value):
    return (
        value is None
        or isinstance(value, (bool, int, float, str))
        or (isinstance(value, (list, tuple)) and all(_plain(v) for v in value))
    )


def _predict(model, arrays):
    with keras.no_grad():
        out = model(arrays if len(arrays) > 1 else arrays[0], training=False)
    return [np.asarray(t.data if isinstance(t, Tensor) else t) for t in flatten(out)]


def _assert_same(expected, got, what):
    assert len(expected) == len(got), what
    for e, g in zip(expected, got):
        np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-6, equal_nan=True, err_msg=what)


def _perturb(model, seed=0):
    """Makes every float weight distinct from its initial value (zeros, ones) so that a weight
    loaded into the wrong place shows up; values stay positive where they were (variances)."""
    rng = np.random.default_rng(seed)
    new = []
    for w in model.get_weights():
        if w.dtype.kind == "f":
            w = (w + rng.uniform(0.0, 0.1, size=w.shape)).astype(w.dtype)
        new.append(w)
    model.set_weights(new)


def build_model(layer_cls, init_kwargs, x, call_kwargs=None, call_style=None):
    """A functional model wrapping one `layer_cls` layer, for inputs like `x` (array or list).

    `call_style`: "list" passes several inputs as one list (merging layers), "args" as
    separate positional arguments (MultiHeadAttention); default "list".
    """
    arrays = [np.asarray(a) for a in x] if isinstance(x, (list, tuple)) else [np.asarray(x)]
    inputs = [keras.Input(shape=a.shape[1:], dtype=a.dtype.name) for a in arrays]
    layer = layer_cls(**init_kwargs)
    kwargs = dict(call_kwargs or {})
    if len(inputs) == 1 and not isinstance(x, (list, tuple)):
        out = layer(inputs[0], **kwargs)
    elif call_style == "args":
        out = layer(*inputs, **kwargs)
    else:
        out = layer(inputs, **kwargs)
    model = keras.Model(inputs if len(inputs) > 1 else inputs[0], out)
    return model, arrays


def check_saving_roundtrip(layer_cls, init_kwargs, x, call_kwargs=None, call_style=None):
    """Saves a model holding one `layer_cls(**init_kwargs)` in every format and reloads it.

    `training` is dropped from `call_kwargs` (files replay inference calls); call arguments
    that are arrays cannot be stored in a config, so such calls are not checked here.
    """
    call_kwargs = {k: v for k, v in (call_kwargs or {}).items() if k != "training"}
    if not all(_plain(v) for v in call_kwargs.values()):
        return
    keras.utils.set_random_seed(0)
    model, arrays = build_model(layer_cls, init_kwargs, x, call_kwargs, call_style)
    _perturb(model)
    expected = _predict(model, arrays)
    name = layer_cls.__name__
    with tempfile.TemporaryDirectory() as d:
        for fname in ("model.keras", "model.h5"):
            path = os.path.join(d, fname)
            model.save(path)
            loaded = keras.models.load_model(path, compile=False)
            _assert_same(expected, _predict(loaded, arrays), f"{name}: {fname}")
        for fname in ("weights.weights.h5", "weights.h5"):
            path = os.path.join(d, fname)
            model.save_weights(path)
            fresh = keras.models.clone_model(model)
            fresh.load_weights(path)
            _assert_same(expected, _predict(fresh, arrays), f"{name}: {fname}")
        fresh = keras.models.model_from_json(model.to_json())
        fresh.set_weights(model.get_weights())
        _assert_same(expected, _predict(fresh, arrays), f"{name}: to_json")
    return model
