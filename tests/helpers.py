"""Shared test helpers: random data, float64 finite-difference gradient checks."""

import numpy as np

import functools

import minikeras as keras
from minikeras.core import dtypes
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor


def randn(*shape, seed=0, dtype="float64"):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def numeric_grad(f, arrays, i, eps=1e-6):
    """Central-difference gradient of sum(f(*arrays) * w) w.r.t. arrays[i] (w fixed random)."""
    base = [a.copy() for a in arrays]
    x = base[i]
    g = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    out0 = np.asarray(f(*base))
    weights = np.random.default_rng(1).standard_normal(out0.shape)
    for _ in it:
        idx = it.multi_index
        old = x[idx]
        x[idx] = old + eps
        plus = np.sum(np.asarray(f(*base)) * weights)
        x[idx] = old - eps
        minus = np.sum(np.asarray(f(*base)) * weights)
        x[idx] = old
        g[idx] = (plus - minus) / (2 * eps)
    return g, weights


def _in_64bit(fn):
    """Runs `fn` with 64-bit results kept (`dtypes.keep_64bit`): the ops that Keras 3 narrows
    to 32 bits (`minimum`, `var`, ...) stay float64 for the finite differences."""

    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        with dtypes.keep_64bit():
            return fn(*args, **kwargs)

    return wrapped


@_in_64bit
def check_grad(fn, *inputs, wrt=None, rtol=1e-5, atol=1e-6, seed=0):
    """Checks the analytic gradient of `fn` against central differences in float64 (64-bit
    results kept, see `dtypes.keep_64bit`).

    `inputs` are shapes (tuples) or arrays. `fn` takes Tensors and returns a Tensor.
    `wrt` lists the input positions to check (default: every float input).
    """
    arrays = []
    for k, spec in enumerate(inputs):
        if isinstance(spec, tuple):
            arrays.append(randn(*spec, seed=seed + k))
        else:
            arrays.append(np.asarray(spec))
    if wrt is None:
        wrt = [k for k, a in enumerate(arrays) if a.dtype.kind == "f"]

    def f_np(*arrs):
        with keras.no_grad():
            return fn(*[Tensor(a) for a in arrs]).data

    for i in wrt:
        tensors = [Tensor(a.copy(), requires_grad=(k == i)) for k, a in enumerate(arrays)]
        out = fn(*tensors)
        num, weights = numeric_grad(f_np, arrays, i)
        (ana,) = gradients(out, [tensors[i]], output_gradient=weights.astype(out.dtype))
        assert ana is not None, f"no gradient reached input {i}"
        assert ana.shape == arrays[i].shape
        np.testing.assert_allclose(ana, num, rtol=rtol, atol=atol, err_msg=f"input {i}")


@_in_64bit
def _weight_grad_check(layer, x, rtol, atol, kwargs):
    """Finite differences on each trainable weight of a built float64 layer."""
    for v in layer.trainable_weights:
        original = v.data.copy()

        def f(w, v=v):
            v.data[...] = w.data
            with keras.no_grad():
                return layer(x, **kwargs)

        def f_tape(w, v=v):
            v.data[...] = w.data
            return layer(x, **kwargs)

        num, weights = numeric_grad(lambda w: f(Tensor(w)).data, [original.copy()], 0)
        v.data[...] = original
        with keras.GradientTape():
            out = layer(x, **kwargs)
        (ana,) = gradients(out, [v], output_gradient=weights.astype(out.dtype))
        assert ana is not None, f"no gradient reached weight {v.path}"
        np.testing.assert_allclose(ana, num, rtol=rtol, atol=atol, err_msg=f"weight {v.path}")


def run_layer_test(
    layer_cls,
    init_kwargs=None,
    input_shape=None,
    input_dtype="float32",
    input_data=None,
    expected_output_shape=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    check_gradients=True,
    call_kwargs=None,
    rtol=1e-5,
    atol=1e-6,
    check_saving=True,
):
    """One-declaration layer test: shapes, weight counts, config round trip, symbolic call,
    float64 gradients (input and weights) and, where available, a file round trip.

    Returns the float32 layer and its output for further checks.
    """
    init_kwargs = dict(init_kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    if input_data is None:
        if np.dtype(input_dtype).kind in "iu":
            x = np.random.default_rng(0).integers(0, 5, size=input_shape).astype(input_dtype)
        else:
            x = randn(*input_shape, dtype=input_dtype)
    else:
        x = input_data
        input_shape = np.shape(x)
    keras.utils.set_random_seed(0)
    layer = layer_cls(**init_kwargs)
    if "training" not in call_kwargs and layer._call_training_default:
        # Keras 3's augmentation layers augment when called without `training`; the round
        # trips below compare deterministic outputs, so they run at inference
        call_kwargs["training"] = False
    out = layer(x, **call_kwargs)
    out_arr = np.asarray(out)
    if expected_output_shape is not None:
        assert out_arr.shape == tuple(expected_output_shape), (out_arr.shape, expected_output_shape)
    if expected_num_trainable_weights is not None:
        assert len(layer.trainable_weights) == expected_num_trainable_weights
    if expected_num_non_trainable_weights is not None:
        assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights

    # config round trip gives a layer computing the same function
    config = layer.get_config()
    import json

    json.dumps(config)  # configs must be JSON-friendly
    clone = layer_cls.from_config(config)
    clone(x, **call_kwargs)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(np.asarray(clone(x, **call_kwargs)), out_arr, rtol=1e-6, atol=1e-6)

    # symbolic call infers the same shape with an unknown batch size
    sym_in = keras.Input(shape=tuple(input_shape[1:]), dtype=str(np.asarray(x).dtype))
    sym_out = layer_cls(**init_kwargs)(sym_in, **call_kwargs)
    if expected_output_shape is not None and hasattr(sym_out, "shape"):
        assert tuple(sym_out.shape[1:]) == tuple(expected_output_shape[1:]), sym_out.shape

    if check_gradients:
        layer64 = layer_cls(**{**init_kwargs, "dtype": "float64"})
        x64 = np.asarray(x).astype("float64") if np.asarray(x).dtype.kind == "f" else np.asarray(x)
        layer64(x64, **call_kwargs)
        layer64.set_weights(
            [w.astype("float64") if w.dtype.kind == "f" else w for w in layer.get_weights()]
        )
        if x64.dtype.kind == "f":
            check_grad(lambda t: layer64(t, **call_kwargs), x64, rtol=rtol, atol=atol)
        _weight_grad_check(layer64, x64, rtol, atol, call_kwargs)

    if check_saving:
        try:
            from helpers_saving import check_saving_roundtrip
        except ImportError:
            check_saving_roundtrip = None
        if check_saving_roundtrip is not None:
            check_saving_roundtrip(layer_cls, init_kwargs, x, call_kwargs)
    return layer, out
