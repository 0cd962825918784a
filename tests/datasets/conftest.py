import hashlib

import pytest
from http_server import FileServer


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A local server standing in for the dataset hosts; the cache is a fresh temp directory."""
    with FileServer() as s:
        monkeypatch.setenv("MINIKERAS_DATASETS_URL", s.url)
        monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path / "home"))
        yield s


@pytest.fixture
def publish(server, monkeypatch):
    """`publish(module, name, data, attr="FILE_HASH")`: serve `data` as `name` and make the
    loader expect its SHA-256 (the real files' hashes are kept for the real downloads)."""

    def publish(module, name, data, attr="FILE_HASH"):
        server.files[name] = data
        digest = hashlib.sha256(data).hexdigest()
        if isinstance(attr, tuple):  # (dict attribute, key)
            monkeypatch.setitem(getattr(module, attr[0]), attr[1], digest)
        else:
            monkeypatch.setattr(module, attr, digest)

    return publish
