"""kernels/im2col.py: im2col's two kernels give the reference's rows, and a layer without
padding never compiles the edge kernel (minikeras's own first-run cost; no Keras behaviour)."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from minikeras.kernels import conv, im2col


@pytest.mark.parametrize(
    "pad,out_shape,groups",
    [((0, 0, 0), (1, 4, 4), 1), ((0, 1, 1), (1, 6, 6), 1), ((0, 0, 0), (1, 4, 4), 3)],
)
def test_rows_equal_the_reference(pad, out_shape, groups):
    x = np.random.default_rng(0).random((2, 1, 6, 6, 3), np.float32)
    args = ((1, 3, 3), (1, 1, 1), (1, 1, 1), pad, out_shape, groups)
    cols = np.full((2 * 16 if pad == (0, 0, 0) else 2 * 36, 27), np.nan, np.float32)
    im2col.im2col(x, 0, *args, cols)
    np.testing.assert_array_equal(cols, conv.im2col_ref(x, *args))  # copies: exact


def test_no_padding_never_compiles_the_edge_kernel(tmp_path):
    code = textwrap.dedent(
        """
        import numpy as np
        from minikeras.kernels import im2col
        x = np.ones((1, 1, 5, 5, 2), np.float32)
        cols = np.empty((9, 18), np.float32)
        im2col.im2col(x, 0, (1, 3, 3), (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 3, 3), 1, cols)
        print(len(im2col._im2col_edges.signatures), end=" ")
        cols = np.empty((25, 18), np.float32)
        im2col.im2col(x, 0, (1, 3, 3), (1, 1, 1), (1, 1, 1), (0, 1, 1), (1, 5, 5), 1, cols)
        print(len(im2col._im2col_edges.signatures))
        """
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path), "MINIKERAS_PREWARM": "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    assert out.stdout.decode().split() == ["0", "1"]


@pytest.mark.parametrize("pad,out_shape", [((0, 0, 0), (1, 4, 4)), ((0, 1, 1), (1, 6, 6))])
def test_col2im_interior_kernel_adds_as_the_whole_one(pad, out_shape):
    """Without edge columns `col2im` runs `_col2im_interior`: bit for bit what `_col2im_all`
    gives; with them it runs `_col2im_all`. Both match the reference."""
    rng = np.random.default_rng(1)
    args = ((1, 3, 3), (1, 1, 1), (1, 1, 1), pad, out_shape, 1)
    cols = rng.standard_normal((2 * out_shape[1] * out_shape[2], 27)).astype(np.float32)
    dx, whole = (np.zeros((2, 1, 6, 6, 3), np.float32) for _ in range(2))
    im2col.col2im(cols, 0, *args, dx)
    ta, tb = im2col._interior(*args[:4], 6, out_shape[2], 1)
    im2col._col2im_all(cols, 0, 2, ta, tb, *args, whole)
    assert dx.tobytes() == whole.tobytes()
    np.testing.assert_allclose(dx, conv.col2im_ref(cols, dx.shape, *args), rtol=1e-5, atol=1e-5)


def test_wrappers_check_what_the_kernels_no_longer_do():
    """The kernels read and write without checks; `im2col` and `col2im` raise first."""
    x = np.ones((2, 1, 5, 5, 3), np.float32)
    args = ((1, 3, 3), (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 3, 3), 1)
    with pytest.raises(ValueError, match=r"im2col: cols shape \(18, 26\) does not match"):
        im2col.im2col(x, 0, *args, np.empty((18, 26), np.float32))
    with pytest.raises(ValueError, match=r"im2col: images \[1, 3\) outside the 2 of x"):
        im2col.im2col(x, 1, *args, np.empty((18, 27), np.float32))
    with pytest.raises(ValueError, match="col2im: dx must be C-contiguous"):
        im2col.col2im(
            np.ones((9, 27), np.float32), 0, *args, np.ones((1, 1, 5, 10, 3))[:, :, :, ::2]
        )
