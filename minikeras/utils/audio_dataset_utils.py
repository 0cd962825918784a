"""`audio_dataset_from_directory`: batches of `.wav` files labelled by their subdirectory.

WAV files are read with the standard library's `wave` module (PCM only) and scaled to float32
in [-1, 1): 16-bit samples as `tf.audio.decode_wav` does (divided by 32768), 8-bit unsigned as
`(x - 128) / 128`, 24-bit by 2**23 and 32-bit by 2**31 (tf.audio.decode_wav reads only 16-bit
files; the other widths follow Keras 3's scipy-based reader, which divides by the full scale).
"""

import wave

import numpy as np

from .directory_utils import from_directory

_SCALE = {1: 128.0, 2: 32768.0, 3: 8388608.0, 4: 2147483648.0}


def read_wav(path):
    """`(samples, sample_rate)` of a PCM `.wav` file: float32 `(frames, channels)` in [-1, 1)."""
    try:
        with wave.open(str(path), "rb") as f:
            channels, width, rate = f.getnchannels(), f.getsampwidth(), f.getframerate()
            frames = f.getnframes()
            raw = f.readframes(frames)
    except (wave.Error, EOFError) as e:
        raise ValueError(
            f"Cannot read the audio file '{path}': {e}. audio_dataset_from_directory reads "
            "PCM WAV files (8, 16, 24 or 32-bit integer samples)."
        ) from None
    if width not in _SCALE:
        raise ValueError(
            f"Cannot read the audio file '{path}': {8 * width}-bit samples; expected 8, 16, 24 "
            "or 32-bit PCM."
        )
    frames = len(raw) // (width * channels)  # a truncated last frame is dropped
    raw = raw[: frames * width * channels]
    if width == 1:
        ints = np.frombuffer(raw, "u1").astype("float32") - 128.0
    elif width == 3:
        b = np.frombuffer(raw, "u1").reshape(-1, 3).astype("int32")
        ints = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8) >> 8  # sign-extend 24 bits
    else:
        ints = np.frombuffer(raw, {2: "<i2", 4: "<i4"}[width])
    samples = (ints.astype("float64") / _SCALE[width]).astype("float32")
    return samples.reshape(frames, channels), rate


def resample(audio, rate_in, rate_out):
    """Fourier resampling along the time axis (the method of `scipy.signal.resample`, which
    Keras 3 uses): `round(len * rate_out / rate_in)` samples, at least one."""
    n_in = len(audio)
    if n_in == 0 or rate_in == rate_out:
        return audio
    n_out = max(1, int(round(n_in * rate_out / rate_in)))
    spectrum = np.fft.rfft(audio.astype("float64"), axis=0)
    out = np.zeros((n_out // 2 + 1,) + audio.shape[1:], dtype=spectrum.dtype)
    n = min(n_in, n_out)
    out[: n // 2 + 1] = spectrum[: n // 2 + 1]
    if n % 2 == 0:  # the Nyquist bin is shared between the two halves of the spectrum
        out[n // 2] *= 2.0 if n_out < n_in else 0.5
    return (np.fft.irfft(out, n_out, axis=0) * (n_out / n_in)).astype("float32")


def _fit_length(audio, length):
    """Truncated to, or zero-padded at the end up to, `length` samples."""
    audio = audio[:length]
    if len(audio) < length:
        pad = np.zeros((length - len(audio),) + audio.shape[1:], dtype=audio.dtype)
        audio = np.concatenate([audio, pad])
    return audio


def _padded_stack(clips):
    """Stacked after zero-padding each clip to the longest, as `tf.data`'s `padded_batch`."""
    channels = {c.shape[1] for c in clips}
    if len(channels) > 1:
        raise ValueError(
            "Cannot batch audio files with different numbers of channels: found "
            f"{sorted(channels)} in one batch."
        )
    longest = max(len(c) for c in clips)
    return np.stack([_fit_length(c, longest) for c in clips])


def _ragged(clips):
    out = np.empty(len(clips), dtype=object)
    out[:] = clips
    return out


def audio_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    sampling_rate=None,
    output_sequence_length=None,
    ragged=False,
    validation_split=None,
    subset=None,
    follow_links=False,
    verbose=True,
    seed=None,
    shuffle=True,
):
    """A dataset of audio batches from a directory with one subdirectory per class.

    `main_directory/class_a/a_1.wav`, `main_directory/class_b/b_1.wav`, ... give clips labelled
    0 (class_a) and 1 (class_b): classes are the subdirectories in alphanumeric order. Only
    `.wav` files (PCM, 8/16/24/32-bit) are read; see the module docstring for the scaling.

    Args:
        directory: the data directory.
        labels: `"inferred"` (from the subdirectories), None (no labels), or a list/tuple of
            int labels, one per audio file in the alphanumeric order of their paths.
        label_mode: `"int"` (int32 `(batch,)`), `"categorical"` (float32 one-hot), `"binary"`
            (float32 `(batch, 1)`, exactly two classes) or None (audio only).
        class_names: with `labels="inferred"`, the subdirectories to use, in label order.
        batch_size: clips per batch; None yields single clips.
        sampling_rate: resample every clip to this rate (samples per second) with Fourier
            resampling, as Keras 3's scipy-based reader; None keeps each file's own rate.
        output_sequence_length: truncate or zero-pad every clip to this many samples (after
            resampling). Without it, each batch is zero-padded to its longest clip.
        ragged: return each batch as a 1-D object array of clips of their own lengths (Keras
            returns a `tf.RaggedTensor`); not with `output_sequence_length`.
        validation_split: fraction of the files set aside for validation (the last ones).
        subset: `"training"`, `"validation"` or `"both"` (returns both datasets).
        follow_links: follow symbolic links to subdirectories.
        verbose: print how many files and classes were found.
        seed: the shuffling seed (needed with `validation_split` and `shuffle`).
        shuffle: shuffle the files (and reshuffle the training files after each epoch).

    Returns:
        A `PyDataset` of `(audio, labels)` batches, `audio` float32 `(batch, samples,
        channels)`, with attributes `class_names` and `file_paths`; with `subset="both"`, the
        pair `(training, validation)`.

    >>> import os, shutil, tempfile, wave, numpy as np, minikeras as keras
    >>> root = tempfile.mkdtemp()
    >>> for name, n in (("no", 3), ("yes", 5)):
    ...     os.makedirs(os.path.join(root, name))
    ...     with wave.open(os.path.join(root, name, "a.wav"), "wb") as f:
    ...         f.setnchannels(1); f.setsampwidth(2); f.setframerate(16000)
    ...         f.writeframes(np.full(n, 16384, "<i2").tobytes())
    >>> ds = keras.utils.audio_dataset_from_directory(root, batch_size=2, shuffle=False)
    Found 2 files belonging to 2 classes.
    >>> audio, labels = ds[0]
    >>> audio.shape, audio[0, :, 0].tolist(), labels.tolist()
    ((2, 5, 1), [0.5, 0.5, 0.5, 0.0, 0.0], [0, 1])
    >>> shutil.rmtree(root)
    """
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if sampling_rate is not None:
        if isinstance(sampling_rate, bool) or not isinstance(sampling_rate, (int, np.integer)):
            raise ValueError(
                f"`sampling_rate` should have an integer value. Received: "
                f"sampling_rate={sampling_rate}"
            )
        if sampling_rate <= 0:
            raise ValueError(
                f"`sampling_rate` should be higher than 0. Received: sampling_rate={sampling_rate}"
            )
    if output_sequence_length is not None and (
        int(output_sequence_length) != output_sequence_length or output_sequence_length < 0
    ):
        raise ValueError(
            "`output_sequence_length` must be a non-negative int or None. Received: "
            f"output_sequence_length={output_sequence_length}"
        )

    def load(path):
        audio, rate = read_wav(path)
        if sampling_rate is not None:
            audio = resample(audio, rate, int(sampling_rate))
        if output_sequence_length is not None:
            audio = _fit_length(audio, int(output_sequence_length))
        return audio

    if ragged:
        stack = _ragged
    elif output_sequence_length is None:
        stack = _padded_stack
    else:
        stack = np.stack
    return from_directory(
        directory,
        labels,
        label_mode,
        class_names,
        batch_size,
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
        (".wav",),
        load,
        stack,
        "audio files",
    )
