"""Writes the Keras fixtures of the newer `keras.applications` models (ConvNeXt, EfficientNetV2,
MobileNet, MobileNetV3, InceptionResNetV2, NASNet) into `tests/applications/fixtures/`.

Run with real Keras 3 from the repository root, on the jax backend (Keras 3.15's NASNetMobile
refuses the torch backend; the other models give the same numbers on both):

    KERAS_BACKEND=jax /work/anchors/bin/python tests/applications/make_fixtures.py [stem ...]

(naming stems remakes only those fixtures; each is seeded on its own, so the files are the same).

For each fixture model, Keras builds it with `weights=None` (seeded random init, `classes=5`,
logits, the smallest input size it accepts). Its weights are then replaced by a *patterned*
copy of that init so the files stay small (see `pattern`); Keras predicts on seeded random
[0, 255] images and writes:

- `<stem>.weights.h5`: `model.save_weights` (the Keras 3 layout). Files over 2 MB are repacked
  by h5py with gzip (same groups, datasets, attributes and bytes; only the storage filter
  differs), which shrinks the periodic weights about a hundredfold;
- `<stem>_legacy.h5` for two models: the legacy layout Keras's ImageNet files use
  (`layer_names` / `weight_names`, written by Keras's own `save_weights_to_hdf5_group`);
- `<stem>.npz`: `x` (the raw images), `y` (Keras's logits on `preprocess_input(x)`);
- `convnext_toy.keras` (+ `.npz`): a small ConvNeXt with drop-path, saved whole by Keras, whose
  config names the convnext module's own LayerScale and StochasticDepth layers.

`keras_apps.json` holds, per fixture model, the builder's arguments, the model's name, its
layer names and classes, its weight shapes in Keras's order and its parameter count, and for
every variant Keras ships: `params_full` (the default model) and `params_notop`
(`include_top=False` at the smallest size).
"""

import json
import os
import shutil
import sys

import h5py
import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
A = keras.applications
PERIOD = 257  # prime, so a transposed or misordered kernel does not repeat the same values

# stem: (builder, module, kwargs)
FIXTURES = {
    "convnext_tiny": ("ConvNeXtTiny", "convnext", {"input_shape": [32, 32, 3]}),
    "efficientnetv2_b0": ("EfficientNetV2B0", "efficientnet_v2", {"input_shape": [32, 32, 3]}),
    "mobilenet_025": (
        "MobileNet",
        "mobilenet",
        {"input_shape": [32, 32, 3], "alpha": 0.25, "depth_multiplier": 1},
    ),
    "mobilenet_v3_small": ("MobileNetV3Small", "mobilenet_v3", {"input_shape": [32, 32, 3]}),
    "mobilenet_v3_large_min": (
        "MobileNetV3Large",
        "mobilenet_v3",
        {"input_shape": [32, 32, 3], "alpha": 0.75, "minimalistic": True},
    ),
    "inception_resnet_v2": (
        "InceptionResNetV2",
        "inception_resnet_v2",
        {"input_shape": [75, 75, 3]},
    ),
    "nasnet_mobile": ("NASNetMobile", "nasnet", {"input_shape": [32, 32, 3]}),
}
LEGACY = ("convnext_tiny", "mobilenet_v3_small")
MIN_SIZE = {"InceptionResNetV2": 75}
VARIANTS = (
    [f"ConvNeXt{v}" for v in ("Tiny", "Small", "Base", "Large", "XLarge")]
    + [f"EfficientNetV2{v}" for v in ("B0", "B1", "B2", "B3", "S", "M", "L")]
    + ["MobileNet", "MobileNetV3Small", "MobileNetV3Large", "InceptionResNetV2"]
    + ["NASNetMobile", "NASNetLarge"]
)


def pattern(value, index):
    """A periodic copy of a freshly initialised weight with the same mean and spread.

    A period of PERIOD seeded uniform values, scaled to the init's mean and std; a constant
    init (BatchNormalization's gamma, beta, moving statistics, biases, LayerScale) gets a
    +-10% wobble so that a swapped pair of those would also show in the outputs.
    """
    rng = np.random.default_rng(1000 + index)
    base = rng.uniform(-1.0, 1.0, PERIOD)
    flat = np.resize(base, value.size).reshape(value.shape)
    mean, std = float(value.mean()), float(value.std())
    if std > 0:
        out = mean + std * np.sqrt(3.0) * flat
    else:
        out = mean + 0.1 * max(abs(mean), 1.0) * flat
    return out.astype(value.dtype)


def describe(model):
    return {
        "name": model.name,
        "params": model.count_params(),
        "layers": [[layer.name, type(layer).__name__] for layer in model.layers],
        "weight_shapes": [list(w.shape) for w in model.weights],
    }


def repack(path):
    """Same file with every dataset gzip-compressed (h5py copies groups and attributes)."""
    tmp = path + ".tmp"
    # libver="latest": a one-chunk dataset needs no B-tree (the 1.8 format's 4 KB per dataset)
    with h5py.File(path, "r") as src, h5py.File(tmp, "w", libver="latest") as dst:
        for key, val in src.attrs.items():
            dst.attrs[key] = val

        def copy(name, obj):
            if isinstance(obj, h5py.Group):
                group = dst.require_group(name)
            else:
                kwargs = {}
                if obj.shape and obj.size > 4096:
                    # one chunk per dataset: deflate then sees the whole period repeat
                    kwargs = {"compression": "gzip", "compression_opts": 9, "chunks": obj.shape}
                group = dst.create_dataset(name, data=obj[()], **kwargs)
            for key, val in obj.attrs.items():
                group.attrs[key] = val

        src.visititems(copy)
    shutil.move(tmp, path)


def make_fixture(stem, builder, module, kwargs):
    keras.backend.clear_session()
    keras.utils.set_random_seed(7)
    kwargs = dict(kwargs, weights=None, classes=5, classifier_activation=None)
    model = getattr(A, builder)(**dict(kwargs, input_shape=tuple(kwargs["input_shape"])))
    for i, w in enumerate(model.weights):
        w.assign(pattern(keras.ops.convert_to_numpy(w), i))
    rng = np.random.default_rng(11)
    x = rng.uniform(0, 255, (2,) + tuple(kwargs["input_shape"])).astype("float32")
    preprocess = getattr(A, module).preprocess_input
    y = model.predict(preprocess(x.copy()), verbose=0)
    path = os.path.join(OUT, stem + ".weights.h5")
    model.save_weights(path)
    if os.path.getsize(path) > 2 << 20:  # MobileNet(alpha=0.25)'s file stays as Keras wrote it
        repack(path)
    if stem in LEGACY:
        legacy = os.path.join(OUT, stem + "_legacy.h5")
        with h5py.File(legacy, "w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, model)
        if os.path.getsize(legacy) > 1 << 20:
            repack(legacy)
    np.savez_compressed(os.path.join(OUT, stem + ".npz"), x=x, y=y)
    entry = dict(describe(model), builder=builder, kwargs=kwargs)
    print(stem, entry["params"], float(np.abs(y).max()), os.path.getsize(path), flush=True)
    return entry


def make_keras_file():
    """A toy ConvNeXt (drop-path on, so StochasticDepth layers exist) saved as a `.keras` file:
    Keras names LayerScale/StochasticDepth by class in its config, and loading must find them."""
    from keras.src.applications.convnext import ConvNeXt

    keras.backend.clear_session()
    keras.utils.set_random_seed(7)
    model = ConvNeXt(
        depths=[1, 1, 1, 1],
        projection_dims=[8, 16, 32, 64],
        drop_path_rate=0.1,
        input_shape=(32, 32, 3),
        classes=3,
        name="convnext_toy",
    )
    x = np.random.default_rng(11).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    model.save(os.path.join(OUT, "convnext_toy.keras"))
    np.savez_compressed(os.path.join(OUT, "convnext_toy.npz"), x=x, y=model.predict(x, verbose=0))
    print("convnext_toy", model.count_params(), flush=True)


def count(builder):
    keras.backend.clear_session()
    full = getattr(A, builder)(weights=None).count_params()
    keras.backend.clear_session()
    size = MIN_SIZE.get(builder, 32)
    notop = getattr(A, builder)(
        weights=None, include_top=False, input_shape=(size, size, 3)
    ).count_params()
    print(builder, full, notop, flush=True)
    return {"params_full": full, "params_notop": notop, "notop_size": size}


def main(stems):
    """Remakes the fixtures named in `stems` (all of them, and the counts, when empty)."""
    os.makedirs(OUT, exist_ok=True)
    fixtures, counts = {}, {}
    json_path = os.path.join(OUT, "keras_apps.json")
    if stems and os.path.exists(json_path):
        with open(json_path) as f:
            old = json.load(f)
        fixtures, counts = old["fixtures"], old["counts"]
    for stem, spec in FIXTURES.items():
        if not stems or stem in stems:
            fixtures[stem] = make_fixture(stem, *spec)
    if not stems or "convnext_toy" in stems:
        make_keras_file()
    if not stems:
        counts = {builder: count(builder) for builder in VARIANTS}
    with open(json_path, "w") as f:
        json.dump(
            {"keras_version": keras.__version__, "fixtures": fixtures, "counts": counts},
            f,
            separators=(",", ":"),
        )
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
