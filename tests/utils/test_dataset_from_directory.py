"""text_dataset_from_directory and image_dataset_from_directory on tiny generated directories,
plus load_img / img_to_array / array_to_img / save_img (image tests need Pillow)."""

import sys

import numpy as np
import pytest

import minikeras as keras
from minikeras.utils import (
    array_to_img,
    image_dataset_from_directory,
    img_to_array,
    load_img,
    save_img,
    text_dataset_from_directory,
)


@pytest.fixture
def text_dir(tmp_path):
    """b/ made before a/: classes must still come out sorted. 3 texts in a, 2 in b."""
    for cls, n in (("b", 2), ("a", 3)):
        (tmp_path / cls).mkdir()
        for i in range(n):
            (tmp_path / cls / f"{i}.txt").write_text(f"{cls}{i} text")
    (tmp_path / "a" / "skip.csv").write_text("not a text file")
    (tmp_path / "a" / "deep").mkdir()
    (tmp_path / "a" / "deep" / "z.txt").write_text("a-deep")  # nested files keep the class
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "h.txt").write_text("hidden")
    (tmp_path / "top.txt").write_text("outside any class")
    return tmp_path


SORTED_TEXTS = ["a0 text", "a1 text", "a2 text", "a-deep", "b0 text", "b1 text"]
SORTED_LABELS = [0, 0, 0, 0, 1, 1]


def everything(ds):
    xs, ys = zip(*(ds[i] for i in range(len(ds))))
    return list(np.concatenate(xs)), np.concatenate(ys)


def test_text_labels_inferred_in_alphanumeric_order(text_dir, capsys):
    ds = text_dataset_from_directory(text_dir, batch_size=4, shuffle=False)
    assert "Found 6 files belonging to 2 classes." in capsys.readouterr().out
    assert ds.class_names == ["a", "b"] and len(ds) == 2
    x, y = ds[0]
    assert x.dtype == object and x.shape == (4,) and y.dtype == np.int32
    texts, labels = everything(ds)
    assert texts == SORTED_TEXTS and labels.tolist() == SORTED_LABELS
    assert ds[1][0].shape == (2,)  # the last batch holds the rest


def test_text_label_modes(text_dir):
    _, y = text_dataset_from_directory(text_dir, label_mode="categorical", shuffle=False)[0]
    np.testing.assert_array_equal(y, np.eye(2, dtype="float32")[SORTED_LABELS])
    assert y.dtype == np.float32
    _, y = text_dataset_from_directory(text_dir, label_mode="binary", shuffle=False)[0]
    assert y.shape == (6, 1) and y.dtype == np.float32 and y[:, 0].tolist() == SORTED_LABELS
    x = text_dataset_from_directory(text_dir, label_mode=None, shuffle=False)[0]
    # without labels every file under the root counts, hidden directories and all (as Keras)
    assert list(x) == ["outside any class", "hidden", *SORTED_TEXTS]
    (text_dir / "c").mkdir()
    (text_dir / "c" / "c.txt").write_text("c")
    with pytest.raises(ValueError, match="exactly 2"):
        text_dataset_from_directory(text_dir, label_mode="binary")


def test_text_shuffle_with_seed(text_dir):
    ds = text_dataset_from_directory(text_dir, seed=42, batch_size=None)
    order = np.arange(6)
    np.random.RandomState(42).shuffle(order)
    assert [ds[i][0] for i in range(6)] == [SORTED_TEXTS[i] for i in order]
    assert [int(ds[i][1]) for i in range(6)] == [SORTED_LABELS[i] for i in order]
    again = text_dataset_from_directory(text_dir, seed=42, batch_size=None, verbose=False)
    assert [again[i][0] for i in range(6)] == [ds[i][0] for i in range(6)]


def test_text_validation_split(text_dir):
    train, val = text_dataset_from_directory(
        text_dir, validation_split=0.34, subset="both", seed=7, batch_size=2
    )
    order = np.arange(6)
    np.random.RandomState(7).shuffle(order)
    num_val = int(0.34 * 6)  # Keras: the last int(split * n) shuffled files
    train_texts, _ = everything(train)
    val_texts, val_labels = everything(val)
    assert train_texts == [SORTED_TEXTS[i] for i in order[: 6 - num_val]]
    assert val_texts == [SORTED_TEXTS[i] for i in order[6 - num_val :]]
    assert val_labels.tolist() == [SORTED_LABELS[i] for i in order[6 - num_val :]]
    only_val = text_dataset_from_directory(
        text_dir, validation_split=0.34, subset="validation", seed=7
    )
    assert everything(only_val)[0] == val_texts
    train.on_epoch_end()  # training files are reshuffled between epochs, never mixed with val
    assert sorted(everything(train)[0]) == sorted(train_texts)


def test_text_explicit_labels_class_names_and_max_length(text_dir):
    ds = text_dataset_from_directory(
        text_dir / "a", labels=[3, 1, 3, 1], shuffle=False, max_length=2, label_mode="int"
    )
    x, y = ds[0]
    assert list(x) == ["a0", "a1", "a2", "a-"] and y.tolist() == [3, 1, 3, 1]
    assert ds.class_names == ["1", "3"]
    ds = text_dataset_from_directory(text_dir, class_names=["b"], shuffle=False)
    assert everything(ds)[0] == ["b0 text", "b1 text"] and ds.class_names == ["b"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"label_mode": "sparse"}, "label_mode"),
        ({"labels": "folders"}, "labels"),
        ({"labels": [0] * 6, "class_names": ["a"]}, "class_names"),
        ({"class_names": ["a", "zzz"]}, "class_names"),
        ({"labels": [0, 1]}, "lengths"),
        ({"validation_split": 0.2}, "subset"),
        ({"subset": "training"}, "validation_split"),
        ({"validation_split": 1.5, "subset": "training", "seed": 1}, "between 0 and 1"),
        ({"validation_split": 0.2, "subset": "training"}, "seed"),
        ({"validation_split": 0.2, "subset": "test", "seed": 1}, "subset"),
    ],
)
def test_text_argument_errors(text_dir, kwargs, message):
    with pytest.raises(ValueError, match=message):
        text_dataset_from_directory(text_dir, verbose=False, **kwargs)


def test_empty_directory_is_an_error(tmp_path):
    (tmp_path / "a").mkdir()
    with pytest.raises(ValueError, match="No text files found"):
        text_dataset_from_directory(tmp_path, verbose=False)


# -- images --------------------------------------------------------------------------------------


@pytest.fixture
def Image():
    return pytest.importorskip("PIL.Image")


@pytest.fixture
def image_dir(tmp_path, Image):
    """cats/: two PNGs, dogs/: a BMP and a .PNG (upper case): 2x2 RGB, lossless, known pixels."""
    pixels = {}
    for cls, names in (("cats", ["c0.png", "c1.png"]), ("dogs", ["d0.bmp", "d1.PNG"])):
        (tmp_path / cls).mkdir()
        for k, name in enumerate(names):
            value = np.arange(12, dtype=np.uint8).reshape(2, 2, 3) * 10 + 100 * (cls == "dogs") + k
            Image.fromarray(value, "RGB").save(tmp_path / cls / name)
            pixels[f"{cls}/{name}"] = value
    (tmp_path / "cats" / "notes.txt").write_text("ignored")
    return tmp_path, pixels


def test_images_without_resizing_keep_their_pixels(image_dir):
    root, pixels = image_dir
    ds = image_dataset_from_directory(root, image_size=(2, 2), batch_size=3, shuffle=False)
    assert ds.class_names == ["cats", "dogs"] and len(ds) == 2
    x, y = ds[0]
    assert x.shape == (3, 2, 2, 3) and x.dtype == np.float32 and y.tolist() == [0, 0, 1]
    expected = [pixels[k] for k in ["cats/c0.png", "cats/c1.png", "dogs/d0.bmp", "dogs/d1.PNG"]]
    np.testing.assert_array_equal(np.concatenate([ds[0][0], ds[1][0]]), np.stack(expected))


def test_image_resize_bilinear_and_nearest(tmp_path, Image):
    (tmp_path / "k").mkdir()
    Image.fromarray(np.array([[0, 100], [200, 40]], np.uint8), "L").save(tmp_path / "k" / "i.png")
    # half-pixel bilinear 2 -> 4: sample points -0.25, 0.25, 0.75, 1.25 clamp to 0, .25, .75, 1
    w = np.array([[1, 0], [0.75, 0.25], [0.25, 0.75], [0, 1]])
    expected = w @ np.array([[0, 100], [200, 40]]) @ w.T
    x, _ = image_dataset_from_directory(
        tmp_path, image_size=(4, 4), color_mode="grayscale", shuffle=False, verbose=False
    )[0]
    assert x.shape == (1, 4, 4, 1)
    np.testing.assert_allclose(x[0, :, :, 0], expected, rtol=1e-6)
    x, _ = image_dataset_from_directory(
        tmp_path, image_size=(4, 4), color_mode="grayscale", interpolation="nearest", verbose=False
    )[0]
    # nearest: floor((o + 0.5) / 2) -> rows/cols 0, 0, 1, 1
    np.testing.assert_array_equal(x[0, :, :, 0], np.kron([[0, 100], [200, 40]], np.ones((2, 2))))


def test_image_crop_pad_channels_and_format(tmp_path, Image):
    (tmp_path / "k").mkdir()
    img = np.arange(4 * 8 * 3, dtype=np.uint8).reshape(4, 8, 3)
    Image.fromarray(img, "RGB").save(tmp_path / "k" / "wide.png")
    crop = image_dataset_from_directory(
        tmp_path, image_size=(4, 4), crop_to_aspect_ratio=True, verbose=False
    )[0][0]
    np.testing.assert_array_equal(crop[0], img[:, 2:6])  # the centred 4x4 window
    pad = image_dataset_from_directory(
        tmp_path, image_size=(8, 8), pad_to_aspect_ratio=True, verbose=False
    )[0][0]
    np.testing.assert_array_equal(pad[0, 2:6], img)  # image centred, zero rows around
    assert not pad[0, :2].any() and not pad[0, 6:].any()
    first = image_dataset_from_directory(
        tmp_path, image_size=(4, 8), data_format="channels_first", color_mode="rgba", verbose=False
    )[0][0]
    assert first.shape == (1, 4, 4, 8)
    np.testing.assert_array_equal(first[0, :3], img.transpose(2, 0, 1))
    assert (first[0, 3] == 255).all()  # opaque alpha
    with pytest.raises(ValueError, match="Only one"):
        image_dataset_from_directory(tmp_path, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="color_mode"):
        image_dataset_from_directory(tmp_path, color_mode="cmyk")


def test_image_validation_subsets_and_fit(image_dir):
    root, _ = image_dir
    train, val = image_dataset_from_directory(
        root,
        image_size=(2, 2),
        batch_size=2,
        seed=3,
        validation_split=0.25,
        subset="both",
        label_mode="categorical",
    )
    assert len(train.file_paths) == 3 and len(val.file_paths) == 1
    assert not set(train.file_paths) & set(val.file_paths)
    model = keras.Sequential(
        [
            keras.Input((2, 2, 3)),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    history = model.fit(train, validation_data=val, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and "val_loss" in history.history


def test_load_img_and_array_round_trip(tmp_path, Image):
    x = np.arange(2 * 3 * 3, dtype="float32").reshape(2, 3, 3) * 10
    save_img(tmp_path / "a.png", x, scale=False)
    img = load_img(tmp_path / "a.png")
    assert img.size == (3, 2) and img.mode == "RGB"
    np.testing.assert_array_equal(img_to_array(img), x)
    assert img_to_array(img, data_format="channels_first").shape == (3, 2, 3)
    gray = img_to_array(load_img(tmp_path / "a.png", color_mode="grayscale"))
    assert gray.shape == (2, 3, 1)
    big = load_img(tmp_path / "a.png", target_size=(4, 6), interpolation="nearest")
    np.testing.assert_array_equal(img_to_array(big), np.repeat(np.repeat(x, 2, 0), 2, 1))
    with open(tmp_path / "a.png", "rb") as f:
        assert load_img(f).size == (3, 2)
    with pytest.raises(ValueError, match="color_mode"):
        load_img(tmp_path / "a.png", color_mode="cmyk")


def test_array_to_img_scaling_and_jpeg_rgba(tmp_path, Image):
    x = np.array([[[-1.0], [1.0]]])  # (1, 2, 1): scale maps min..max onto 0..255
    assert np.asarray(array_to_img(x)).tolist() == [[0, 255]]
    with pytest.raises(ValueError, match="rank 3"):
        array_to_img(np.zeros((2, 2)))
    rgba = np.full((2, 2, 4), 200.0)
    with pytest.warns(UserWarning, match="RGBA"):
        save_img(tmp_path / "x.jpg", rgba, scale=False)
    assert load_img(tmp_path / "x.jpg").size == (2, 2)


def test_missing_pillow_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)  # makes `from PIL import Image` fail
    monkeypatch.setitem(sys.modules, "PIL.Image", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        image_dataset_from_directory(tmp_path)
    with pytest.raises(ImportError, match=r"minikeras\[image\]"):
        load_img(tmp_path / "x.png")
