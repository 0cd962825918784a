"""Which mask arguments `Layer.__call__` fills, as Keras 3 (`keras/src/layers/layer.py`, step 6):
`mask` only when call gets one tensor argument; with several, each `<arg>_mask` parameter gets
its argument's mask. keras.io text_generation_fnet's decoder (`call(inputs, encoder_outputs,
mask=None)`) gets no mask in Keras 3.15.1, and the numbers below were observed there (torch)."""

import numpy as np

import minikeras as keras

SEEN = {}


class _Two(keras.layers.Layer):
    def call(self, inputs, other, mask=None):
        SEEN["two"] = mask
        return inputs


class _One(keras.layers.Layer):
    def call(self, inputs, mask=None):
        SEEN["one"] = mask
        return inputs


class _ArgMasks(keras.layers.Layer):
    def call(self, inputs, other, inputs_mask=None, other_mask=None):
        SEEN["args"] = (inputs_mask, other_mask)
        return inputs


def _masked():
    return keras.layers.Embedding(5, 2, mask_zero=True)(np.array([[1, 2, 0]]))


def test_mask_filled_only_for_a_single_tensor_argument():
    SEEN.clear()
    masked, plain = _masked(), keras.ops.ones((1, 3, 2))
    _One()(masked)
    _Two()(masked, plain)
    np.testing.assert_array_equal(SEEN["one"].numpy(), [[True, True, False]])
    assert SEEN["two"] is None
    _Two()(masked, other=plain)  # a keyword tensor counts too
    assert SEEN["two"] is None


def test_argument_masks_filled_from_their_own_tensors():
    SEEN.clear()
    masked, plain = _masked(), keras.ops.ones((1, 3, 2))
    _ArgMasks()(plain, masked)
    assert SEEN["args"][0] is None
    np.testing.assert_array_equal(SEEN["args"][1].numpy(), [[True, True, False]])


def test_symbolic_call_with_two_inputs_gets_no_mask():
    SEEN.clear()
    ids = keras.Input((3,), dtype="int32")
    other = keras.Input((3, 2))
    _Two()(keras.layers.Embedding(5, 2, mask_zero=True)(ids), other)
    assert SEEN["two"] is None
