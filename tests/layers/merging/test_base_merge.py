"""Batch sizes in the elementwise merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum).

Reference behaviour: Keras 3.15.1 (`keras/src/layers/merging/base_merge.py`), observed with
`KERAS_BACKEND=torch`: `Merge.build` rejects different known batch sizes; once built (usually
with an unknown batch), calls broadcast, so a batch-1 tensor merges with a batch-4 one (the
keras.io perceiver example adds its learned batch-1 latent array inside a functional sub-model).
`compute_output_shape([(1, 3, 2), (4, 3, 2)])` is `(None, 3, 2)`; `[(1, 3, 2), (None, 3, 2)]`
gives `(1, 3, 2)`, and so does the symbolic call on such inputs.
Expected values are computed here with numpy.
"""

import numpy as np
import pytest

import minikeras as keras

ELEMENTWISE = [
    (keras.layers.Add, np.add),
    (keras.layers.Subtract, np.subtract),
    (keras.layers.Multiply, np.multiply),
    (keras.layers.Average, lambda a, b: (a + b) / 2),
    (keras.layers.Maximum, np.maximum),
    (keras.layers.Minimum, np.minimum),
]


def _pair():
    rng = np.random.default_rng(0)
    return (
        rng.standard_normal((1, 3, 2)).astype("float32"),
        rng.standard_normal((4, 3, 2)).astype("float32"),
    )


@pytest.mark.parametrize("cls, reference", ELEMENTWISE)
def test_functional_model_broadcasts_a_batch_1_input(cls, reference):
    a, b = keras.Input((3, 2)), keras.Input((3, 2))
    model = keras.Model([a, b], cls()([a, b]))
    x1, x4 = _pair()
    out = np.asarray(model([x1, x4]))
    assert out.shape == (4, 3, 2)
    np.testing.assert_allclose(out, reference(x1, x4), rtol=1e-6)


@pytest.mark.parametrize("cls, reference", ELEMENTWISE)
def test_built_layer_broadcasts_but_build_checks_batch_sizes(cls, reference):
    x1, x4 = _pair()
    with pytest.raises(ValueError, match="different batch sizes"):
        cls()([x1, x4])  # built on these shapes: Keras's build-time check
    layer = cls()
    layer([x4, x4])
    np.testing.assert_allclose(np.asarray(layer([x1, x4])), reference(x1, x4), rtol=1e-6)
    with pytest.raises(ValueError, match="do not broadcast"):
        layer([np.ones((2, 3, 2), "float32"), x4])


@pytest.mark.parametrize("cls, reference", ELEMENTWISE)
def test_output_shapes_with_batch_1(cls, reference):
    layer = cls()
    assert layer.compute_output_shape([(1, 3, 2), (4, 3, 2)]) == (None, 3, 2)
    assert layer.compute_output_shape([(1, 3, 2), (None, 3, 2)]) == (1, 3, 2)
    sym = cls()([keras.Input((3, 2), batch_size=1), keras.Input((3, 2))])
    assert sym.shape == (1, 3, 2)
    with pytest.raises(ValueError, match="different batch sizes"):
        cls()([keras.Input((3, 2), batch_size=1), keras.Input((3, 2), batch_size=4)])


def test_perceiver_latent_array_in_a_sub_model():
    """keras.io perceiver: a subclassed model's `call` passes `expand_dims(latent, 0)` and the
    batch to a functional sub-model whose Add merges them (Keras: runs, output batch 4)."""
    latent_in, data_in = keras.Input((3, 2)), keras.Input((3, 2))
    block = keras.Model([latent_in, data_in], keras.layers.Add()([latent_in, data_in]))

    class Perceiver(keras.Model):
        def __init__(self):
            super().__init__()
            self.block = block

        def build(self, input_shape):
            self.latent = self.add_weight(shape=(3, 2), initializer="ones")

        def call(self, x):
            return self.block([keras.ops.expand_dims(self.latent, 0), x])

    x = np.arange(24, dtype="float32").reshape(4, 3, 2)
    np.testing.assert_allclose(np.asarray(Perceiver().predict(x, verbose=0)), x + 1.0)
