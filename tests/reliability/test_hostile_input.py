"""Hostile input beyond schemathesis: the designed 4xx problem, never a 500, nothing stored."""

from __future__ import annotations

import json

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.assertions import TOKEN_UNAUTHORIZED, assert_problem, describe
from tests.support.live import LiveService
from tests.support.rawhttp import exchange
from tests.support.tokens import claims_for
from tests.support.users import ApiUser, UserFactory, stored_emails, unique_email

PASSWORD = "correct-horse-battery"
INJECTIONS = [
    "Robert'); DROP TABLE users;--",
    "' OR '1'='1",
    "{{7*7}} ${7*7} <%= 7*7 %> #{7*7}",
    "<script>alert(1)</script>",
    "%s%s%s%n",
    "../../../../etc/passwd",
]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/9223372036854775808",
        "/api/v1/users/18446744073709551616",
        "/api/v1/users/" + "9" * 400,
        "/api/v1/users/-9223372036854775809",
        "/api/v2/users/" + "f" * 400,
    ],
)
def test_ids_past_64_bits_are_404(
    api: httpx.Client, admin_headers: dict[str, str], path: str
) -> None:
    assert_problem(api.get(path, headers=admin_headers), 404, "/problems/not-found")


@pytest.mark.parametrize("value", ["9223372036854775808", "1" + "0" * 300])
def test_huge_integers_in_query_are_out_of_range(
    api: httpx.Client, admin_headers: dict[str, str], value: str
) -> None:
    for name in ("offset", "limit"):
        resp = api.get("/api/v1/users", params={name: value}, headers=admin_headers)
        assert_problem(resp, 422, "/problems/validation-error")
        assert [(e["in"], e["field"], e["code"]) for e in resp.json()["errors"]] == [
            ("query", name, "out_of_range")
        ]


def test_deeply_nested_json_is_rejected_and_stores_nothing(
    api: httpx.Client, admin_headers: dict[str, str]
) -> None:
    email = unique_email("nested")
    depth = 5000
    body = '{"email": "' + email + '", "name": ' + "[" * depth + "]" * depth + ', "password": "x"}'
    resp = api.post(
        "/api/v2/users", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    # contract/README.md §3 "Transport limits": past 32 levels is 400, never 422 or 500.
    assert_problem(
        resp, 400, "/problems/malformed-request", detail="Request body could not be parsed"
    )
    assert stored_emails(api, admin_headers, email) == []


@pytest.mark.parametrize(("depth", "status"), [(32, 422), (33, 400), (1000, 400)])
def test_json_depth_bound_is_exact(
    api: httpx.Client, admin_headers: dict[str, str], depth: int, status: int
) -> None:
    """32 levels parse (the nested name is then a 422 type error); 33 do not (400)."""
    email = unique_email(f"depth{depth}")
    nested = "[" * (depth - 1) + "]" * (depth - 1)
    body = '{"email": "' + email + '", "name": ' + nested + ', "password": "x"}'
    resp = api.post(
        "/api/v2/users", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    if status == 400:
        assert_problem(
            resp, 400, "/problems/malformed-request", detail="Request body could not be parsed"
        )
    else:
        assert_problem(resp, 422, "/problems/validation-error")
    assert stored_emails(api, admin_headers, email) == []


@pytest.mark.parametrize("field", ["email", "name"])
def test_nul_bytes_are_invalid_and_store_nothing(
    api: httpx.Client, admin_headers: dict[str, str], field: str
) -> None:
    email = unique_email("nul")
    body = {"email": email, "name": "Nul Person", "password": PASSWORD}
    body[field] = body[field][:3] + "\x00" + body[field][3:]
    resp = api.post("/api/v2/users", json=body)
    assert_problem(resp, 422, "/problems/validation-error")
    assert [(e["in"], e["field"], e["code"]) for e in resp.json()["errors"]] == [
        ("body", field, "invalid")
    ]
    assert stored_emails(api, admin_headers, email) == []


@pytest.mark.parametrize(
    "raw",
    [
        b'{"email": "\xff\xfe@example.com", "name": "x", "password": "correct-horse"}',
        b'{"email": "a@example.com", "name": "\xc3\x28", "password": "correct-horse"}',
        b'{"email": "a@example.com", "name": "\\ud800", "password": "correct-horse"}',
    ],
    ids=["invalid-utf8", "truncated-sequence", "lone-surrogate"],
)
def test_undecodable_text_is_400(api: httpx.Client, raw: bytes) -> None:
    resp = api.post("/api/v2/users", content=raw, headers={"Content-Type": "application/json"})
    assert_problem(resp, 400, "/problems/malformed-request")


def test_ten_megabyte_body_is_413_and_stores_nothing(
    service: LiveService, api: httpx.Client, admin_headers: dict[str, str]
) -> None:
    """Step 3 (413) by Content-Length. The body goes out in pieces while the socket is read, so
    a server that answers early is heard; one that resets the connection without a 413 fails."""
    email = unique_email("big")
    payload = json.dumps({"email": email, "name": "x" * 10_000_000, "password": PASSWORD})
    body = payload.encode()
    fields = [
        ("Host", f"127.0.0.1:{service.port}"),
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
    ]
    sent = exchange(service.port, "POST", "/api/v2/users", fields, body)
    assert sent.response is not None, (
        f"no 413: the connection ended after {sent.bytes_sent} of {len(body)} body bytes with "
        f"{sent.raw[:300]!r} received"
    )
    resp = sent.response
    assert_problem(
        resp, 413, "/problems/payload-too-large", detail="Request body exceeds 65536 bytes"
    )
    if not sent.sent_all:
        # Answered before the body was read: contract/README.md §3 "Transport limits".
        assert resp.headers.get("Connection", "").lower() == "close", describe(resp)
    assert api.get("/health").status_code == 200
    assert stored_emails(api, admin_headers, email) == []


def test_a_thousand_unknown_query_parameters_are_ignored(
    api: httpx.Client, admin_headers: dict[str, str]
) -> None:
    # Two-letter names without values keep the request line under common 4 KiB server limits.
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    names = [a + b for a in alphabet for b in alphabet][:1000]
    query = "&".join(names) + "&limit=1"
    resp = api.get(f"/api/v2/users?{query}", headers=admin_headers)
    assert resp.status_code == 200, describe(resp)
    assert len(resp.json()["data"]) == 1


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_are_stored_verbatim_as_data(
    api: httpx.Client, admin_headers: dict[str, str], text: str
) -> None:
    email = unique_email("inject")
    resp = api.post("/api/v2/users", json={"email": email, "name": text, "password": text + "pw"})
    assert resp.status_code == 201, describe(resp)
    assert resp.json()["name"] == text.strip()
    listed = api.get("/api/v2/users", params={"email": email}, headers=admin_headers).json()
    assert [u["name"] for u in listed["data"]] == [text.strip()]
    lookup = api.get("/api/v2/users", params={"email": text}, headers=admin_headers)
    assert lookup.status_code == 200, describe(lookup)
    assert lookup.json()["data"] == []


def test_injection_in_login_is_an_ordinary_401(api: httpx.Client) -> None:
    for text in INJECTIONS:
        resp = api.post("/api/v2/auth/token", data={"username": text, "password": text})
        assert_problem(resp, 401, "/problems/unauthorized", detail=TOKEN_UNAUTHORIZED)


def test_rs256_token_and_swapped_signature_are_401(
    api: httpx.Client, users: UserFactory, service_secret: str
) -> None:
    victim: ApiUser = users.create(version=2, prefix="jwt-victim")
    other: ApiUser = users.create(version=2, prefix="jwt-other")
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rs256 = jwt.encode(claims_for(victim.id), private_key, algorithm="RS256")
    head, payload, _ = victim.token.split(".")
    swapped = ".".join([head, payload, other.token.split(".")[2]])
    for token in (rs256, swapped):
        resp = api.get("/api/v2/users/me", headers={"Authorization": f"Bearer {token}"})
        assert_problem(resp, 401, "/problems/unauthorized")
