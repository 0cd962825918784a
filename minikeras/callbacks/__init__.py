"""`keras.callbacks`: hooks into fit/evaluate/predict."""

from .callback import Callback, CallbackList
from .history import History
from .progbar import ProgbarLogger
