"""Executes every notebook in examples/notebooks/ top to bottom in a real Jupyter kernel.

The kernel gets `MINIKERAS_NOTEBOOK_SMOKE=1`, so each notebook runs at a tiny size. nbclient,
nbformat and ipykernel are in the `test` extra: a missing one fails these tests (it is not a
skip), with the command that installs them.
"""

import glob
import json
import os
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NOTEBOOK_DIR = os.path.join(ROOT, "examples", "notebooks")
NOTEBOOKS = sorted(glob.glob(os.path.join(NOTEBOOK_DIR, "*.ipynb")))
INSTALL_HINT = 'install the test dependencies with: pip install -e ".[test]"'
TIMEOUT = 180  # seconds per cell


def _jupyter():
    """(nbformat, NotebookClient), or a test failure saying how to install them."""
    try:
        import ipykernel  # noqa: F401  (the kernel nbclient starts)
        import nbformat
        from nbclient import NotebookClient
    except ImportError as exc:
        pytest.fail(f"The notebook tests need a Jupyter kernel ({exc}); {INSTALL_HINT}")
    return nbformat, NotebookClient


def test_a_missing_kernel_fails_with_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipykernel", None)  # as if it were not installed
    with pytest.raises(pytest.fail.Exception, match=r'pip install -e "\.\[test\]"'):
        _jupyter()


def test_there_are_notebooks():
    names = [os.path.basename(p) for p in NOTEBOOKS]
    assert names == [
        "01_quick_start.ipynb",
        "02_video_question_answering.ipynb",
        "03_saving_and_loading.ipynb",
        "04_training_curves.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
def test_notebook_is_stored_valid_and_without_outputs(path):
    nbformat, _ = _jupyter()
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    nb = nbformat.from_dict(raw)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{os.path.basename(path)}: cell {cell.id} is stored with outputs; clear them "
                "(or rebuild with tests/examples/build_notebooks.py)"
            )


def test_notebooks_match_their_builder():
    """The stored notebooks are what tests/examples/build_notebooks.py writes (one source)."""
    _jupyter()
    sys.path.insert(0, os.path.dirname(__file__))
    try:
        import build_notebooks
    finally:
        sys.path.remove(os.path.dirname(__file__))
    for name, cells in build_notebooks.NOTEBOOKS.items():
        built = build_notebooks.build(cells)
        with open(os.path.join(NOTEBOOK_DIR, name), encoding="utf-8") as f:
            stored = json.load(f)
        assert [(c["cell_type"], "".join(c["source"])) for c in stored["cells"]] == [
            (c.cell_type, c.source) for c in built.cells
        ], f"{name} differs from build_notebooks.py: run python tests/examples/build_notebooks.py"


def _error_text(nb):
    """Any error output or traceback printed to stderr, as text."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"{out.ename}: {out.evalue}")
            elif (
                out.output_type == "stream"
                and out.name == "stderr"
                and ("Traceback" in out.text or "Error" in out.text)
            ):
                found.append(out.text)
    return found


def _uses_matplotlib(path):
    with open(path, encoding="utf-8") as f:
        return "import matplotlib" in f.read()


# every notebook as is, and those that draw pictures once more as if matplotlib were missing
RUNS = [pytest.param(p, False, id=os.path.basename(p)) for p in NOTEBOOKS] + [
    pytest.param(p, True, id=os.path.basename(p) + "-without-matplotlib")
    for p in NOTEBOOKS
    if _uses_matplotlib(p)
]


@pytest.mark.slow
@pytest.mark.parametrize("path,hide_matplotlib", RUNS)
def test_notebook_runs_top_to_bottom(path, hide_matplotlib, monkeypatch, tmp_path):
    nbformat, NotebookClient = _jupyter()
    from jupyter_client.kernelspec import NoSuchKernel

    monkeypatch.setenv("MINIKERAS_NOTEBOOK_SMOKE", "1")
    # the kernel imports this checkout's minikeras even when it is not pip-installed
    paths = [ROOT, os.environ.get("PYTHONPATH")]
    if hide_matplotlib:  # a stand-in package whose import fails, first on the path
        (tmp_path / "matplotlib").mkdir()
        (tmp_path / "matplotlib" / "__init__.py").write_text("raise ImportError('hidden')\n")
        paths.insert(0, str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, paths)))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    # "python3" is ipykernel's own kernel, run with this interpreter (sys.executable)
    client = NotebookClient(
        nb, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": NOTEBOOK_DIR}}
    )
    try:
        client.execute()
    except NoSuchKernel as exc:
        pytest.fail(f"No Jupyter kernel for {sys.executable} ({exc}); {INSTALL_HINT}")
    assert _error_text(nb) == []
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code_cells)
    if hide_matplotlib:
        printed = "".join(o.get("text", "") for c in code_cells for o in c.outputs)
        assert "matplotlib available: False" in printed
