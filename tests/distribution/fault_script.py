"""Rank 1 dies (`kill`: SIGKILL) or raises (`raise`) during the second epoch of a data-parallel
fit; the others are then blocked in a collective. Usage: python fault_script.py kill|raise"""

import os
import signal
import sys

import numpy as np

import minikeras as keras

keras.distribution.initialize()
keras.distribution.set_distribution(keras.distribution.DataParallel())
rank = int(os.environ.get("PMI_RANK", os.environ.get("OMPI_COMM_WORLD_RANK", "0")))


class Fault(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 1 and rank == 1:
            if sys.argv[1] == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise ValueError("rank 1 failed on purpose")


model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
x = np.ones((64, 4), "float32")
model.fit(x, x[:, :1], batch_size=8, epochs=1000, callbacks=[Fault()], verbose=0)
