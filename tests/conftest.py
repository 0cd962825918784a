import os
import sys

sys.path.insert(0, os.path.dirname(__file__))


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a test that takes more than a few seconds")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_layer_names():
    """Each test starts with fresh default names (`dense`, not `dense_7`), as a new process would."""
    import minikeras

    minikeras.utils.clear_session()
    yield
