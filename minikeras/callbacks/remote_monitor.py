"""`RemoteMonitor`: POST each epoch's logs to an HTTP server (standard library only)."""

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from .callback import Callback


class RemoteMonitor(Callback):
    """Sends `{"epoch": epoch, **logs}` to `root + path` with an HTTP POST at each epoch end.

    As Keras 3 (which uses `requests`): by default the body is form-encoded, one field named
    `field` holding the JSON text; with `send_as_json=True` the body is the JSON itself
    (`Content-Type: application/json`). numpy scalars are sent as Python numbers. A server that
    cannot be reached gives a warning, not an error.

    Args:
        root: the server's root URL.
        path: the path appended to `root`.
        field: the form field holding the JSON (ignored with `send_as_json`).
        headers: optional dict of extra HTTP headers.
        send_as_json: send the JSON as the request body.

    >>> import minikeras as keras
    >>> keras.callbacks.RemoteMonitor().root + keras.callbacks.RemoteMonitor().path
    'http://localhost:9000/publish/epoch/end/'
    """

    def __init__(
        self,
        root="http://localhost:9000",
        path="/publish/epoch/end/",
        field="data",
        headers=None,
        send_as_json=False,
    ):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for k, v in (logs or {}).items():
            send[k] = v.item() if isinstance(v, (np.ndarray, np.generic)) else v
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            content_type = "application/json"
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("ascii")
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.root + self.path,
            data=body,
            method="POST",
            headers={"Content-Type": content_type, **(self.headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}", stacklevel=2)
