import os
import sys

# No background kernel warm-up (kernels/warmup.py) in the suite: tests compile kernels in many
# dtypes and in orders no model uses, and the suite's wall time with it could not be measured
# on the shared machine; tests/kernels/test_warmup.py turns it on where it tests it
os.environ.setdefault("MINIKERAS_PREWARM", "0")
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
# tests import helper modules that sit beside them (rnn_reference, http_server, ...); with
# --import-mode=importlib their folders must be importable too
for _root, _dirs, _files in os.walk(_HERE):
    _dirs[:] = [d for d in _dirs if not d.startswith((".", "__")) and d != "data"]
    if _root != _HERE and any(
        f.endswith(".py") and not f.startswith(("test_", "conftest")) for f in _files
    ):
        sys.path.append(_root)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a test that takes more than a few seconds")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_layer_names():
    """Each test starts with fresh default names (`dense`, not `dense_7`), as a new process would."""
    import minikeras

    minikeras.utils.clear_session()
    yield
