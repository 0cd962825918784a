"""`MelSpectrogram`: audio to a (decibel) mel-scale spectrogram, as Keras 3's layer."""

import numpy as np

from ...core import ops
from ..layer import Layer

# HTK's mel scale: mel(f) = 1127 ln(1 + f / 700)
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(hertz):
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + hertz / _MEL_BREAK_FREQUENCY_HERTZ)


def linear_to_mel_weight_matrix(
    num_mel_bins=20,
    num_spectrogram_bins=129,
    sampling_rate=8000,
    lower_edge_hertz=125.0,
    upper_edge_hertz=3800.0,
    dtype="float32",
):
    """`(num_spectrogram_bins, num_mel_bins)` triangular filters (peak 1) on the HTK mel scale;
    the DC bin gets no weight. Right-multiplying a linear spectrogram gives the mel one.

    >>> linear_to_mel_weight_matrix(4, 9, 16000, 20.0, 8000.0).shape
    (9, 4)
    """
    dt = np.dtype(dtype).type
    nyquist = dt(sampling_rate) / dt(2.0)
    freqs = np.linspace(dt(0.0), nyquist, num_spectrogram_bins, dtype=dtype)[1:]
    bins_mel = _hertz_to_mel(freqs)[:, None]
    edges = np.linspace(
        _hertz_to_mel(dt(lower_edge_hertz)), _hertz_to_mel(dt(upper_edge_hertz)), num_mel_bins + 2
    ).astype(dtype)
    lower, center, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    rising = (bins_mel - lower) / (center - lower)
    falling = (upper - bins_mel) / (upper - center)
    weights = np.maximum(dt(0.0), np.minimum(rising, falling))
    return np.pad(weights, [(1, 0), (0, 0)]).astype(dtype)


class MelSpectrogram(Layer):
    """Mel spectrogram of raw audio, in decibels by default.

    Computes `|STFT|^mag_exp`, maps it to `num_mel_bins` mel bands, then (with `power_to_db`)
    converts to decibels clipped to `top_db` below the batch's maximum.

    Args:
        fft_length: FFT size (2048).
        sequence_stride: samples between frames (512).
        sequence_length: window length (default `fft_length`).
        window: "hann" (default), "hamming" or None.
        sampling_rate: samples per second of the audio (16000).
        num_mel_bins: mel bands (128).
        min_freq, max_freq: the band range in Hz (20, default `sampling_rate / 2`).
        power_to_db: convert to decibels `10 log10(max(x, min_power) / ref_power)`.
        top_db: dynamic range kept below the maximum (80).
        mag_exp: exponent of the magnitude (2: power).
        min_power, ref_power: floor and reference of the decibel conversion.

    Input `(batch, samples)` or `(samples,)`; output `(batch, num_mel_bins, frames)` with
    `frames = 1 + samples // sequence_stride` (centred frames, reflected borders).

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
    >>> layer(np.zeros((2, 160), "float32")).shape
    (2, 8, 11)
    """

    _converts_python_values = (
        True  # Python numbers and lists of them as input, as Keras 3's DataLayer
    )

    def __init__(
        self,
        fft_length=2048,
        sequence_stride=512,
        sequence_length=None,
        window="hann",
        sampling_rate=16000,
        num_mel_bins=128,
        min_freq=20.0,
        max_freq=None,
        power_to_db=True,
        top_db=80.0,
        mag_exp=2.0,
        min_power=1e-10,
        ref_power=1.0,
        **kwargs,
    ):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError(
                "`fft_length` must be greater than or equal to `sequence_length`. Received: "
                f"`sequence_length`={self.sequence_length}, `fft_length`={self.fft_length}."
            )
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)

    def call(self, inputs):
        dtype = self.dtype if self.dtype in ("float32", "float64") else "float32"
        x = ops.cast(inputs, dtype)
        real, imag = ops.stft(
            x, self.sequence_length, self.sequence_stride, self.fft_length, self.window, True
        )
        spec = ops.power(ops.sqrt(ops.square(real) + ops.square(imag)), self.mag_exp)
        weights = linear_to_mel_weight_matrix(
            self.num_mel_bins,
            spec.shape[-1],
            self.sampling_rate,
            self.min_freq,
            self.max_freq,
        ).astype(dtype)
        out = ops.tensordot(spec, weights, axes=1)  # (..., frames, mel)
        if self.power_to_db:
            db = ops.multiply(ops.log10(ops.maximum(out, self.min_power)), 10.0)
            ref = 10.0 * np.log10(max(abs(self.ref_power), self.min_power))
            db = ops.subtract(db, np.asarray(ref, dtype))
            out = ops.maximum(db, ops.subtract(ops.max(db), self.top_db))
        return ops.cast(ops.swapaxes(out, -1, -2), self.dtype)

    def compute_output_shape(self, input_shape):
        samples = input_shape[-1]
        frames = (
            None
            if samples is None
            else (samples + self.sequence_stride + 1) // self.sequence_stride
        )
        return (*input_shape[:-1], self.num_mel_bins, frames)

    def get_config(self):
        return {
            **super().get_config(),
            "fft_length": self.fft_length,
            "sequence_stride": self.sequence_stride,
            "sequence_length": self.sequence_length,
            "window": self.window,
            "sampling_rate": self.sampling_rate,
            "num_mel_bins": self.num_mel_bins,
            "min_freq": self.min_freq,
            "max_freq": self.max_freq,
            "power_to_db": self.power_to_db,
            "top_db": self.top_db,
            "mag_exp": self.mag_exp,
            "min_power": self.min_power,
            "ref_power": self.ref_power,
        }
