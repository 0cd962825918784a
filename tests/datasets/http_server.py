"""A tiny HTTP file server on 127.0.0.1 for download tests: no test touches the internet.

It serves in-memory files, honours `Range: bytes=N-` (206 with Content-Range, 416 past the
end), records every request, and can cut a response short once to simulate a dropped
connection.
"""

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FileServer:
    def __init__(self):
        self.files = {}  # name -> bytes
        self.requests = []  # (name, Range header or None)
        self.cut_after = {}  # name -> bytes sent before closing the connection (once)
        self.ranges = True  # False: ignore Range headers and always send the whole file
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                name = self.path.lstrip("/")
                range_header = self.headers.get("Range")
                server.requests.append((name, range_header))
                if name not in server.files:
                    self.send_error(404)
                    return
                data = server.files[name]
                start = 0
                match = re.fullmatch(r"bytes=(\d+)-", range_header or "")
                if match and server.ranges:
                    start = int(match.group(1))
                    if start >= len(data):
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(data)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                cut = server.cut_after.pop(name, None)
                if cut is None:
                    self.wfile.write(body)
                    return
                self.wfile.write(body[:cut])  # then drop the connection mid-body
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def hits(self, name):
        return sum(1 for n, _ in self.requests if n == name)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def refused_url():
    """A URL on a local port nothing listens on (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
