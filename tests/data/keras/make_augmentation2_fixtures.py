"""Writes `augmentation2_k3.npz`: real Keras 3 outputs of the image augmentation layers added
after `augmentation_k3.npz` (Equalization, MixUp, CutMix, RandomGaussianBlur, RandomPerspective,
RandomElasticTransform) and of `keras.ops.image.gaussian_blur` / `perspective_transform` /
`compute_homography_matrix`, in configurations whose result does not depend on Keras's random
bit streams (see `make_augmentation_fixtures.py`, whose inputs and conventions this reuses).
Run from outside the Keras tree:

    KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_augmentation2_fixtures.py

Modes besides "call", "transform" and "infer": "randaug" (RandAugment's own random
transformation with its `layer_idxes` replaced by the case's), "labels"
(`layer.transform_labels(x_labels, transformation)`), "single" (`layer(x, training=True)` on a 3-D image, for layers that leave
it unchanged) and "op" (`keras.ops.image.<layer>(x, **kwargs)`; for `perspective_transform`
the kwargs hold the points; for `compute_homography_matrix`, which Keras keeps in its
backend, "x" names no input).
"""

import importlib.util
import os

import numpy as np
from _fixture_utils import write_cases

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "augmentation2_k3.npz")
DTYPES = {
    "should_apply_blur": "bool",
    "apply_perspective": "bool",
    "batch_masks": "bool",
    "permutation_order": "int32",
    "apply_transform": "bool",
}

_spec = importlib.util.spec_from_file_location(
    "aug1", os.path.join(HERE, "make_augmentation_fixtures.py")
)
_aug1 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_aug1)


def inputs():
    xs = _aug1.inputs()
    rng = np.random.default_rng(11)
    flat = rng.uniform(0.0, 255.0, (2, 4, 5, 2)).astype("float32")
    flat[..., 1] = 77.0  # one channel in a single histogram bin
    xs["flat"] = flat
    xs["quant"] = np.round(rng.uniform(0.0, 1.0, (3, 6, 6, 3)) * 8) / 8.0  # few distinct values
    xs["quant"] = xs["quant"].astype("float32")
    xs["labels"] = np.array([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]], "float32")
    return xs


def case(layer, kwargs, x, mode="call", transformation=None):
    return {
        "layer": layer,
        "kwargs": kwargs,
        "x": x,
        "mode": mode,
        "transformation": transformation,
    }


CHAINS = [
    [{"layer_name": "equalization", "transformation": None}],
    [
        {"layer_name": "auto_contrast", "transformation": None},
        {"layer_name": "equalization", "transformation": None},
    ],
    [],
]
SQUARE = [[0.0, 0.0], [6.0, 0.0], [0.0, 4.0], [6.0, 4.0]]  # corners of a 5 x 7 image
MOVED = [[0.7, -0.4], [5.2, 0.9], [-0.3, 4.6], [6.8, 3.1]]
SQUARE_B = [[0.0, 0.0], [7.0, 0.0], [0.0, 5.0], [7.0, 5.0]]  # 6 x 8 ("big")
MOVED_B = [[1.1, 0.2], [6.4, -0.8], [0.5, 5.5], [7.9, 4.2]]


def cases():
    cf = {"data_format": "channels_first"}
    cl = {"data_format": "channels_last"}  # ops.image.gaussian_blur(data_format=None) on jax
    # treats the images as channels first (it tests == "channels_last"; numpy's backend
    # assumes channels last): Keras documents None as image_data_format(), so the cases pass it
    masks = np.zeros((2, 5, 7, 3), bool)
    masks[0, 1:4, 2:6] = True
    masks[1, 0:2, 0:3] = True
    return [
        # Equalization (not random)
        case("Equalization", {}, "b255"),
        case("Equalization", {"value_range": (0, 1)}, "b01"),
        case("Equalization", {"bins": 16}, "b255"),
        case("Equalization", {**cf}, "cf255"),
        case("Equalization", {}, "s255"),
        case("Equalization", {}, "flat"),
        case("Equalization", {"value_range": (0, 1), "bins": 64}, "quant"),
        case("Equalization", {}, "b255", "infer"),
        # MixUp: explicit weights and permutation
        case(
            "MixUp",
            {},
            "b255",
            "transform",
            {"mix_weight": [0.3, 0.85], "permutation_order": [1, 0]},
        ),
        case(
            "MixUp",
            {**cf},
            "cf255",
            "transform",
            {"mix_weight": [0.6, 0.1], "permutation_order": [1, 0]},
        ),
        case(
            "MixUp",
            {},
            "labels",
            "labels",
            {"mix_weight": [0.3, 0.85], "permutation_order": [1, 0]},
        ),
        case("MixUp", {}, "b255", "infer"),
        # CutMix: explicit boxes and permutation; a single image is left unchanged
        case(
            "CutMix",
            {},
            "b255",
            "transform",
            {
                "permutation_order": [1, 0],
                "batch_masks": masks.tolist(),
                "mix_weight": [[[[0.6]]], [[[0.8]]]],
            },
        ),
        case(
            "CutMix",
            {**cf},
            "cf255",
            "transform",
            {
                "permutation_order": [1, 0],
                "batch_masks": np.moveaxis(masks, -1, 1).tolist(),
                "mix_weight": [[[[0.6]]], [[[0.8]]]],
            },
        ),
        case(
            "CutMix",
            {},
            "labels",
            "labels",
            {
                "permutation_order": [1, 0],
                "batch_masks": masks.tolist(),
                "mix_weight": [[[[0.6]]], [[[0.8]]]],
            },
        ),
        case("CutMix", {}, "s255", "single"),
        # RandomGaussianBlur: always applied, a fixed sigma
        case("RandomGaussianBlur", {"factor": (1.0, 1.0), "sigma": (0.5, 0.5)}, "b255"),
        case(
            "RandomGaussianBlur",
            {"factor": (1.0, 1.0), "kernel_size": 5, "sigma": (0.9, 0.9), "value_range": (0, 1)},
            "b01",
        ),
        case("RandomGaussianBlur", {"factor": (0.0, 0.0)}, "b255"),
        case(
            "RandomGaussianBlur",
            {"kernel_size": (3, 5), **cf},
            "cf255",
            "transform",
            {"should_apply_blur": [True, False], "blur_factor": [0.7, 1.3]},
        ),
        case(
            "RandomGaussianBlur",
            {"kernel_size": (5, 3), "value_range": (0, 100)},
            "b255",
            "transform",
            {"should_apply_blur": [True, True], "blur_factor": [1.1, 0.6]},
        ),
        # RandomPerspective: explicit corners
        *[
            case(
                "RandomPerspective",
                {"interpolation": interp, "fill_value": fill},
                "b255",
                "transform",
                {
                    "apply_perspective": [True, False],
                    "start_points": [SQUARE, SQUARE],
                    "end_points": [MOVED, SQUARE],
                },
            )
            for interp in ("bilinear", "nearest")
            for fill in (0.0, 9.0)
        ],
        case(
            "RandomPerspective",
            {**cf},
            "cf255",
            "transform",
            {
                "apply_perspective": [True, True],
                "start_points": [SQUARE, SQUARE],
                "end_points": [MOVED, [[p[0] * 0.9, p[1] * 1.1] for p in SQUARE]],
            },
        ),
        case("RandomPerspective", {"factor": (0.0, 0.0)}, "big"),
        # RandomElasticTransform never applied: only the clip to value_range remains
        case("RandomElasticTransform", {"factor": (0.0, 0.0), "value_range": (0, 100)}, "b255"),
        case(
            "RandomElasticTransform", {"factor": (0.0, 0.0), "value_range": (0, 0.5), **cf}, "cf255"
        ),
        # RandAugment with the random operation indices replaced by the deterministic ones
        # (10: equalization, 9: auto_contrast; the others' random draws are then unused)
        case("RandAugment", {}, "b255", "randaug", [10, 9]),
        case("RandAugment", {"num_ops": 3}, "b255", "randaug", [9, 10, 10]),
        # (auto_contrast then equalization in [0, 1] is left out: one pixel that XLA's fused
        # x * scale + offset rounds to exactly 1.0 lands one histogram bin higher there)
        case("RandAugment", {"value_range": (0, 1)}, "b01", "randaug", [10, 9]),
        # (channels first: equalization only, since Keras 3.15's AutoContrast takes its min and
        # max over axes (1, 2) whatever the data format)
        case("RandAugment", {**cf}, "cf255", "randaug", [10, 10]),
        # AugMix with chains of the deterministic operations and explicit weights
        case(
            "AugMix",
            {},
            "b255",
            "transform",
            {
                "chain_mixing_weights": [0.2, 0.3, 0.5],
                "weight_sample": 0.4,
                "chain_transforms": CHAINS,
            },
        ),
        case(
            "AugMix",
            {"value_range": (0, 1)},
            "quant",
            "transform",
            {
                "chain_mixing_weights": [0.6, 0.1, 0.3],
                "weight_sample": 0.25,
                "chain_transforms": CHAINS,
            },
        ),
        case(
            "AugMix",
            {**cf, "all_ops": False},
            "cf255",
            "transform",
            {
                "chain_mixing_weights": [0.5, 0.5, 0.0],
                "weight_sample": 0.7,
                "chain_transforms": [
                    [],
                    [{"layer_name": "equalization", "transformation": None}],
                    [{"layer_name": "equalization", "transformation": None}],
                ],
            },
        ),
        # ops
        case("gaussian_blur", {"kernel_size": (3, 3), "sigma": (1.0, 1.0), **cl}, "b255", "op"),
        case("gaussian_blur", {"kernel_size": (5, 3), "sigma": (0.8, 2.0), **cl}, "big", "op"),
        case("gaussian_blur", {"kernel_size": (3, 7), "sigma": (1.5, 0.6), **cl}, "s255", "op"),
        case("gaussian_blur", {"kernel_size": (3, 5), "sigma": (1.2, 0.7), **cf}, "cf255", "op"),
        case("gaussian_blur", {"kernel_size": (4, 2), "sigma": (1.0, 1.0), **cl}, "big", "op"),
        case(
            "perspective_transform",
            {"start_points": [SQUARE_B, SQUARE_B], "end_points": [MOVED_B, SQUARE_B]},
            "big",
            "op",
        ),
        case(
            "perspective_transform",
            {
                "start_points": [SQUARE, SQUARE],
                "end_points": [MOVED, SQUARE],
                "interpolation": "nearest",
                "fill_value": 3.0,
            },
            "b255",
            "op",
        ),
        case(
            "perspective_transform",
            {
                "start_points": [SQUARE, SQUARE],
                "end_points": [[[p[1], p[0]] for p in MOVED], MOVED],
                **cf,
            },
            "cf255",
            "op",
        ),
        case("perspective_transform", {"start_points": SQUARE, "end_points": MOVED}, "s255", "op"),
        case(
            "compute_homography_matrix",
            {"start_points": [SQUARE, SQUARE_B], "end_points": [MOVED, MOVED_B]},
            None,
            "op",
        ),
    ]


def transformation_arg(t):
    if isinstance(t, dict) and "chain_transforms" in t:  # AugMix: weights as arrays
        return {
            **{k: np.asarray(v, "float32") for k, v in t.items() if k != "chain_transforms"},
            "chain_transforms": t["chain_transforms"],
        }
    if isinstance(t, dict):
        return {k: np.asarray(v, DTYPES.get(k, "float32")) for k, v in t.items()}
    return np.asarray(t)


def main():
    import keras

    xs = inputs()
    outputs = []
    for c in cases():
        x = xs.get(c["x"])
        if c["mode"] == "op":
            kwargs = dict(c["kwargs"])
            if c["layer"] == "compute_homography_matrix":  # not public: the backend's
                from keras.src.backend import image as backend_image

                y = backend_image.compute_homography_matrix(
                    np.asarray(kwargs["start_points"], "float32"),
                    np.asarray(kwargs["end_points"], "float32"),
                )
            else:
                fn = getattr(keras.ops.image, c["layer"])
                for k in ("start_points", "end_points"):
                    if k in kwargs:
                        kwargs[k] = np.asarray(kwargs[k], "float32")
                y = fn(x, **kwargs)
            outputs.append(np.asarray(y))
            continue
        seed = {} if c["layer"] == "Equalization" else {"seed": 3}
        layer = getattr(keras.layers, c["layer"])(**c["kwargs"], **seed)
        if c["mode"] in ("call", "single"):
            y = layer(x, training=True)
        elif c["mode"] == "transform":
            y = layer.transform_images(x, transformation_arg(c["transformation"]), training=True)
        elif c["mode"] == "randaug":
            t = layer.get_random_transformation(x, training=True)
            t["layer_idxes"] = np.asarray(c["transformation"], "int32")
            y = layer.transform_images(x, t, training=True)
        elif c["mode"] == "labels":
            y = layer.transform_labels(x, transformation_arg(c["transformation"]), training=True)
        else:
            y = layer(x, training=False)
        outputs.append(np.asarray(y))
    write_cases(OUT, xs, cases(), outputs)
    print(f"wrote {len(cases())} cases to {OUT} (keras {keras.__version__})")


if __name__ == "__main__":
    main()
