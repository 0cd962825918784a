"""`PyDataset(workers=n)`: batches fetched ahead on n threads, in order, at most
`max_queue_size` ahead; with one worker everything stays in the training thread."""

import threading
import time

import numpy as np

import minikeras as keras


class _Slow(keras.utils.PyDataset):
    def __init__(self, n=8, **kwargs):
        super().__init__(**kwargs)
        self.n, self.threads, self.active, self.peak = n, set(), 0, 0
        self.lock = threading.Lock()

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        with self.lock:
            self.threads.add(threading.current_thread().name)
            self.active += 1
            self.peak = max(self.peak, self.active)
        time.sleep(0.02)  # a file read: releases the GIL
        with self.lock:
            self.active -= 1
        x = np.full((2, 3), float(i), "float32")
        return x, x[:, :1] * 2


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.0), "mse")
    return model


def test_workers_fetch_in_order_on_worker_threads():
    data = _Slow(workers=3, max_queue_size=4)
    out = _model().predict(data, verbose=0)
    assert out.shape == (16, 1)
    ones = _Slow(workers=3)
    seen = []
    ones.__getitem__ = lambda i, f=ones.__getitem__: (seen.append(i), f(i))[1]
    _model().fit(ones, epochs=1, shuffle=False, verbose=0)
    assert seen == list(range(8))  # requested in order
    assert data.peak >= 2 and all(n.startswith("minikeras-pydataset") for n in data.threads)


def test_one_worker_stays_in_the_training_thread():
    data = _Slow(workers=1)
    _model().evaluate(data, verbose=0)
    assert data.threads == {threading.current_thread().name} and data.peak == 1


def test_steps_per_epoch_cuts_a_prefetched_pass_cleanly():
    data = _Slow(n=8, workers=2, max_queue_size=2)
    history = _model().fit(data, epochs=2, steps_per_epoch=3, verbose=0)
    assert len(history.history["loss"]) == 2
    # with steps_per_epoch a pass carries over epochs (Keras's EpochIterator); the last one's
    # workers end when fit's data adapter is collected
    import gc

    gc.collect()
    assert not any(t.name.startswith("minikeras-pydataset") for t in threading.enumerate())
