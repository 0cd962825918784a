"""Trains, evaluates and predicts with a small model; run alone or under `mpiexec -n N`.

Usage: python train_script.py OUT_DIR [--distributed]

Writes OUT_DIR/result_<rank>.npz (weights, history, evaluate, predict) and, from rank 0 only,
OUT_DIR/log.csv, OUT_DIR/best.weights.h5 (ModelCheckpoint) and OUT_DIR/model.keras; the
BackupAndRestore directory is removed at the end of training. Conv1D + BatchNormalization(synchronized=True) + masked
LSTM + Dense; 46 samples, global batch 10 (shares 4/3/3 on three processes; last batch 6).
"""

import os
import sys

import numpy as np

import minikeras as keras

out_dir = sys.argv[1]
distributed = "--distributed" in sys.argv
rank = 0
if distributed:
    keras.distribution.initialize()
    keras.distribution.set_distribution(
        keras.distribution.DataParallel(devices=keras.distribution.list_devices())
    )
    rank = int(os.environ.get("PMI_RANK", os.environ.get("OMPI_COMM_WORLD_RANK", "0")))

# the same data everywhere; different initial weights on ranks > 0 (fit broadcasts rank 0's)
data_rng = np.random.default_rng(7)
n, steps, features = 46, 6, 3
x = data_rng.normal(size=(n, steps, features)).astype("float32")
lengths = data_rng.integers(2, steps + 1, size=n)
for i, length in enumerate(lengths):
    x[i, length:] = 0.0  # padding, masked in the LSTM
y = data_rng.integers(0, 3, size=n)
sample_weight = data_rng.uniform(0.5, 2.0, size=n).astype("float32")
keras.utils.set_random_seed(0 if rank == 0 else 100 + rank)

inputs = keras.Input((steps, features))
h = keras.layers.Conv1D(4, 3, padding="same", use_bias=False)(inputs)
h = keras.layers.BatchNormalization(synchronized=True)(h)
h = keras.layers.Activation("relu")(h)
mask = keras.ops.any(keras.ops.not_equal(inputs, 0.0), axis=-1)
h = keras.layers.LSTM(5)(h, mask=mask)
outputs = keras.layers.Dense(3, activation="softmax")(h)
model = keras.Model(inputs, outputs)
model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(
    x,
    y,
    batch_size=10,
    epochs=4,  # EarlyStopping ends it after the third
    # class weights folded into the sample weights (Keras 3 refuses both arguments at once)
    sample_weight=sample_weight * np.array([1.0, 2.0, 0.5], "float32")[y],
    validation_data=(x[:20], y[:20]),
    callbacks=[
        keras.callbacks.CSVLogger(os.path.join(out_dir, "log.csv")),
        keras.callbacks.ModelCheckpoint(
            os.path.join(out_dir, "best.weights.h5"), save_best_only=True, save_weights_only=True
        ),
        keras.callbacks.BackupAndRestore(os.path.join(out_dir, "backup")),
        keras.callbacks.EarlyStopping("val_loss", min_delta=0.0074, patience=0),
    ],
    verbose=0,
)
evaluation = model.evaluate(x, y, batch_size=7, verbose=0, return_dict=True)
prediction = model.predict(x, batch_size=8, verbose=0)
model.save(os.path.join(out_dir, "model.keras"))
np.savez(
    os.path.join(out_dir, f"result_{rank}.npz"),
    prediction=prediction,
    **{f"w{i}": w for i, w in enumerate(model.get_weights())},
    **{f"h_{k}": np.array(v) for k, v in history.history.items()},
    **{f"e_{k}": np.array(v) for k, v in evaluation.items()},
)
