"""Tests for minikeras/layers/preprocessing/mel_spectrogram.py and stft_spectrogram.py against
Keras 3.15.1 (jax; tests/data/keras/api16a_misc_k3.npz from make_api16a_misc_fixtures.py):
three MelSpectrogram and seven STFTSpectrogram configurations (every mode, padding, scaling,
windows, expand_dims, channels_first), plus run_layer_test's round trips and gradients."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from helpers import run_layer_test

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras")
DATA = np.load(os.path.join(HERE, "api16a_misc_k3.npz"))
MEL_CASES = json.loads(str(DATA["mel_configs"]))
STFT_CASES = json.loads(str(DATA["stft_configs"]))


@pytest.mark.parametrize("key", sorted(MEL_CASES))
def test_mel_spectrogram_matches_keras3(key):
    out = keras.layers.MelSpectrogram(**MEL_CASES[key])(DATA["mel_audio"]).numpy()
    expected = DATA[f"mel_{key}"]
    assert out.shape == expected.shape and out.dtype == expected.dtype
    # decibels of powers: compare in dB with an absolute tolerance, linear outputs relatively
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("key", sorted(STFT_CASES))
def test_stft_spectrogram_matches_keras3(key):
    config = STFT_CASES[key]
    x = DATA["stft_signal"]
    if config.get("data_format") == "channels_first":
        x = np.moveaxis(x, -1, 1)
    out = keras.layers.STFTSpectrogram(**config)(x).numpy()
    expected = DATA[f"stft_{key}"]
    assert out.shape == expected.shape
    if config.get("mode") == "angle":  # pi and -pi are one angle (imag = +-0 at DC, Nyquist)
        out = expected + (out - expected + np.pi) % (2 * np.pi) - np.pi
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


def test_mel_layer():
    run_layer_test(
        keras.layers.MelSpectrogram,
        {"fft_length": 32, "sequence_stride": 8, "num_mel_bins": 6, "power_to_db": False},
        input_shape=(2, 64),
        expected_output_shape=(2, 6, 9),
        expected_num_trainable_weights=0,
        rtol=1e-4,
    )


@pytest.mark.parametrize("mode", ["magnitude", "stft"])
def test_stft_layer(mode):
    run_layer_test(
        keras.layers.STFTSpectrogram,
        {"mode": mode, "frame_length": 8, "frame_step": 4},
        input_shape=(2, 24, 2),
        expected_output_shape=(2, 5, 10 if mode == "magnitude" else 20),
        expected_num_trainable_weights=2,
        rtol=1e-4,
    )


def test_config_and_errors_as_keras():
    """Keras 3.15.1: configs list every argument (sequence_length and max_freq resolved for
    MelSpectrogram); invalid arguments raise Keras's messages."""
    mel = keras.layers.MelSpectrogram().get_config()
    assert mel["sequence_length"] == 2048 and mel["max_freq"] == 8000
    stft = keras.layers.STFTSpectrogram().get_config()
    assert stft["frame_step"] is None and stft["fft_length"] is None and stft["mode"] == "log"
    with pytest.raises(ValueError, match="Output mode is invalid"):
        keras.layers.STFTSpectrogram(mode="power")
    with pytest.raises(ValueError, match="`frame_step` should be a positive integer"):
        keras.layers.STFTSpectrogram(frame_length=8, frame_step=9)
    with pytest.raises(ValueError, match="`fft_length` must be greater than or equal"):
        keras.layers.MelSpectrogram(fft_length=16, sequence_length=32)


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_stft_symbolic_input_of_unknown_length(padding):
    # keras.io audio/stft: a (None, 1) input whose frames (640 long, step 240) are longer than
    # a default placeholder run; the functional build must fit them (Keras 3 builds it)
    model = keras.Sequential(
        [
            keras.layers.InputLayer((None, 1)),
            keras.layers.STFTSpectrogram(frame_length=640, frame_step=240, padding=padding),
            keras.layers.Conv1D(4, 8),
        ]
    )
    frames = (4000 - 640) // 240 + 1 if padding == "valid" else -(-4000 // 240)
    assert model.output_shape == (None, None, 4)
    assert model(np.zeros((2, 4000, 1), "float32")).shape == (2, frames - 7, 4)
