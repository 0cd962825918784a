"""RemoteMonitor against an HTTP server on 127.0.0.1 started here (never a real network). The
request bodies are what Keras 3's `requests.post(url, {field: json.dumps(send)})` (form-encoded)
and `requests.post(url, json=send)` send."""

import http.server
import json
import threading
import urllib.parse

import numpy as np
import pytest

import minikeras as keras


@pytest.fixture
def server():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the stdlib's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    httpd.shutdown()
    httpd.server_close()


def _fit(callback, epochs=2):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    x = np.ones((4, 2), "float32")
    model.fit(x, np.zeros((4, 1), "float32"), epochs=epochs, verbose=0, callbacks=[callback])
    return model


def test_form_encoded_by_default(server):
    root, received = server
    _fit(keras.callbacks.RemoteMonitor(root=root, path="/publish/"))
    assert [r[0] for r in received] == ["/publish/", "/publish/"]
    path, headers, body = received[1]
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(body.decode())
    sent = json.loads(form["data"][0])
    assert sent["epoch"] == 1 and set(sent) == {"epoch", "loss", "mae"}
    assert isinstance(sent["loss"], float)


def test_json_body_custom_field_and_headers(server):
    root, received = server
    cb = keras.callbacks.RemoteMonitor(
        root=root, field="ignored", headers={"X-Run": "7"}, send_as_json=True
    )
    cb.on_epoch_end(3, {"loss": np.float32(0.5), "acc": np.array(0.25)})
    _, headers, body = received[0]
    assert headers["Content-Type"] == "application/json" and headers["X-Run"] == "7"
    assert json.loads(body) == {"epoch": 3, "loss": 0.5, "acc": 0.25}
    assert received[0][0] == "/publish/epoch/end/"  # Keras's default path


def test_unreachable_server_warns():
    cb = keras.callbacks.RemoteMonitor(root="http://127.0.0.1:9")  # the discard port: closed
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server"):
        cb.on_epoch_end(0, {"loss": 1.0})
