"""`STFTSpectrogram`: short-time Fourier transform of audio as a strided 1-D convolution."""

import math
import warnings

from ... import config, initializers
from ...initializers.constant_initializers import _named_window
from ...core import ops
from ..convolutional.conv_utils import standardize_data_format, window_output_shape
from ..input_spec import InputSpec
from ..layer import Layer
from ..layer_tracing import window_room

MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


class STFTSpectrogram(Layer):
    """Spectrogram of `(batch, time, channels)` signals (Keras 3's `keras.layers.STFTSpectrogram`).

    Each frame of `frame_length` samples, `frame_step` apart, is multiplied by the window and
    Fourier transformed: the real and imaginary parts are convolutions with the fixed kernels of
    `keras.initializers.STFT` (`real_kernel`, `imag_kernel`, trainable like Keras's).

    Args:
        mode: "log" (log magnitude, default), "magnitude", "psd" (one-sided power), "real",
            "imag", "angle" or "stft" (real and imaginary parts concatenated).
        frame_length: samples per frame (256).
        frame_step: samples between frames (default `frame_length // 2`).
        fft_length: FFT size (default the next power of two of `frame_length`).
        window: a window name ("hann", "hamming", ...) or None for a rectangular window.
        periodic: use the periodic form of the window.
        scaling: "density" (default), "spectrum" or None.
        padding: "valid" or "same" (of the convolution over time).
        expand_dims: keep channels apart: `(batch, time, freq, channels)` instead of
            `(batch, time, freq * channels)`.
        data_format: "channels_last" (default from the config) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.STFTSpectrogram(frame_length=8, frame_step=4)(np.ones((1, 32, 1))).shape
    (1, 7, 5)
    """

    def __init__(
        self,
        mode="log",
        frame_length=256,
        frame_step=None,
        fft_length=None,
        window="hann",
        periodic=False,
        scaling="density",
        padding="valid",
        expand_dims=False,
        data_format=None,
        **kwargs,
    ):
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError(
                "`frame_step` should be a positive integer not greater than `frame_length`. "
                f"Received frame_step={frame_step}, frame_length={frame_length}"
            )
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(
                "`fft_length` should be not less than `frame_length`. "
                f"Received fft_length={fft_length}, frame_length={frame_length}"
            )
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn(
                "`fft_length` is recommended to be a power of two. "
                f"Received fft_length={fft_length}",
                stacklevel=2,
            )
        if mode not in MODES:
            raise ValueError(
                f"Output mode is invalid, it must be one of {', '.join(MODES)}. "
                f"Received: mode={mode}"
            )
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                "Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                f"Received scaling={scaling}"
            )
        if padding not in ("valid", "same"):
            raise ValueError(
                f"Padding is invalid, it should be 'valid', 'same'. Received: padding={padding}"
            )
        if isinstance(window, str):  # an unknown window name fails here, as in Keras
            _named_window(window, 2, periodic)
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        for side in ("real", "imag"):
            if self.mode != {"real": "imag", "imag": "real"}[side]:
                init = initializers.STFT(side, self.window, self.scaling, self.periodic)
                setattr(self, f"{side}_kernel", self.add_weight(shape, init, name=f"{side}_kernel"))

    def _placeholder_room(self):
        # the frames are a strided "valid" window over time (Layer._trace's placeholder runs)
        return window_room((self.frame_length,), (self._frame_step,), None, self.padding)

    def _conv(self, inputs, kernel):
        """(batch, time, channels) -> (batch, channels, freq, frames), each channel alone."""
        last = self.data_format == "channels_last"
        if last:
            _, time, channels = inputs.shape
            x = ops.reshape(ops.transpose(inputs, (0, 2, 1)), (-1, time, 1))
        else:
            _, channels, time = inputs.shape
            x = ops.reshape(inputs, (-1, 1, time))
        out = ops.conv(
            x, ops.cast(kernel, x.dtype), self._frame_step, self.padding, self.data_format
        )
        if last:
            out = ops.transpose(out, (0, 2, 1))  # (batch * channels, freq, frames)
        return ops.reshape(out, (-1, channels, out.shape[1], out.shape[2]))

    def _arrange(self, x):
        _, channels, freq, frames = x.shape
        if self.expand_dims:
            return ops.transpose(
                x, (0, 3, 2, 1) if self.data_format == "channels_last" else (0, 1, 3, 2)
            )
        x = ops.reshape(x, (-1, channels * freq, frames))
        return ops.transpose(x, (0, 2, 1)) if self.data_format == "channels_last" else x

    def call(self, inputs):
        if inputs.dtype.name not in ("float16", "float32", "float64"):
            raise TypeError(
                "Invalid input type. Expected `float16`, `float32` or `float64`. "
                f"Received: input type={inputs.dtype}"
            )
        real = self._conv(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._conv(inputs, self.imag_kernel) if self.mode != "real" else None
        if self.mode in ("real", "imag"):
            return self._arrange(real if self.mode == "real" else imag)
        if self.mode == "angle":
            return self._arrange(ops.arctan2(imag, real))
        if self.mode == "stft":
            return self._arrange(ops.concatenate([real, imag], axis=2))
        power = ops.square(real) + ops.square(imag)
        if self.mode == "psd":  # one-sided: the bins between DC and Nyquist count twice
            inner = ops.pad(power[:, :, 1:-1, :], [(0, 0), (0, 0), (1, 1), (0, 0)])
            return self._arrange(power + inner)
        magnitude = self._arrange(ops.sqrt(ops.maximum(power, config.epsilon())))
        if self.mode == "magnitude":
            return magnitude
        return ops.log(ops.maximum(magnitude, config.epsilon()))

    def compute_output_shape(self, input_shape):
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        freq = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        shape = window_output_shape(
            input_shape,
            1,
            self.data_format,
            (self.frame_length,),
            (self._frame_step,),
            (1,),
            self.padding,
            None if channels is None else freq * channels,
        )
        frames = shape[1] if self.data_format == "channels_last" else shape[2]
        if self.expand_dims:
            if self.data_format == "channels_last":
                return (input_shape[0], frames, freq, channels)
            return (input_shape[0], channels, frames, freq)
        return tuple(shape)

    def get_config(self):
        return {
            **super().get_config(),
            "mode": self.mode,
            "frame_length": self.frame_length,
            "frame_step": self.frame_step,
            "fft_length": self.fft_length,
            "window": self.window,
            "periodic": self.periodic,
            "scaling": self.scaling,
            "padding": self.padding,
            "data_format": self.data_format,
            "expand_dims": self.expand_dims,
        }
