"""Writes `tfk_*_k2.h5`, `tfk_*_k2_weights.h5` and `tfk_*_k2.npz`: small models saved by real
tf.keras 2 (the tf-keras package), with layers and graph shapes the shared fixtures lack.

* `tfk_vision`: Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, SpatialDropout2D, RandomFlip,
  LayerNormalization, PReLU, LeakyReLU (Keras 2 writes `groups: 1` for every convolution,
  `noise_shape` for spatial dropouts, `rng_type` for preprocessing layers, separable convs'
  unused `kernel_*`, LeakyReLU's `alpha`).
* `tfk_attention`: MultiHeadAttention called as `mha(q, v)` (Keras 2 writes the value tensor as
  a node kwarg and the call shapes as `query_shape`/`key_shape`/`value_shape`), plus a residual
  Add and LayerNormalization.
* `tfk_nested`: a Sequential (with an Input) and a functional model nested in a functional
  model, the functional one called twice (Keras 2 counts each nested model's own node first).

Run with a Python that has tensorflow and tf-keras (not Keras 3):

    /work/tfenv/bin/python tests/data/keras/make_tf_keras_fixtures.py

npz keys: `x0`, `x1`, ... (inputs in model input order), `y` (tf.keras's `predict`).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
L = keras.layers


def vision():
    x = keras.Input((7, 7, 3), name="img")
    h = L.RandomFlip(name="flip")(x)  # inactive at inference
    h = L.Conv2DTranspose(4, 3, strides=2, name="up")(h)
    h = L.DepthwiseConv2D(3, depth_multiplier=2, name="dw")(h)
    h = L.SpatialDropout2D(0.2, name="sdrop")(h)
    h = L.SeparableConv2D(5, 3, padding="same", name="sep")(h)
    h = L.PReLU(name="prelu")(h)
    h = L.LayerNormalization(name="ln")(h)
    h = L.LeakyReLU(0.1, name="leaky")(h)
    y = L.Dense(2, name="head")(L.GlobalAveragePooling2D(name="gap")(h))
    rng = np.random.default_rng(1)
    return keras.Model(x, y, name="tfk_vision"), [rng.standard_normal((2, 7, 7, 3))]


def attention():
    q = keras.Input((5, 8), name="q")
    v = keras.Input((3, 8), name="v")
    a = L.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(q, v)
    y = L.LayerNormalization(name="ln")(L.Add(name="res")([q, a]))
    rng = np.random.default_rng(2)
    inputs = [rng.standard_normal((3, 5, 8)), rng.standard_normal((3, 3, 8))]
    return keras.Model([q, v], y, name="tfk_attention"), inputs


def nested():
    seq = keras.Sequential(
        [keras.Input((6,)), L.Dense(5, activation="relu", name="s1"), L.Dense(4, name="s2")],
        name="inner_seq",
    )
    xi = keras.Input((4,), name="inner_in")
    fn = keras.Model(xi, L.Dense(3, activation="tanh", name="f1")(xi), name="inner_fn")
    a, b = keras.Input((6,), name="a"), keras.Input((4,), name="b")
    y = L.Concatenate(name="cat")([fn(seq(a)), fn(b)])
    rng = np.random.default_rng(3)
    inputs = [rng.standard_normal((4, 6)), rng.standard_normal((4, 4))]
    return keras.Model([a, b], L.Dense(2, name="out")(y), name="tfk_nested"), inputs


def main():
    for name, build in [
        ("tfk_vision", vision),
        ("tfk_attention", attention),
        ("tfk_nested", nested),
    ]:
        keras.utils.set_random_seed(0)
        model, inputs = build()
        inputs = [x.astype("float32") for x in inputs]
        rng = np.random.default_rng(0)  # non-trivial weights everywhere (LayerNorm, PReLU, ...)
        model.set_weights(
            [rng.standard_normal(w.shape).astype("float32") * 0.5 for w in model.get_weights()]
        )
        model.compile(optimizer="adam", loss="mse")
        y = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
        model.save(os.path.join(HERE, f"{name}_k2.h5"), save_format="h5")
        model.save_weights(os.path.join(HERE, f"{name}_k2_weights.h5"), save_format="h5")
        np.savez(
            os.path.join(HERE, f"{name}_k2.npz"), y=y, **{f"x{i}": x for i, x in enumerate(inputs)}
        )
        print("wrote", name)


if __name__ == "__main__":
    main()
