"""Writes `image_signal_k3.npz`: inputs and real Keras 3 outputs of `keras.ops.image`'s
`extract_patches`, `crop_images`, `pad_images`, `rgb_to_grayscale`, `rgb_to_hsv`, `hsv_to_rgb`,
`affine_transform` and `map_coordinates`, and of `keras.ops`'s `fft`, `fft2`, `ifft2`, `rfft`,
`irfft`, `stft` and `istft`.

Keras's jax backend is the reference. Run from outside the Keras source tree:

    KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_image_signal_fixtures.py

npz keys: `x_<name>` the inputs; per case `i`: `args<i>` (JSON: "fn" the op, "x" the input
names — one name, or a list for a `(real, imag)` pair or extra positional inputs — and "kwargs")
and `y<i>_<k>`, the Keras output(s) (k = 0, or 0 and 1 for `(real, imag)` results).
"""

import os

import numpy as np
from _fixture_utils import write_cases

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "image_signal_k3.npz")


def inputs():
    rng = np.random.default_rng(2024)
    u = lambda *s: rng.uniform(-1.0, 1.0, s).astype("float32")  # noqa: E731
    return {
        "img": u(2, 7, 9, 3),  # batched channels_last
        "img1": u(5, 6, 2),  # single image
        "imgcf": u(2, 3, 7, 9),  # batched channels_first
        "vol": u(1, 5, 6, 7, 2),  # batched volume
        "i32": rng.integers(-50, 50, (1, 6, 6, 1)).astype("int32"),
        "rgb": rng.uniform(0.0, 1.0, (2, 4, 5, 3)).astype("float32"),
        "rgbcf": rng.uniform(0.0, 1.0, (3, 4, 5)).astype("float32"),
        "hsv": rng.uniform(-0.5, 1.5, (2, 4, 5, 3)).astype("float32"),
        "grey": np.array(
            [
                [
                    [
                        [0.2, 0.2, 0.2],
                        [1.0, 0.0, 0.0],
                        [0.0, 1.0, 0.0],
                        [0.0, 0.0, 1.0],
                        [0.5, 0.5, 0.0],
                        [0.0, 0.0, 0.0],
                        [0.3, 0.7, 0.7],
                    ]
                ]
            ],
            "float32",
        ),
        "tr": np.array(
            [
                [1.0, 0.2, -1.5, -0.1, 0.9, 2.3, 0.0, 0.0],
                [0.7, -0.7, 3.0, 0.7, 0.7, -2.0, 0.0, 0.0],
            ],
            "float32",
        ),
        "tr1": np.array([1.3, 0.0, -0.5, 0.0, 1.3, -0.5, 0.0, 0.0], "float32"),
        "grid": u(4, 5),
        "coords": rng.uniform(-3.0, 8.0, (2, 3, 7)).astype("float32"),
        "coordsi": np.array(
            [
                [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5],
                [0.4, 1.6, 2.5, 3.5, -1.0, 5.0, 6.0, -7.2, 9.1, 2.2],
            ],
            "float32",
        ),
        "re": u(3, 4, 6),
        "im": u(3, 4, 6),
        "re5": u(2, 5),
        "im5": u(2, 5),
        "sig": u(2, 37),
        "sig1": u(16),
        "win": rng.uniform(0.1, 1.0, (6,)).astype("float32"),
    }


def cases():
    out = []
    add = lambda fn, x, **kw: out.append({"fn": fn, "x": x, "kwargs": kw})  # noqa: E731
    # extract_patches
    add("image.extract_patches", "img", size=2)
    add("image.extract_patches", "img", size=(3, 2), strides=(1, 2))
    add("image.extract_patches", "img", size=(3, 4), strides=(2, 3), padding="same")
    add("image.extract_patches", "img", size=2, strides=1, dilation_rate=2)
    add(
        "image.extract_patches", "img", size=(2, 3), strides=1, dilation_rate=(2, 1), padding="same"
    )
    add("image.extract_patches", "img1", size=(2, 2), strides=(1, 1))
    add(
        "image.extract_patches",
        "imgcf",
        size=3,
        strides=(2, 2),
        padding="same",
        data_format="channels_first",
    )
    add("image.extract_patches", "vol", size=(2, 3, 2), strides=(2, 2, 3))
    add("image.extract_patches", "vol", size=(2, 2, 2), strides=(1, 2, 2), padding="same")
    add("image.extract_patches", "i32", size=3, strides=2)
    # crop / pad
    add(
        "image.crop_images", "img", top_cropping=1, left_cropping=2, target_height=4, target_width=5
    )
    add(
        "image.crop_images",
        "img1",
        top_cropping=0,
        left_cropping=1,
        bottom_cropping=2,
        right_cropping=0,
    )
    add(
        "image.crop_images",
        "imgcf",
        bottom_cropping=1,
        right_cropping=3,
        target_height=4,
        target_width=5,
        data_format="channels_first",
    )
    add("image.pad_images", "img", top_padding=1, left_padding=2, target_height=10, target_width=12)
    add(
        "image.pad_images", "img1", top_padding=0, left_padding=3, bottom_padding=2, right_padding=1
    )
    add(
        "image.pad_images",
        "imgcf",
        bottom_padding=1,
        right_padding=0,
        target_height=9,
        target_width=10,
        data_format="channels_first",
    )
    # colour
    add("image.rgb_to_grayscale", "rgb")
    add("image.rgb_to_grayscale", "rgbcf", data_format="channels_first")
    add("image.rgb_to_hsv", "rgb")
    add("image.rgb_to_hsv", "grey")
    add("image.rgb_to_hsv", "rgbcf", data_format="channels_first")
    add("image.hsv_to_rgb", "hsv")
    add("image.hsv_to_rgb", "rgbcf", data_format="channels_first")
    # affine_transform and map_coordinates
    for interpolation in ("nearest", "bilinear"):
        for fill_mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
            add(
                "image.affine_transform",
                ["img", "tr"],
                interpolation=interpolation,
                fill_mode=fill_mode,
                fill_value=0.5,
            )
        add("image.affine_transform", ["img1", "tr1"], interpolation=interpolation)
        add(
            "image.affine_transform",
            ["imgcf", "tr"],
            interpolation=interpolation,
            data_format="channels_first",
        )
    for order in (0, 1):
        for fill_mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
            add(
                "image.map_coordinates",
                ["grid", "coords"],
                order=order,
                fill_mode=fill_mode,
                fill_value=-2.0,
            )
            add("image.map_coordinates", ["grid", "coordsi"], order=order, fill_mode=fill_mode)
    # Fourier transforms
    add("fft", [["re", "im"]])
    add("fft", [["re5", "im5"]])
    add("fft2", [["re", "im"]])
    add("ifft2", [["re", "im"]])
    for n in (None, 4, 5, 9, 12):
        add("rfft", "re5", fft_length=n)
    for n in (None, 5, 6, 7, 11, 2):
        add("irfft", [["re", "im"]], fft_length=n)
    for window in ("hann", "hamming", None, "win"):
        for center in (True, False):
            add(
                "stft",
                "sig",
                sequence_length=6,
                sequence_stride=4,
                fft_length=8,
                window=window,
                center=center,
            )
    add("stft", "sig1", sequence_length=5, sequence_stride=2, fft_length=5)
    return out


def run(case, xs):
    import keras

    fn = keras.ops
    for part in case["fn"].split("."):
        fn = getattr(fn, part)
    kw = dict(case["kwargs"])
    if kw.get("window") == "win":
        kw["window"] = xs["win"]
    names = case["x"] if isinstance(case["x"], list) else [case["x"]]
    args = [tuple(xs[n] for n in name) if isinstance(name, list) else xs[name] for name in names]
    y = fn(*args, **kw)
    return [keras.ops.convert_to_numpy(t) for t in (y if isinstance(y, tuple) else (y,))]


def istft_cases():
    """istft takes stft's output: the fixture stores Keras's stft of `sig` as the input pair."""
    out = []
    for window in ("hann", "hamming", None):
        for center in (True, False):
            for length in (None, 30):
                out.append(
                    {
                        "fn": "istft",
                        "x": [["st_re", "st_im"]],
                        "kwargs": {
                            "sequence_length": 8,
                            "sequence_stride": 4,
                            "fft_length": 8,
                            "window": window,
                            "center": center,
                            "length": length,
                        },
                    }
                )
    out.append(
        {
            "fn": "istft",
            "x": [["st_re", "st_im"]],
            "kwargs": {"sequence_length": 6, "sequence_stride": 2, "fft_length": 8},
        }
    )
    return out


def main():
    import keras

    xs = inputs()
    st = keras.ops.stft(xs["sig"], 8, 4, 8)
    xs["st_re"], xs["st_im"] = (keras.ops.convert_to_numpy(t) for t in st)
    all_cases = cases() + istft_cases()
    write_cases(OUT, xs, all_cases, [list(run(case, xs)) for case in all_cases])
    print(f"wrote {len(all_cases)} cases to {OUT} with Keras {keras.__version__}")


if __name__ == "__main__":
    main()
