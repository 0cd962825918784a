"""minikeras's layers against Keras 3.15.1 (torch backend), case by case from `parity_cases.py`: the
config (defaults and names as Keras writes them) and its round trip, the default layer name,
the weights' names, paths, shapes, order and trainability, `compute_output_shape`, the outputs
with Keras's weights copied in (training=False, and training=True for deterministic layers, with
the weights after it), masks, and the exception type for bad arguments. Keras's answers are in
`layers_k3.json` / `layers_k3.npz` (`make_fixtures.py`)."""

import json
import pathlib

import numpy as np
import pytest

import minikeras as keras

import parity_cases as C

HERE = pathlib.Path(__file__).resolve().parent
DOC = json.loads((HERE / "layers_k3.json").read_text())
DATA = np.load(HERE / "layers_k3.npz")
CASES = {name: (cls, kwargs, specs) for name, cls, kwargs, specs in C.LAYER_CASES}
ERRORS = {name: (cls, kwargs, specs) for name, cls, kwargs, specs in C.ERROR_CASES}


def jsonable(obj):
    return json.loads(json.dumps(obj, default=lambda o: f"<{type(o).__name__}>"))


def unary(xs):
    return xs[0] if len(xs) == 1 else list(xs)


def shape_of(s):
    if isinstance(s, dict):
        return {k: shape_of(v) for k, v in s.items()}
    if isinstance(s, (list, tuple)) and s and isinstance(s[0], (list, tuple, dict)):
        return [shape_of(x) for x in s]
    return list(s)


def inputs(name):
    n = sum(1 for k in DATA.files if k.startswith(f"{name}/x"))
    return [DATA[f"{name}/x{i}"] for i in range(n)]


def make(name):
    cls, kwargs, _ = CASES[name]
    keras.backend.clear_session()
    return cls, C.build(keras.layers, cls, kwargs)


@pytest.mark.parametrize("name", sorted(DOC["layers"]))
def test_config_and_name(name):
    want = DOC["layers"][name]
    cls, layer = make(name)
    assert layer.name == want["name"]
    cfg = jsonable(layer.get_config())
    expected = dict(want["config"])
    if "seed" not in CASES[name][1] and isinstance(expected.get("seed"), int):
        # Keras 3 writes a seed drawn in [1, 1e9] for some unseeded layers (RandomCrop)
        assert isinstance(cfg.get("seed"), int) and 1 <= cfg["seed"] <= 10**9
        expected["seed"] = cfg["seed"]
    assert cfg == expected
    again = jsonable(type(layer).from_config(layer.get_config()).get_config())
    assert again == cfg
    assert bool(layer.supports_masking) == want["supports_masking"]


@pytest.mark.parametrize("loose", [False, True], ids=["batch_none", "all_but_last_none"])
@pytest.mark.parametrize("name", sorted(DOC["layers"]))
def test_output_shape(name, loose):
    want = DOC["layers"][name]["output_shape_loose" if loose else "output_shape"]
    cls, layer = make(name)
    if loose:
        shapes = [(None,) * (a.ndim - 1) + a.shape[-1:] for a in inputs(name)]
    else:
        shapes = [(None,) + tuple(a.shape[1:]) for a in inputs(name)]
    try:
        if cls in C.POSITIONAL:
            got = shape_of(layer.compute_output_shape(*shapes))
        else:
            got = shape_of(layer.compute_output_shape(unary(shapes)))
    except Exception as e:  # noqa: BLE001
        got = f"!{type(e).__name__}"
    if isinstance(want, str):  # Keras raised: minikeras may answer (it is not a harness value)
        return
    assert got == want


def call(layer, cls, xs, **kw):
    x = unary([keras.ops.convert_to_tensor(a) for a in xs])
    args = x if cls in C.POSITIONAL else [x]
    return [
        np.asarray(keras.ops.convert_to_numpy(t)) for t in keras.tree.flatten(layer(*args, **kw))
    ]


@pytest.mark.parametrize("name", sorted(DOC["layers"]))
def test_weights_and_outputs(name):
    want = DOC["layers"][name]
    cls, layer = make(name)
    xs = inputs(name)
    call(layer, cls, xs, training=False)  # builds
    got = [[w.name, w.path, list(w.shape), bool(w.trainable)] for w in layer.weights]
    assert got == want["weights"]
    layer.set_weights([DATA[f"{name}/w{i}"] for i in range(len(got))])
    ys = call(layer, cls, xs, training=False)
    if name in C.DEVIATIONS:
        return check_deviation(name, xs, ys)
    assert len(ys) == want["n_outputs"]
    assert [str(y.dtype) for y in ys] == want["output_dtypes"]
    attrs = {
        "dtype": layer.dtype,
        "compute_dtype": layer.compute_dtype,
        "variable_dtype": layer.variable_dtype,
        "count_params": int(layer.count_params()),
        "n_trainable": len(layer.trainable_weights),
        "n_non_trainable": len(layer.non_trainable_weights),
        "built": bool(layer.built),
    }
    assert attrs == want["attrs"]
    for i, y in enumerate(ys):
        np.testing.assert_allclose(y, DATA[f"{name}/y{i}"], rtol=1e-5, atol=1e-5, err_msg=f"y{i}")
    if name.endswith("~"):
        return
    ys = call(layer, cls, xs, training=True)
    for i, y in enumerate(ys):
        np.testing.assert_allclose(y, DATA[f"{name}/yt{i}"], rtol=1e-5, atol=1e-5, err_msg=f"yt{i}")
    for i, w in enumerate(layer.weights):
        np.testing.assert_allclose(
            np.asarray(w.numpy()), DATA[f"{name}/wt{i}"], rtol=1e-5, atol=1e-5, err_msg=w.path
        )


def check_deviation(name, xs, ys):
    """The cases of `C.DEVIATIONS`, against what minikeras means to compute."""
    (x,) = xs
    if name == "random_crop~":  # centred 8 x 8 window of the 4 x 4 target: all of it, resized
        want = keras.ops.image.resize(x, (4, 4), interpolation="bilinear")
    np.testing.assert_allclose(ys[0], np.asarray(want), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(n for n in DOC["layers"] if n in C.MASK_CASES))
def test_masks(name):
    want = DOC["layers"][name]
    cls, layer = make(name)
    xs = inputs(name)
    masks = [DATA[f"{name}/m{i}"] for i in range(len(xs))]
    x = unary([keras.ops.convert_to_tensor(a) for a in xs])
    call(layer, cls, xs)
    mask_in = (
        None if want["mask_from_input"] else unary([keras.ops.convert_to_tensor(m) for m in masks])
    )
    # a call on inputs that carry masks attaches Keras's masks to the outputs
    carried = [keras.ops.convert_to_tensor(a) for a in xs]
    if not want["mask_from_input"]:
        for t, m in zip(carried, masks):
            t._keras_mask = keras.ops.convert_to_tensor(m)
    outs = keras.tree.flatten(layer(*(carried if cls in C.POSITIONAL else [unary(carried)])))
    attached = [getattr(o, "_keras_mask", None) for o in outs]
    assert [m is not None for m in attached] == want["attached_masks"]
    for i, m in enumerate(attached):
        if m is not None:
            got = np.asarray(keras.ops.convert_to_numpy(m))
            np.testing.assert_array_equal(got, DATA[f"{name}/am{i}"], err_msg=f"mask of output {i}")
    cm = layer.compute_mask(x, mask_in)
    if want["n_masks"] is None:
        assert cm is None
        return
    cms = keras.tree.flatten(cm)
    assert len(cms) == want["n_masks"]
    for i, m in enumerate(cms):
        ref = DATA[f"{name}/cm{i}"]
        if ref.dtype.kind == "U":
            assert m is None
        else:
            np.testing.assert_array_equal(np.asarray(keras.ops.convert_to_numpy(m)), ref)


def assert_kind(error, name):
    """`error` is a `name` (Keras's exception type), or a subclass of it (numpy's AxisError is an
    IndexError)."""
    kinds = [k.__name__ for k in type(error).__mro__]
    assert name in kinds, f"Keras raises {name}; minikeras raised {kinds[0]}: {error}"


@pytest.mark.parametrize("name", sorted(DOC["errors"]))
def test_bad_arguments_raise_as_keras(name):
    want = DOC["errors"][name]
    cls, kwargs, specs = ERRORS[name]
    keras.backend.clear_session()
    if want["stage"] == "init":
        with pytest.raises(Exception) as info:
            C.build(keras.layers, cls, kwargs)
        assert_kind(info.value, want["type"])
        return
    if name in C.STRICTER:
        assert want["stage"] == "none"
        with pytest.raises(ValueError):
            C.build(keras.layers, cls, kwargs)
        return
    if want["stage"] == "none":  # Keras accepts it: minikeras must too
        layer = C.build(keras.layers, cls, kwargs)
        if specs is not None:
            layer(unary([keras.ops.convert_to_tensor(a) for a in C.make_inputs(name, specs)]))
        return
    # Keras raises in the call; minikeras may check the argument earlier, in the constructor
    xs = [keras.ops.convert_to_tensor(a) for a in C.make_inputs(name, specs)]
    with pytest.raises(Exception) as info:
        C.build(keras.layers, cls, kwargs)(unary(xs))
        assert_kind(info.value, want["type"])
