"""The `ReversibleEmbedding` model of `make_reversible_fixtures.py`, written once for both
libraries: `build(keras, tie)` with `keras` bound to real Keras (the fixture script) or to
minikeras (the tests)."""


def build(keras, tie):
    """Ids (6,) -> ReversibleEmbedding(50, 12) -> Dense(12) -> the same layer reversed."""
    ids = keras.Input((6,), dtype="int32")
    emb = keras.layers.ReversibleEmbedding(
        50, 12, tie_weights=tie, logit_soft_cap=20.0, name="embed"
    )
    h = keras.layers.Dense(12, name="mix")(emb(ids))
    logits = emb(h, reverse=True)
    return keras.Model(ids, logits, name=f"reversible_{'tied' if tie else 'untied'}")
