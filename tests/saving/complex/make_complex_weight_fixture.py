"""Writes `complex_weight_k3.keras` and `complex_weight_k3.npz` (input and Keras's prediction):
a model whose custom layer holds a complex64 weight, saved by Keras 3 (torch backend). Run from
the repository root:

    KERAS_BACKEND=torch /work/anchors/bin/python tests/saving/complex/make_complex_weight_fixture.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
import numpy as np  # noqa: E402

import complex_weight_layer as L  # noqa: E402


def main():
    layer_cls = L.define(keras)
    x = keras.Input((3,), name="x")
    model = keras.Model(x, layer_cls(name="scale")(x))
    model.layers[1].w.assign(np.array(L.WEIGHT, "complex64"))
    inputs = np.array(L.X, "float32")
    model.save(os.path.join(HERE, "complex_weight_k3.keras"))
    y = keras.ops.convert_to_numpy(model(inputs))
    np.savez(os.path.join(HERE, "complex_weight_k3.npz"), x=inputs, y=y, keras=keras.__version__)


if __name__ == "__main__":
    main()
