"""`keras.datasets`: data loaders returning numpy arrays (`video_qa` is generated, offline)."""

from . import video_qa
