"""One HTTP/1.1 exchange over a raw socket that reads the answer while it is still sending.

httpx sends the whole request before it reads, so a server that answers early (413, 431) and
closes shows up as a transport error, indistinguishable from a server that drops the connection
without answering. Here the request goes out in pieces and the socket is polled for an answer
before every piece: once the first byte of an answer arrives the client stops sending and reads
it to the end. A server that resets the connection without answering yields `response=None`,
which the tests treat as a failure.
"""

from __future__ import annotations

import selectors
import socket
import time
from dataclasses import dataclass

import httpx

PIECE = 16384


@dataclass
class RawExchange:
    response: httpx.Response | None  # None: the connection ended before a whole answer arrived
    raw: bytes  # every byte that arrived, for failure messages
    closed: bool  # the server closed the connection after answering
    sent_all: bool  # every byte of the request went out before the answer began
    bytes_sent: int


def _header(head: bytes, name: bytes) -> bytes | None:
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def _complete(data: bytes, method: str = "GET") -> bool:
    """A whole response: head, then Content-Length bytes or a chunked body's last chunk."""
    head, found, rest = data.partition(b"\r\n\r\n")
    if not found:
        return False
    if method == "HEAD":
        return True  # its Content-Length describes the GET body it does not send
    if (_header(head, b"transfer-encoding") or b"").lower() == b"chunked":
        return rest.endswith(b"0\r\n\r\n")
    return len(rest) >= int(_header(head, b"content-length") or 0)


def _dechunk(rest: bytes) -> bytes:
    body = b""
    while (size := int(rest.split(b"\r\n", 1)[0], 16)) > 0:
        start = rest.index(b"\r\n") + 2
        body, rest = body + rest[start : start + size], rest[start + size + 2 :]
    return body


def parse(raw: bytes, method: str, url: str) -> httpx.Response:
    head, _, content = raw.partition(b"\r\n\r\n")
    if (_header(head, b"transfer-encoding") or b"").lower() == b"chunked":
        content = _dechunk(content)
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = [(name, value.strip()) for name, _, value in (ln.partition(":") for ln in lines)]
    return httpx.Response(
        int(status_line.split(" ")[1]),
        headers=[(n, v) for n, v in headers if n.lower() != "transfer-encoding"],
        content=content,
        request=httpx.Request(method, url),
    )


def _recv(sock: socket.socket) -> bytes | None:
    """Bytes that arrived; b"" when the server closed or reset; None when nothing is ready."""
    try:
        return sock.recv(65536)
    except BlockingIOError:
        return None
    except (ConnectionResetError, BrokenPipeError):
        return b""


def exchange(
    port: int,
    method: str,
    path: str,
    fields: list[tuple[str, str]],
    body: bytes = b"",
    *,
    timeout: float = 60.0,
    linger: float = 2.0,
) -> RawExchange:
    """Send `method path` with exactly `fields` (Host included by the caller) and `body`.

    `linger`: after a complete answer, how long to wait to see whether the server closes
    (well under the servers' 5 s keep-alive timeouts).
    """
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{n}: {v}\r\n" for n, v in fields) + "\r\n"
    request = head.encode("latin-1") + body
    url = f"http://127.0.0.1:{port}{path}"
    deadline = time.monotonic() + timeout
    data = b""
    sent = 0
    peer_gone = False
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.setblocking(False)
        with selectors.DefaultSelector() as selector:
            selector.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
            while not _complete(data, method) and not peer_gone and time.monotonic() < deadline:
                sending = sent < len(request) and not data
                if not sending:
                    selector.modify(sock, selectors.EVENT_READ)
                events = selector.select(timeout=min(1.0, max(0.0, deadline - time.monotonic())))
                for _, mask in events:
                    if mask & selectors.EVENT_READ:
                        chunk = _recv(sock)
                        if chunk == b"":
                            peer_gone = True
                        elif chunk:
                            data += chunk
                    if mask & selectors.EVENT_WRITE and sending and not data and not peer_gone:
                        try:
                            sent += sock.send(request[sent : sent + PIECE])
                        except BlockingIOError:
                            pass
                        except (BrokenPipeError, ConnectionResetError):
                            # Whatever the server answered before the reset is still queued here.
                            while (chunk := _recv(sock)) not in (None, b""):
                                data += chunk or b""
                            peer_gone = True
        closed = peer_gone
        if _complete(data, method) and not peer_gone:
            sock.setblocking(True)
            sock.settimeout(linger)
            try:
                closed = sock.recv(1) == b""
            except (ConnectionResetError, BrokenPipeError):
                closed = True
            except TimeoutError:
                closed = False
    response = parse(data, method, url) if _complete(data, method) else None
    return RawExchange(response, data, closed, sent == len(request), sent)
