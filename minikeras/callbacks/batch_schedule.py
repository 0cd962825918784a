"""`BatchSchedule`: when a callback with `save_freq=n` acts (every n training batches)."""


class BatchSchedule:
    """Counts training batches across epochs, for `ModelCheckpoint` and `BackupAndRestore`
    with an integer `save_freq` (Keras 3 counts the same way: the count runs on through epoch
    boundaries and restarts after each save).

    >>> schedule = BatchSchedule(3)
    >>> [schedule.due(b) for b in (0, 1, 0, 1, 0, 1)]  # two epochs of 2 batches, then a third
    [False, False, True, False, False, True]
    """

    def __init__(self, every):
        self.every = every
        self.since_save = 0
        self.last_batch = 0  # the index of the last batch seen in the current epoch

    def due(self, batch):
        """Records the end of training batch `batch`; whether to act now. A batch index that
        did not grow means a new epoch began (`batch + 1` batches since its start)."""
        last = self.last_batch
        self.since_save += batch + 1 if batch <= last else batch - last
        self.last_batch = batch
        if self.since_save < self.every:
            return False
        self.since_save = 0
        return True

    def end_epoch(self):
        """The next batch starts an epoch."""
        self.last_batch = 0
