"""Writes tfkeras_mixed_float16.{h5,npz}: a small model saved by tf-keras 2.21 (Keras 2) under
the global "mixed_float16" policy, whose layer configs hold Keras 2's
`{"module": "keras.mixed_precision", "class_name": "Policy", ...}` dtype.

Run with a TensorFlow + tf-keras venv: /work/tfenv/bin/python make_tfkeras_fixtures.py
"""

import os

import numpy as np
import tf_keras as keras

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

keras.utils.set_random_seed(20)
keras.mixed_precision.set_global_policy("mixed_float16")
inputs = keras.Input((8, 8, 1))
h = keras.layers.Conv2D(4, 3, activation="relu", name="conv")(inputs)
h = keras.layers.Flatten()(h)
h = keras.layers.Dense(6, activation="relu", name="hidden")(h)
outputs = keras.layers.Dense(3, name="logits")(h)
model = keras.Model(inputs, outputs)
x = np.random.default_rng(20).normal(size=(16, 8, 8, 1)).astype("float32")
y = model.predict(x, verbose=0)
model.save(os.path.join(HERE, "tfkeras_mixed_float16.h5"))
np.savez(os.path.join(HERE, "tfkeras_mixed_float16.npz"), x=x, y=np.asarray(y, "float32"))
print(y.dtype, model.layers[1].dtype_policy)
