"""keras.utils.audio_dataset_from_directory against Keras 3.15.1 (TensorFlow backend): the batches
Keras made from the same WAV files are kept in tests/data/keras/audio_dataset_k3.npz
(make_audio_dataset_fixture.py). Bit depths other than 16 (which tf.audio.decode_wav refuses)
follow Keras 3's scipy reader's scaling; resampling is checked against scipy.signal.resample,
the function Keras 3 resamples with."""

import os
import wave

import numpy as np
import pytest

import minikeras as keras
from minikeras.utils.audio_dataset_utils import read_wav, resample

from .make_audio_dataset_fixture import CONFIGS, OUT, write_wavs

FIXTURE = np.load(os.path.join(OUT, "audio_dataset_k3.npz"))


@pytest.mark.parametrize("key", list(CONFIGS))
def test_batches_match_keras(tmp_path, key):
    """Same files, same arguments (shuffle=False): same batches, shapes, dtypes and labels."""
    write_wavs(tmp_path)
    kwargs = CONFIGS[key]
    ds = keras.utils.audio_dataset_from_directory(tmp_path, shuffle=False, **kwargs)
    assert len(ds) == int(FIXTURE[f"{key}/batches"])
    if f"{key}/class_names" in FIXTURE:
        assert ds.class_names == FIXTURE[f"{key}/class_names"].tolist()
    for b in range(len(ds)):
        batch = ds[b]
        x, y = (batch, None) if kwargs.get("labels", "") is None else batch
        if kwargs.get("ragged"):
            assert x.dtype == object
            for i, row in enumerate(x):
                want = FIXTURE[f"{key}/{b}/x/{i}"]
                assert row.dtype == want.dtype
                np.testing.assert_array_equal(row, want)
        else:
            want = FIXTURE[f"{key}/{b}/x"]
            assert x.shape == want.shape and x.dtype == want.dtype
            np.testing.assert_array_equal(x, want)
        if y is not None:
            want = FIXTURE[f"{key}/{b}/y"]
            assert y.dtype == want.dtype
            np.testing.assert_array_equal(y, want)


def _write(path, ints, width, rate=8000):
    ints = np.asarray(ints)
    with wave.open(str(path), "wb") as f:
        f.setnchannels(ints.shape[1])
        f.setsampwidth(width)
        f.setframerate(rate)
        if width == 3:
            flat = ints.reshape(-1).astype("<i4").view("u1").reshape(-1, 4)[:, :3]
            f.writeframes(flat.tobytes())
        else:
            f.writeframes(ints.astype({1: "u1", 2: "<i2", 4: "<i4"}[width]).tobytes())


@pytest.mark.parametrize(
    "width, ints, want",
    [
        (1, [[0], [128], [255]], [-1.0, 0.0, 127 / 128]),
        (2, [[-32768], [0], [1], [32767]], [-1.0, 0.0, 1 / 32768, 32767 / 32768]),
        (3, [[-8388608], [-1], [8388607]], [-1.0, -1 / 2**23, 8388607 / 2**23]),
        (4, [[-(2**31)], [2**16], [2**31 - 1]], [-1.0, 2**-15, (2**31 - 1) / 2**31]),
    ],
)
def test_pcm_widths_scale_to_unit_range(tmp_path, width, ints, want):
    """8-bit unsigned minus 128 over 128; 16/24/32-bit signed over full scale (16-bit is what
    tf.audio.decode_wav returns; the others as Keras 3's scipy-based reader)."""
    _write(tmp_path / "a.wav", ints, width)
    audio, rate = read_wav(tmp_path / "a.wav")
    assert rate == 8000 and audio.dtype == np.float32 and audio.shape == (len(ints), 1)
    np.testing.assert_array_equal(audio[:, 0], np.float32(want))


def test_stereo_keeps_channels(tmp_path):
    _write(tmp_path / "s.wav", [[16384, -16384], [0, 8192]], 2)
    audio, _ = read_wav(tmp_path / "s.wav")
    np.testing.assert_array_equal(audio, [[0.5, -0.5], [0.0, 0.25]])


@pytest.mark.parametrize(
    "n, rate_in, rate_out",
    [(100, 16000, 8000), (99, 8000, 16000), (101, 44100, 16000), (37, 16000, 22050)],
)
def test_resampling_matches_scipy(n, rate_in, rate_out):
    """Keras 3 resamples with scipy.signal.resample to round(n * out / in) samples."""
    signal = pytest.importorskip("scipy.signal")
    x = np.random.default_rng(n).standard_normal((n, 2)).astype("float32")
    want = signal.resample(x, max(1, round(n * rate_out / rate_in)), axis=0)
    got = resample(x, rate_in, rate_out)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, atol=2e-6)


def test_sampling_rate_then_length(tmp_path):
    """Resampled to `sampling_rate` first, then cut/padded to `output_sequence_length`."""
    os.makedirs(tmp_path / "a")
    _write(tmp_path / "a" / "x.wav", np.full((40, 1), 16384), 2, rate=16000)
    ds = keras.utils.audio_dataset_from_directory(
        tmp_path, sampling_rate=8000, batch_size=None, shuffle=False, verbose=False
    )
    x, _ = ds[0]
    assert x.shape == (20, 1)
    np.testing.assert_allclose(x[:, 0], 0.5, atol=1e-6)  # a constant survives resampling
    ds = keras.utils.audio_dataset_from_directory(
        tmp_path, sampling_rate=8000, output_sequence_length=25, batch_size=None, verbose=False
    )
    assert ds[0][0].shape == (25, 1) and not ds[0][0][20:].any()


def test_argument_errors_match_keras(tmp_path):
    write_wavs(tmp_path)
    f = keras.utils.audio_dataset_from_directory
    with pytest.raises(ValueError, match="Cannot set both `ragged` and `output_sequence_length`"):
        f(tmp_path, ragged=True, output_sequence_length=4)
    with pytest.raises(ValueError, match="`sampling_rate` should have an integer value"):
        f(tmp_path, sampling_rate=8000.0)
    with pytest.raises(ValueError, match="`sampling_rate` should be higher than 0"):
        f(tmp_path, sampling_rate=0)
    with pytest.raises(ValueError, match="exactly 2"):
        os.makedirs(tmp_path / "z")
        _write(tmp_path / "z" / "z.wav", [[1]], 2)
        f(tmp_path, label_mode="binary", verbose=False)


def test_unreadable_wav_names_the_file(tmp_path):
    os.makedirs(tmp_path / "a")
    (tmp_path / "a" / "bad.wav").write_bytes(b"RIFF0000WAVEnope")
    ds = keras.utils.audio_dataset_from_directory(tmp_path, verbose=False)
    with pytest.raises(ValueError, match="bad.wav"):
        ds[0]


def test_trains_a_model(tmp_path):
    """The batches feed `fit` directly (a PyDataset of numpy arrays)."""
    write_wavs(tmp_path)
    ds = keras.utils.audio_dataset_from_directory(
        tmp_path, output_sequence_length=32, batch_size=3, seed=1, verbose=False
    )
    model = keras.Sequential(
        [keras.Input((32, 1)), keras.layers.Flatten(), keras.layers.Dense(2, "softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
