"""PyDataset's constructor settings, as Keras 3: defaults workers=1, use_multiprocessing=False,
max_queue_size=10; a subclass that skips `super().__init__()` gets them with a warning."""

import pytest

import minikeras as keras


class _NoSuper(keras.utils.PyDataset):
    def __init__(self):  # no super().__init__()
        pass

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return i


def test_settings_and_their_defaults():
    ds = keras.utils.PyDataset(workers=3, max_queue_size=4)
    assert (ds.workers, ds.use_multiprocessing, ds.max_queue_size) == (3, False, 4)
    ds.workers = 2
    assert ds.workers == 2
    assert keras.utils.Sequence is keras.utils.PyDataset


def test_missing_super_init_warns_and_defaults():
    ds = _NoSuper()
    with pytest.warns(UserWarning, match="should call `super"):
        assert ds.workers == 1
    assert (ds.use_multiprocessing, ds.max_queue_size) == (False, 10)
