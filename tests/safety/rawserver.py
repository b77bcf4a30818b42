"""A tiny raw-socket HTTP server on 127.0.0.1 for hostile-server tests.

Each test gives a handler ``(conn, request_bytes) -> None`` that writes whatever it likes
(malformed status lines, huge headers, drip-fed bodies...). The server records how many
connections it saw so tests can assert that a refused fetch never connected.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

Handler = Callable[[socket.socket, bytes], None]


class RawServer:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.requests: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            self.requests.append(data)
            self.handler(conn, data)
        except OSError:
            pass
        finally:
            with suppress(OSError):
                conn.close()


@contextmanager
def raw_server(handler: Handler) -> Iterator[RawServer]:
    server = RawServer(handler)
    server.thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.thread.join(2)
        server.sock.close()


def reply(body: bytes, *headers: str, status: str = "200 OK") -> Handler:
    """A handler sending ``status``, ``headers`` and ``body`` then closing."""

    def handle(conn: socket.socket, request: bytes) -> None:
        head = f"HTTP/1.1 {status}\r\n" + "".join(f"{h}\r\n" for h in headers) + "\r\n"
        conn.sendall(head.encode("latin-1") + body)

    return handle
