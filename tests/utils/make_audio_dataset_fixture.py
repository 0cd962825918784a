"""Keras 3.15.1's `audio_dataset_from_directory` (TensorFlow backend) on the WAV files
`write_wavs` makes, kept as tests/data/keras/audio_dataset_k3.npz for test_audio_dataset_utils.py.

    /work/tfenv/bin/python tests/utils/make_audio_dataset_fixture.py

(tf.audio.decode_wav reads 16-bit PCM only, so the files are 16-bit; sampling_rate needs
tensorflow_io in Keras 3.15.1 and is not part of the fixture.)
"""

import os
import sys
import tempfile
import wave

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "keras")
LENGTHS = {"cat": (30, 45, 60), "dog": (25, 70, 40)}
CONFIGS = {
    "padded": dict(batch_size=3),
    "fixed": dict(batch_size=2, output_sequence_length=50, label_mode="categorical"),
    "single": dict(batch_size=None, output_sequence_length=20, label_mode="binary"),
    "nolabels": dict(batch_size=4, labels=None),
    "ragged": dict(batch_size=4, ragged=True),
    "train": dict(batch_size=8, validation_split=0.4, subset="training"),
    "val": dict(batch_size=8, validation_split=0.4, subset="validation"),
}


def write_wavs(root):
    """Six mono 16-bit 16 kHz files in two class folders (values spanning the full range)."""
    rng = np.random.default_rng(7)
    for name, lengths in LENGTHS.items():
        os.makedirs(os.path.join(root, name), exist_ok=True)
        for i, n in enumerate(lengths):
            data = rng.integers(-32768, 32768, n).astype("<i2")
            with wave.open(os.path.join(root, name, f"{name}_{i}.wav"), "wb") as f:
                f.setnchannels(1)
                f.setsampwidth(2)
                f.setframerate(16000)
                f.writeframes(data.tobytes())


def main():
    import keras

    out = {}
    with tempfile.TemporaryDirectory() as root:
        write_wavs(root)
        for key, kwargs in CONFIGS.items():
            ds = keras.utils.audio_dataset_from_directory(root, shuffle=False, **kwargs)
            for b, batch in enumerate(ds):
                x, y = (batch, None) if kwargs.get("labels", "") is None else batch
                if kwargs.get("ragged"):
                    for i, row in enumerate(x):
                        out[f"{key}/{b}/x/{i}"] = row.numpy()
                else:
                    out[f"{key}/{b}/x"] = x.numpy()
                if y is not None:
                    out[f"{key}/{b}/y"] = y.numpy()
            out[f"{key}/batches"] = np.array(b + 1)
            if ds.class_names is not None:
                out[f"{key}/class_names"] = np.array(ds.class_names)
    np.savez(os.path.join(OUT, "audio_dataset_k3.npz"), **out)
    print(keras.__version__, len(out), file=sys.stderr)


if __name__ == "__main__":
    main()
