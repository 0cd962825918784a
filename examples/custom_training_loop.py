"""Custom training loop: GradientTape, optimizer.apply and metric objects, without fit().

Shows the loop Keras users write with the TensorFlow backend: batches from a shuffled index,
the forward pass under `keras.GradientTape`, the loss plus the layers' regularization losses
(`model.losses`), `tape.gradient`, `optimizer.apply(grads, model.trainable_weights)`, and
`keras.metrics` objects updated per batch and reset per epoch, then a validation loop with
`training=False`. The data is generated (three noisy rings in 2-D, lifted to 20 features).
A few seconds on 2 CPU cores; `--smoke` runs one short epoch.

    python examples/custom_training_loop.py [--epochs 10] [--smoke]
"""

import argparse
import time

import numpy as np

import minikeras as keras
from minikeras import layers


def make_data(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n).astype("int32")
    angle, radius = rng.uniform(0, 2 * np.pi, n), 1.0 + y + rng.normal(0, 0.15, n)
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    lift = np.tanh(points @ np.random.default_rng(123).normal(size=(2, 18)))
    return np.concatenate([points, lift], axis=1).astype("float32"), y


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="tiny data, one epoch")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    (x, y), (x_val, y_val) = make_data(256 if args.smoke else 4000, 0), make_data(500, 1)
    epochs, batch_size = (1 if args.smoke else args.epochs), 64

    model = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            layers.Dense(64, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-4)),
            layers.Dense(64, activation="relu"),
            layers.Dense(3),  # logits
        ]
    )
    optimizer = keras.optimizers.Adam(learning_rate=3e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    train_loss = keras.metrics.Mean(name="loss")
    train_acc = keras.metrics.SparseCategoricalAccuracy(name="accuracy")
    val_acc = keras.metrics.SparseCategoricalAccuracy(name="val_accuracy")

    rng = np.random.default_rng(0)
    for epoch in range(epochs):
        start = time.time()
        order = rng.permutation(len(x))
        for begin in range(0, len(x), batch_size):
            idx = order[begin : begin + batch_size]
            x_batch, y_batch = x[idx], y[idx]
            with keras.GradientTape() as tape:
                logits = model(x_batch, training=True)
                loss = loss_fn(y_batch, logits) + sum(model.losses)  # + L2 penalty
            grads = tape.gradient(loss, model.trainable_weights)
            optimizer.apply(grads, model.trainable_weights)
            train_loss.update_state(loss)
            train_acc.update_state(y_batch, logits)

        for begin in range(0, len(x_val), 256):
            logits = model(x_val[begin : begin + 256], training=False)
            val_acc.update_state(y_val[begin : begin + 256], logits)
        print(
            f"epoch {epoch + 1}/{epochs} - {time.time() - start:.1f}s - "
            f"loss: {float(train_loss.result()):.4f} - "
            f"accuracy: {float(train_acc.result()):.4f} - "
            f"val_accuracy: {float(val_acc.result()):.4f}"
        )
        for metric in (train_loss, train_acc, val_acc):
            metric.reset_state()

    print(f"optimizer steps taken: {int(optimizer.iterations.numpy())}")


if __name__ == "__main__":
    main()
