"""Header floods (contract/README.md §3, "Header section"): refused with 431 before routing.

Up to 50 fields and 8 KiB of headers in all (name + value + CRLF per field) is always served;
more than 100 fields, or more than 16 KiB in all, is a 431 problem with `instance` "", a fresh
request id and `Connection: close`, and nothing is stored. Requests go over raw sockets: httpx
refuses or rewrites some of these heads.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import httpx
import pytest

from tests.support.assertions import assert_json, assert_problem, assert_user_v2, describe
from tests.support.live import LiveService
from tests.support.rawhttp import RawExchange, exchange
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


def send(service: LiveService, extra: list[Field], body: bytes) -> RawExchange:
    """POST the head (and body) in pieces, reading between them: an answer sent while the
    client is still sending is read, not lost to the reset that follows the server's close."""
    return exchange(service.port, "POST", PATH, base_fields(service, body) + extra, body)


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

    # The client reads while it sends, so a server that answers early is heard; one that drops
    # or resets the connection without a whole 431 fails here.
    sent = send(service, fields, body)

    assert sent.response is not None, (
        f"no 431: the connection ended after {sent.bytes_sent} bytes sent with "
        f"{sent.raw[:300]!r} received"
    )
    resp = sent.response
    assert_problem(resp, 431, "/problems/header-fields-too-large", instance="")
    assert resp.headers["X-Request-ID"] != sent_id, f"not a fresh request id; {describe(resp)}"
    assert resp.headers.get("Connection", "").lower() == "close", describe(resp)
    for name in OTHER_NAMED:
        assert name not in resp.headers, f"{name} on a 431; {describe(resp)}"
    assert sent.closed, "the connection stayed open after a 431 with Connection: close"
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

    sent = send(service, extra, body)

    assert sent.response is not None, f"no whole answer within the served bound: {sent.raw[:300]!r}"
    assert_user_v2(assert_json(sent.response, 201), email=email, name=NAME)
    assert stored_emails(api, admin_headers, email) == [email]
