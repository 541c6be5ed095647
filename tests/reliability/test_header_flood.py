"""Header floods (contract/README.md §3, "Header section"): refused with 431 before routing.

Up to 50 fields and 8 KiB of headers in all (name + value + CRLF per field) is always served;
more than 100 fields, or more than 16 KiB in all, is a 431 problem with `instance` "", a fresh
request id and `Connection: close`, and nothing is stored. Requests go over raw sockets: httpx
refuses or rewrites some of these heads.
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from tests.support.assertions import assert_json, assert_problem, assert_user_v2, describe
from tests.support.live import LiveService
from tests.support.users import DEFAULT_PASSWORD, stored_emails, unique_email

PATH = "/api/v2/users"
NAME = "Header Flood"
# Headers the contract names for other answers; a 431 carries none of them.
OTHER_NAMED = (
    "Allow",
    "WWW-Authenticate",
    "Retry-After",
    "Cache-Control",
    "Deprecation",
    "Sunset",
    "Link",
    "Location",
    "ETag",
)

Field = tuple[str, str]


@dataclass
class Exchange:
    response: httpx.Response | None  # None: the connection dropped before any answer arrived
    closed: bool  # the server closed the connection after answering
    interrupted: bool  # the server closed the connection while the request was being sent


def section_size(fields: list[Field]) -> int:
    """The contract's measure: name, value and line ending of each field."""
    return sum(len(name) + len(value) + 2 for name, value in fields)


def base_fields(service: LiveService, body: bytes) -> list[Field]:
    return [
        ("Host", f"127.0.0.1:{service.port}"),
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
    ]


def padded(prefix: str, count: int, size: int) -> list[Field]:
    """`count` fields of exactly `size` bytes each (contract measure)."""
    names = [f"{prefix}-{i:04d}" for i in range(count)]
    return [(name, "p" * (size - len(name) - 2)) for name in names]


def sign_up_body(email: str) -> bytes:
    return json.dumps({"email": email, "name": NAME, "password": DEFAULT_PASSWORD}).encode()


def _header(head: bytes, name: bytes) -> bytes | None:
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def _complete(data: bytes) -> bool:
    """A whole response: head, then Content-Length bytes or a chunked body's last chunk."""
    head, found, rest = data.partition(b"\r\n\r\n")
    if not found:
        return False
    if (_header(head, b"transfer-encoding") or b"").lower() == b"chunked":
        return rest.endswith(b"0\r\n\r\n")
    return len(rest) >= int(_header(head, b"content-length") or 0)


def _dechunk(rest: bytes) -> bytes:
    body = b""
    while (size := int(rest.split(b"\r\n", 1)[0], 16)) > 0:
        start = rest.index(b"\r\n") + 2
        body, rest = body + rest[start : start + size], rest[start + size + 2 :]
    return body


def _read_response(sock: socket.socket) -> tuple[bytes, bool]:
    """Bytes of one response (as many as arrived) and whether the server closed after them."""
    data = b""
    while not _complete(data):
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data, True
        if not chunk:
            return data, True
        data += chunk
    sock.settimeout(2)  # well under the servers' 5 s keep-alive timeouts
    try:
        closed = sock.recv(1) == b""
    except ConnectionResetError:
        closed = True
    except TimeoutError:
        closed = False
    return data, closed


def _parse(raw: bytes, url: str) -> httpx.Response:
    head, _, content = raw.partition(b"\r\n\r\n")
    if (_header(head, b"transfer-encoding") or b"").lower() == b"chunked":
        content = _dechunk(content)
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = [(name, value.strip()) for name, _, value in (ln.partition(":") for ln in lines)]
    return httpx.Response(
        int(status_line.split(" ")[1]),
        headers=[(n, v) for n, v in headers if n.lower() != "transfer-encoding"],
        content=content,
        request=httpx.Request("POST", url),
    )


def send(service: LiveService, extra: list[Field], body: bytes) -> Exchange:
    """POST the whole head (and body) first, then read; a server that answers and closes while
    the client is still sending is not a failure, as long as its answer is the right one."""
    fields = base_fields(service, body) + extra
    head = f"POST {PATH} HTTP/1.1\r\n" + "".join(f"{n}: {v}\r\n" for n, v in fields) + "\r\n"
    with socket.create_connection(("127.0.0.1", service.port), timeout=30) as sock:
        try:
            sock.sendall(head.encode("latin-1") + body)
            interrupted = False
        except (BrokenPipeError, ConnectionResetError):
            interrupted = True
        raw, closed = _read_response(sock)
    response = _parse(raw, service.base_url + PATH) if raw else None
    return Exchange(response, closed, interrupted)


def assert_alive(service: LiveService) -> None:
    """A fresh connection still gets an answer: the flood did not take the server down."""
    resp = httpx.get(f"{service.base_url}/health", timeout=10.0)
    assert resp.status_code == 200, describe(resp)


FLOODS = {
    "2000-small-fields": [(f"X-Flood-{i}", str(i)) for i in range(2000)],
    "150-tiny-fields": [(f"X-F{i}", "1") for i in range(150)],
    "one-100-KiB-field": [("X-Big", "a" * 100 * 1024)],
    "30-fields-of-1-KiB": padded("X-Kib", 30, 1024),
}


@pytest.mark.parametrize("extra", FLOODS.values(), ids=FLOODS.keys())
def test_header_flood_is_431_and_stores_nothing(
    service: LiveService, api: httpx.Client, admin_headers: dict[str, str], extra: list[Field]
) -> None:
    email = unique_email("flood")
    body = sign_up_body(email)
    sent_id = f"flood-{uuid.uuid4().hex}"
    fields = [*extra, ("X-Request-ID", sent_id)]
    total = base_fields(service, body) + fields
    assert len(total) > 100 or section_size(total) > 16384, "test bug: not a flood"

    exchange = send(service, fields, body)

    # As with a 10 MB body: a server may refuse and close before the client finished sending,
    # and the client may then see the reset instead of the answer. Whatever arrived must be it.
    assert exchange.response is not None or exchange.interrupted, "sent, but never answered"
    if exchange.response is not None:
        resp = exchange.response
        assert_problem(resp, 431, "/problems/header-fields-too-large", instance="")
        assert resp.headers["X-Request-ID"] != sent_id, f"not a fresh request id; {describe(resp)}"
        assert resp.headers.get("Connection", "").lower() == "close", describe(resp)
        for name in OTHER_NAMED:
            assert name not in resp.headers, f"{name} on a 431; {describe(resp)}"
        assert exchange.closed, "the connection stayed open after a 431 with Connection: close"
    assert_alive(service)
    assert stored_emails(api, admin_headers, email) == []


def _fill(service: LiveService, body: bytes, count: int, total: int) -> list[Field]:
    """`count` extra fields bringing the whole section to exactly `total` bytes."""
    room = total - section_size(base_fields(service, body))
    share, rest = divmod(room, count)
    fields = padded("X-Pad", count, share)
    name, value = fields[-1]
    fields[-1] = (name, value + "p" * rest)
    return fields


SERVED: dict[str, Callable[[LiveService, bytes], list[Field]]] = {
    "40-fields-of-100-bytes": lambda service, body: padded("X-Pad", 40, 100),
    "50-fields-8-KiB-in-all": lambda service, body: _fill(service, body, 47, 8192),
    "one-field-of-8-KiB-in-all": lambda service, body: _fill(service, body, 1, 8192),
}


@pytest.mark.parametrize("make_fields", SERVED.values(), ids=SERVED.keys())
def test_header_section_within_the_served_bound_creates_the_user(
    service: LiveService,
    api: httpx.Client,
    admin_headers: dict[str, str],
    make_fields: Callable[[LiveService, bytes], list[Field]],
) -> None:
    email = unique_email("headers-ok")
    body = sign_up_body(email)
    extra = make_fields(service, body)
    total = base_fields(service, body) + extra
    assert len(total) <= 50, "test bug"
    assert section_size(total) <= 8192, "test bug"

    exchange = send(service, extra, body)

    assert exchange.response is not None, "no answer to a request within the served bound"
    assert_user_v2(assert_json(exchange.response, 201), email=email, name=NAME)
    assert stored_emails(api, admin_headers, email) == [email]
