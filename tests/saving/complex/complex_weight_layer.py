"""The custom layer with a complex64 weight shared by `make_complex_weight_fixture.py` (written
for Keras 3) and `test_complex_weights.py` (minikeras): `keras` is passed in, so the same code
defines the layer for either library."""

CONFIG = {"package": "ComplexTest", "name": "ComplexScale"}


def define(keras):
    """Registers and returns `ComplexScale`: `real(cast(x, complex64) * w)` with `w` complex64."""

    @keras.saving.register_keras_serializable(**CONFIG)
    class ComplexScale(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(
                shape=(input_shape[-1],), initializer="ones", dtype="complex64", name="w"
            )

        def call(self, x):
            z = keras.ops.cast(x, "complex64") * self.w
            return keras.ops.concatenate([keras.ops.real(z), keras.ops.imag(z)], axis=-1)

    return ComplexScale


WEIGHT = [1 + 1j, 2 - 0.5j, 3j]
X = [[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]]
