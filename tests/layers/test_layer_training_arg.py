"""How `Layer.__call__` resolves `training` (minikeras/layers/layer.py), as Keras 3 does: the
value passed, else the enclosing call's, else the default in the layer's own `call` signature."""

import numpy as np

import minikeras as keras


class Probe(keras.layers.Layer):
    """Records the `training` its call received; the default is True, as Keras 3 gives its
    image augmentation layers."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, x, training=True):
        self.seen.append(training)
        return x


class Plain(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x, training=None):
        return self.inner(x, training=training)


def test_default_of_call_signature_applies_when_nothing_is_passed():
    """Keras 3.15 (observed): RandomFlip(...)(x) augments; an explicit value wins."""
    probe = Probe()
    x = np.ones((2, 3), "float32")
    probe(x)
    probe(x, training=False)
    probe(x, training=True)
    assert probe.seen == [True, False, True]


def test_enclosing_call_value_wins_over_the_default():
    """A parent called with training=False (as predict does) passes False down; a parent whose
    own call got None leaves the child to its default (Keras's call context)."""
    probe = Probe()
    parent = Plain(probe)
    x = np.ones((2, 3), "float32")
    parent(x, training=False)
    parent(x)
    assert probe.seen == [False, True]
    model = keras.Sequential([keras.Input((3,)), Probe()])
    model.predict(x, verbose=0)
    model(x)
    assert model.layers[0].seen[-2:] == [False, True]


def test_augmentation_layers_augment_by_default_and_not_in_predict():
    """Keras 3: `keras.layers.RandomFlip("horizontal")(images)` flips (call's training=True
    default), while `model.predict` runs it as identity."""
    images = np.arange(2 * 4 * 5 * 1, dtype="float32").reshape(2, 4, 5, 1)
    keras.utils.set_random_seed(3)
    layer = keras.layers.RandomFlip("horizontal", seed=5)
    outs = [np.asarray(layer(images)) for _ in range(6)]
    assert any(not np.array_equal(o, images) for o in outs)
    for o in outs:  # each image is itself or its mirror
        for i in range(2):
            assert np.array_equal(o[i], images[i]) or np.array_equal(o[i], images[i, :, ::-1])
    model = keras.Sequential([keras.Input((4, 5, 1)), layer])
    np.testing.assert_array_equal(model.predict(images, verbose=0), images)


def test_training_passed_positionally():
    # Keras 3.15.1 binds call's arguments to its signature: a functional model called as
    # `model(x, True)` trains (dropout on); keras.io gan_ada calls its augmenter and generator
    # so. minikeras gave `training` twice (TypeError). Keras refuses a non-tensor positional
    # argument for other layers (ValueError); minikeras binds it the same way instead.
    x = np.ones((4, 3), "float32")
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dropout(0.999, seed=1)(inputs))
    assert np.asarray(model(x, True)).sum() < 12 and np.asarray(model(x, False)).sum() == 12

    class Scaled(keras.layers.Layer):
        def call(self, x, training=None, scale=1.0):
            return x * (2.0 if training else 1.0) * scale

    layer = Scaled()
    assert np.asarray(layer(x, True, 3.0))[0, 0] == 6.0 and np.asarray(layer(x))[0, 0] == 1.0
