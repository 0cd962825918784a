"""The `training` value nested layer calls receive, as Keras 3.15.1 gives it (the expectations
are printed by fixtures/make_call_context_training.py under Keras): a value one call resolves
stays for the calls after it until the outermost call returns, and a Functional model's
`training` overrides the one a node was built with."""

import numpy as np

import minikeras as keras
from minikeras import layers

seen = []


class Rec(layers.Layer):
    def __init__(self, tag, **kw):
        super().__init__(**kw)
        self.tag = tag

    def call(self, x, training=None):
        seen.append((self.tag, training))
        return x


class DefTrue(layers.Layer):
    def call(self, x, training=True):
        seen.append(("deftrue", training))
        return x


class Block(layers.Layer):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.a, self.b = DefTrue(), Rec("after_deftrue")
        self.c, self.d = Rec("explicit_false"), Rec("after_explicit_false")

    def call(self, x):
        return self.d(self.c(self.b(self.a(x)), training=False))


class M(keras.Model):
    def __init__(self):
        super().__init__()
        self.blk, self.tail = Block(), Rec("tail")

    def call(self, x):
        return self.tail(self.blk(x))


X = np.ones((2, 3), "float32")
LEAKED = [
    ("deftrue", True),
    ("after_deftrue", True),
    ("explicit_false", False),
    ("after_explicit_false", False),
    ("tail", False),
]


def test_resolved_training_stays_for_the_later_calls():
    m = M()
    m(X)
    seen.clear()
    m(X, training=True)
    assert seen == LEAKED  # the explicit False switches off the layers after it, outer ones too


def test_predict_of_a_model_without_training_takes_the_first_default():
    m = M()
    m(X)
    seen.clear()
    m.predict(X, verbose=0)
    assert seen == LEAKED  # DefTrue's default True reaches the layers after it


def test_context_ends_with_the_outermost_call():
    m = M()
    m(X, training=True)
    seen.clear()
    Rec("alone")(X)
    assert seen == [("alone", None)]


def test_functional_training_overrides_a_node_argument():
    inp = keras.Input((3,))
    sub = keras.Model(inp, Rec("inner")(inp))
    i2 = keras.Input((3,))
    f = keras.Model(i2, Rec("after_sub")(sub(i2, training=False)))
    seen.clear()
    f(X, training=True)
    assert seen == [("inner", True), ("after_sub", True)]
    seen.clear()
    f(X)  # nothing decided: the node's own training=False holds
    assert seen == [("inner", False), ("after_sub", False)]
