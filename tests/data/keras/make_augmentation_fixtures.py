"""Writes `augmentation_k3.npz`: inputs and real Keras 3 outputs of the image augmentation layers
in configurations whose result does not depend on Keras's random bit streams.

Each case either calls the layer with `training=True` where the draw is fixed (a factor pair
with equal ends, a probability of 0 or 1, a crop that is not random), or passes a transformation
chosen here to `layer.transform_images(x, transformation, training=True)`, so minikeras can be
held to Keras's math while its own random numbers differ. Run from outside the Keras tree:

    KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_augmentation_fixtures.py

npz keys: `x_<name>` the inputs; per case `i`: `args<i>` (JSON: "layer", "kwargs", "x",
"mode": "call" (`training=True`), "transform", or "infer" (`training=False`; for RandomCrop
Keras's documented inference crop, `keras.ops.image.resize` with `crop_to_aspect_ratio=True`,
since Keras 3.15's layer returns its input, keras-team/keras#21868) and
"transformation", a dict of lists or a list) and `y<i>`, the Keras output.
"""

import os

import numpy as np
from _fixture_utils import write_cases

DTYPES = {
    "apply_inversion": "bool",
    "shift_factor": "uint8",
    "apply_erasing": "bool",
    "batch_masks": "bool",
}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "augmentation_k3.npz")


def inputs():
    rng = np.random.default_rng(7)
    x255 = rng.uniform(0.0, 255.0, (2, 5, 7, 3)).astype("float32")
    return {
        "b255": x255,  # batched channels_last, pixels in [0, 255]
        "b01": rng.uniform(0.0, 1.0, (2, 4, 5, 3)).astype("float32"),
        "cf255": np.ascontiguousarray(np.moveaxis(x255, -1, 1)),  # channels_first
        "s255": rng.uniform(0.0, 255.0, (4, 6, 3)).astype("float32"),  # single image
        "big": rng.uniform(0.0, 1.0, (2, 6, 8, 2)).astype("float32"),
        "small": rng.uniform(0.0, 1.0, (1, 3, 4, 1)).astype("float32"),
    }


def case(layer, kwargs, x, mode="call", transformation=None):
    return {
        "layer": layer,
        "kwargs": kwargs,
        "x": x,
        "mode": mode,
        "transformation": transformation,
    }


def cases():
    cf = {"data_format": "channels_first"}
    return [
        # RandomCrop: not larger than the target in both sides -> Keras's fixed fallback window
        case("RandomCrop", {"height": 5, "width": 4}, "b255"),
        case("RandomCrop", {"height": 3, "width": 7}, "b255"),
        case("RandomCrop", {"height": 6, "width": 5}, "small"),  # smaller: slice, then resize
        case("RandomCrop", {"height": 4, "width": 6}, "s255"),
        case("RandomCrop", {"height": 5, "width": 4, **cf}, "cf255"),
        case("RandomCrop", {"height": 3, "width": 4}, "big", "transform", [1, 2]),
        case("RandomCrop", {"height": 4, "width": 4}, "big", "infer"),
        case("RandomCrop", {"height": 3, "width": 7}, "big", "infer"),
        case("RandomCrop", {"height": 9, "width": 5}, "big", "infer"),
        # RandomBrightness
        case("RandomBrightness", {"factor": (0.3, 0.3), "value_range": (0, 1)}, "b01"),
        case("RandomBrightness", {"factor": (-0.2, -0.2)}, "b255"),
        case(
            "RandomBrightness",
            {"factor": 0.5},
            "b255",
            "transform",
            {"rgb_delta": [[[[-40.0]]], [[[90.0]]]]},
        ),
        case("RandomBrightness", {"factor": (0.1, 0.1), **cf}, "cf255"),
        # RandomGrayscale
        case("RandomGrayscale", {"factor": 1.0}, "b255"),
        case("RandomGrayscale", {"factor": 0.0}, "b255"),
        case("RandomGrayscale", {"factor": 1.0, **cf}, "cf255"),
        case("RandomGrayscale", {"factor": 0.5}, "b255", "transform", [[[[True]]], [[[False]]]]),
        # RandomSaturation
        case("RandomSaturation", {"factor": (0.3, 0.3)}, "b255"),
        case("RandomSaturation", {"factor": (0.8, 0.8), "value_range": (0, 1)}, "b01"),
        case("RandomSaturation", {"factor": (0.0, 0.0)}, "s255"),
        case(
            "RandomSaturation", {"factor": 0.5, **cf}, "cf255", "transform", {"factor": [0.25, 3.0]}
        ),
        # RandomHue
        case("RandomHue", {"factor": 0.5}, "b255", "transform", {"factor": [0.2, -0.35]}),
        case(
            "RandomHue",
            {"factor": 1.0, "value_range": (0, 1)},
            "b01",
            "transform",
            {"factor": [0.5, 0.05]},
        ),
        case("RandomHue", {"factor": 0.5, **cf}, "cf255", "transform", {"factor": [-0.1, 0.45]}),
        # RandomSharpness
        case("RandomSharpness", {"factor": (0.2, 0.2)}, "b255"),
        case("RandomSharpness", {"factor": (0.9, 0.9), "value_range": (0, 1)}, "b01"),
        case(
            "RandomSharpness", {"factor": 0.5, **cf}, "cf255", "transform", {"factor": [0.0, 1.0]}
        ),
        # Solarization
        case("Solarization", {}, "b255"),
        case("Solarization", {"value_range": (0, 1)}, "b01"),
        case(
            "Solarization",
            {"addition_factor": 0.5, "threshold_factor": 0.5},
            "b255",
            "transform",
            {"additions": [[[[20.0]]], [[[0.0]]]], "thresholds": [[[[100.0]]], [[[180.0]]]]},
        ),
        case(
            "Solarization",
            {"threshold_factor": 0.5, "value_range": (0, 1)},
            "b01",
            "transform",
            {"additions": [[[[0.0]]], [[[60.0]]]], "thresholds": [[[[128.0]]], [[[90.0]]]]},
        ),
        # RandomColorJitter with fixed draws (brightness, then saturation)
        case(
            "RandomColorJitter",
            {
                "value_range": (0, 255),
                "brightness_factor": (0.1, 0.1),
                "saturation_factor": (0.7, 0.7),
            },
            "b255",
        ),
        # RandomShear: explicit shears, each fill mode and interpolation
        *[
            case(
                "RandomShear",
                {"x_factor": 0.5, "y_factor": 0.5, "fill_mode": mode, "interpolation": interp},
                "b01",
                "transform",
                {"shear_factor": [[0.3, -0.2], [-0.45, 0.15]]},
            )
            for mode in ("reflect", "wrap", "constant", "nearest")
            for interp in ("bilinear", "nearest")
        ],
        case(
            "RandomShear",
            {"x_factor": 0.5, "fill_mode": "constant", "fill_value": 7.0, **cf},
            "cf255",
            "transform",
            {"shear_factor": [[0.6, 0.0], [-0.2, 0.0]]},
        ),
        # RandomInvert
        case("RandomInvert", {"factor": (1.0, 1.0)}, "b255"),
        case("RandomInvert", {"factor": (0.0, 0.0)}, "b255"),
        case(
            "RandomInvert",
            {"value_range": (0, 1)},
            "b01",
            "transform",
            {"apply_inversion": [False, True]},
        ),
        # RandomPosterization
        case("RandomPosterization", {"factor": (3, 3)}, "b255"),
        case("RandomPosterization", {"factor": (1, 1), "value_range": (0, 1)}, "b01"),
        case(
            "RandomPosterization",
            {"factor": 8, **cf},
            "cf255",
            "transform",
            {"shift_factor": [2, 6]},
        ),
        # RandomColorDegeneration
        case("RandomColorDegeneration", {"factor": (0.4, 0.4)}, "b255"),
        case("RandomColorDegeneration", {"factor": (-0.9, -0.9), "value_range": (0, 1)}, "b01"),
        case(
            "RandomColorDegeneration",
            {"factor": 0.5, **cf},
            "cf255",
            "transform",
            {"factor": [[[[1.0]]], [[[-0.3]]]]},
        ),
        # RandomErasing: a whole-image box (scale 1), and an explicit box and fill
        case(
            "RandomErasing", {"factor": (1.0, 1.0), "scale": (1.0, 1.0), "fill_value": 300}, "b255"
        ),
        case(
            "RandomErasing",
            {"value_range": (0, 1), **cf},
            "cf255",
            "transform",
            {
                "apply_erasing": [True, False],
                "batch_masks": np.pad(
                    np.ones((2, 3, 3, 3), bool), ((0, 0), (0, 0), (1, 1), (2, 2))
                ).tolist(),
                "fill_value": np.full((2, 3, 5, 7), 0.5).tolist(),
            },
        ),
        # AutoContrast (not random, applied at inference too)
        case("AutoContrast", {}, "b255", "infer"),
        case("AutoContrast", {"value_range": (0, 1)}, "b01"),
        case("AutoContrast", {}, "s255"),
    ]


def transformation_arg(t):
    if isinstance(t, dict):
        return {k: np.asarray(v, DTYPES.get(k, "float32")) for k, v in t.items()}
    if isinstance(t, list) and t and isinstance(t[0], int):
        return tuple(t)
    return np.asarray(t)


def main():
    import keras

    xs = inputs()
    outputs = []
    for c in cases():
        x = xs[c["x"]]
        seed = {} if c["layer"] == "AutoContrast" else {"seed": 3}
        layer = getattr(keras.layers, c["layer"])(**c["kwargs"], **seed)
        if c["mode"] == "call":
            y = layer(x, training=True)
        elif c["mode"] == "transform":
            y = layer.transform_images(x, transformation_arg(c["transformation"]), training=True)
        elif c["layer"] != "RandomCrop":
            y = layer(x, training=False)
        else:
            size = (c["kwargs"]["height"], c["kwargs"]["width"])
            y = keras.ops.image.resize(x, size, interpolation="bilinear", crop_to_aspect_ratio=True)
        outputs.append(np.asarray(y))
    write_cases(OUT, xs, cases(), outputs)
    print(f"wrote {len(cases())} cases to {OUT} (keras {keras.__version__})")


if __name__ == "__main__":
    main()
