"""Time series forecasting: an LSTM or GRU predicts the next 12 steps of noisy sine mixtures.

Shows windowing a series into (past, future) pairs, a recurrent encoder (`GRU` by default,
`--cell lstm` for `LSTM`) followed by `Dense(horizon)` (direct multi-step forecasting), training
with `ReduceLROnPlateau` and a comparison against the naive "repeat the last value" baseline.
The data is generated: each series is a sum of two sines with random periods, phases and
amplitudes, plus noise. About 20-40 s on 2 CPU cores; `--smoke` runs a tiny version in a few
seconds.

    python examples/timeseries_forecasting.py [--epochs 15] [--cell gru|lstm] [--smoke]
"""

import argparse

import numpy as np

import minikeras as keras
from minikeras import layers

PAST, HORIZON = 48, 12


def make_data(n, seed):
    """`n` windows: x (n, PAST, 1) of past values and y (n, HORIZON) of the values that follow."""
    rng = np.random.default_rng(seed)
    t = np.arange(PAST + HORIZON)[None, :]
    series = np.zeros((n, PAST + HORIZON))
    for _ in range(2):  # a mixture of two sines per series
        period = rng.uniform(8, 40, (n, 1))
        phase = rng.uniform(0, 2 * np.pi, (n, 1))
        amplitude = rng.uniform(0.3, 1.0, (n, 1))
        series += amplitude * np.sin(2 * np.pi * t / period + phase)
    series += rng.normal(0, 0.05, series.shape)
    series = series.astype("float32")
    return series[:, :PAST, None], series[:, PAST:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--cell", choices=["gru", "lstm"], default="gru")
    parser.add_argument("--smoke", action="store_true", help="tiny data, one epoch")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    n = 96 if args.smoke else 3000
    (x, y), (x_test, y_test) = make_data(n, seed=0), make_data(max(32, n // 5), seed=1)
    epochs = 1 if args.smoke else args.epochs

    recurrent = layers.GRU if args.cell == "gru" else layers.LSTM
    model = keras.Sequential(
        [
            keras.Input(shape=(PAST, 1)),
            recurrent(48),
            layers.Dense(64, activation="relu"),
            layers.Dense(HORIZON),
        ],
        name=f"{args.cell}_forecaster",
    )
    model.summary()
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse", metrics=["mae"])
    model.fit(
        x,
        y,
        batch_size=64,
        epochs=epochs,
        validation_split=0.1,
        callbacks=[keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2)],
    )

    forecast = model.predict(x_test, verbose=0)
    model_mae = np.abs(forecast - y_test).mean()
    naive_mae = np.abs(x_test[:, -1, :] - y_test).mean()  # repeat the last seen value
    print(f"test MAE over {HORIZON} steps: {args.cell} {model_mae:.3f}, naive {naive_mae:.3f}")
    print("first test window, next 6 steps:")
    print("  true:    ", np.round(y_test[0, :6], 2))
    print("  forecast:", np.round(forecast[0, :6], 2))


if __name__ == "__main__":
    main()
