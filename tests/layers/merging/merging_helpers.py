"""`run_merge_test`: the run_layer_test checks for layers that take a list of inputs."""

import json

import numpy as np

import minikeras as keras
from helpers import check_grad, randn


def run_merge_test(layer_cls, init_kwargs, input_shapes, expected_output_shape, reference=None):
    """Checks output shape, a numpy `reference(*arrays)`, the config round trip, symbolic
    shapes and float64 gradients for every input. Returns the layer and its output."""
    arrays = [randn(*s, seed=i).astype("float32") for i, s in enumerate(input_shapes)]
    layer = layer_cls(**init_kwargs)
    out = np.asarray(layer(arrays))
    assert out.shape == tuple(expected_output_shape), (out.shape, expected_output_shape)
    if reference is not None:
        np.testing.assert_allclose(out, reference(*arrays), rtol=1e-5, atol=1e-6)
    config = layer.get_config()
    json.dumps(config)
    clone = layer_cls.from_config(config)
    np.testing.assert_allclose(np.asarray(clone(arrays)), out, rtol=1e-6, atol=1e-6)
    sym = layer_cls(**init_kwargs)([keras.Input(shape=s[1:]) for s in input_shapes])
    assert sym.shape == (None,) + tuple(expected_output_shape[1:]), sym.shape
    layer64 = layer_cls(**{**init_kwargs, "dtype": "float64"})
    check_grad(lambda *ts: layer64(list(ts)), *[tuple(s) for s in input_shapes])
    return layer, out


def masked(x, mask):
    """A Tensor of `x` carrying a boolean `_keras_mask`."""
    t = keras.ops.convert_to_tensor(np.asarray(x, "float32"))
    t._keras_mask = keras.ops.convert_to_tensor(np.asarray(mask, bool))
    return t
