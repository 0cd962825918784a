"""`Layer.build` gets the shapes its signature asks for, as Keras 3 decides (the keras.io
classification_with_grn_and_vsn example defines `def build(self)`)."""

import numpy as np
import pytest

import minikeras as keras


class NoArgBuild(keras.layers.Layer):
    def build(self):
        self.scale = self.add_weight(shape=(), initializer="ones", name="scale")

    def call(self, x):
        return x * self.scale


class TwoArgBuild(keras.layers.Layer):
    def build(self, a_shape, b_shape):
        self.seen = (a_shape, b_shape)

    def call(self, a, b):
        return a + b


class MaskBuild(keras.layers.Layer):
    def build(self, x_shape, mask_shape=None):
        self.seen = (x_shape, mask_shape)

    def call(self, x, mask=None):
        return x


class BadNames(keras.layers.Layer):
    def build(self, x_shape, y_shape):
        pass

    def call(self, x, z):
        return x


X = np.ones((2, 3), "float32")


def test_build_without_arguments_eager_and_symbolic():
    layer = NoArgBuild()
    np.testing.assert_allclose(layer(X).numpy(), X)
    assert layer.built and len(layer.weights) == 1
    inputs = keras.Input((3,))
    model = keras.Model(inputs, NoArgBuild()(inputs))
    np.testing.assert_allclose(model.predict(X, verbose=0), X)
    assert len(model.weights) == 1


def test_build_with_one_shape_per_call_argument():
    eager = TwoArgBuild()
    eager(X, X[:, :1])
    assert eager.seen == ((2, 3), (2, 1))
    symbolic = TwoArgBuild()
    symbolic(keras.Input((3,)), keras.Input((1,)))
    assert symbolic.seen == ((None, 3), (None, 1))


def test_mask_shape_is_not_passed():
    layer = MaskBuild()
    layer(X, mask=np.ones((2,), bool))
    assert layer.seen == ((2, 3), None)


def test_build_argument_not_naming_a_call_argument_raises():
    with pytest.raises(ValueError, match="y_shape"):
        BadNames()(X, X)
