import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from minikeras.kernels.scatter import scatter_add_rows, scatter_add_rows_ref


@settings(max_examples=25, deadline=None)
@given(
    vocab=st.integers(1, 6), n=st.integers(0, 12), width=st.integers(1, 4), seed=st.integers(0, 100)
)
def test_scatter_add_rows_matches_reference(vocab, n, width, seed):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, vocab, n).astype(np.int64)
    rows = rng.standard_normal((n, width)).astype("float32")
    got = scatter_add_rows(np.zeros((vocab, width), "float32"), ids, rows)
    want = scatter_add_rows_ref(np.zeros((vocab, width), "float32"), ids, rows)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
