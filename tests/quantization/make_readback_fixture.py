"""Writes a model quantized by minikeras (int8, int4/128, int4/-1 Dense + int8 Embedding) and the
predictions Keras 3.15.1 makes after loading it: tests/quantization/fixtures/minikeras_*.

Run with this repo's python; it calls the Keras venv (/work/anchors, KERAS_BACKEND=torch) for
the readback. Usage: python tests/quantization/make_readback_fixture.py
"""

import os
import pathlib
import subprocess
import sys

import numpy as np

HERE = pathlib.Path(__file__).parent / "fixtures"
ANCHORS = pathlib.Path(os.environ.get("KERAS_ANCHORS", "/work/anchors/bin/python"))
MODES = {"int8": None, "int4": None, "int4_per_channel": -1}
KERAS_READ = """
import sys, numpy as np, keras
model = keras.saving.load_model(sys.argv[1])
x = np.load(sys.argv[2])["x"]
np.save(sys.argv[3], np.asarray(model.predict(x, verbose=0)))
"""


def build(keras, mode):
    tokens = keras.Input((6,), dtype="int32")
    h = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(50, 8)(tokens))
    h = keras.layers.Dense(160, activation="relu")(h)
    model = keras.Model(tokens, keras.layers.Dense(5)(h))
    block = MODES[mode]
    config = None if block is None else keras.quantizers.Int4QuantizationConfig(block_size=block)
    model.quantize(mode.split("_")[0], config=config)
    return model


def keras_readback(path, x_path, out_path):
    env = dict(os.environ, KERAS_BACKEND="torch")
    subprocess.run(
        [str(ANCHORS), "-c", KERAS_READ, str(path), str(x_path), str(out_path)],
        check=True,
        env=env,
        capture_output=True,
    )
    return np.load(out_path)


def main():
    sys.path.insert(0, str(HERE.parents[2]))
    import minikeras as keras

    keras.utils.set_random_seed(3)
    x = np.random.default_rng(3).integers(0, 50, (16, 6)).astype("int32")
    np.savez(HERE / "minikeras_x.npz", x=x)
    for mode in MODES:
        path = HERE / f"minikeras_{mode}.keras"
        build(keras, mode).save(path)
        y = keras_readback(path, HERE / "minikeras_x.npz", HERE / f"minikeras_{mode}_keras.npy")
        print(mode, y.shape)


if __name__ == "__main__":
    main()
