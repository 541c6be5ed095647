"""Requests from contract/openapi.yaml (schemathesis' generation, positive and negative), then
mutations that no schema describes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.differential.probes import Probe

CONTRACT = Path(__file__).resolve().parents[2] / "contract" / "openapi.yaml"
# The principals the fleet's setup creates in every service (tests/differential/conftest.py).
USERS = ("admin", "ada", "grace")
FORGED = ("expired", "wrongkey", "algnone", "tampered", "unknownsub", "noexp", "hs512")
SPEC_HEADERS = {"if-match", "x-request-id", "content-type"}
# Each operation's share of the requests. Token requests and valid sign-ups cost an argon2 hash
# in each of the four services, so they are rarer than reads.
WEIGHTS = {"token": 1, "post": 3, "patch": 4, "delete": 2, "get": 6}
MEDIA_TYPES = (
    "application/json",
    "Application/JSON",
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    'application/json ; charset="utf-8"',
    "application/json; charset=latin-1",
    "application/merge-patch+json",
    "application/problem+json",
    "text/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json, text/plain",
    "",
)
EMPTIED_HEADERS = ("If-Match", "X-Request-ID", "Content-Type", "Authorization", "Origin", "Accept")
# The parity services' one CORS origin, that origin in another case, another origin, odd values.
ORIGINS = (
    "https://app.example.com",
    "https://APP.example.com",
    "https://evil.example.net",
    "null",
    "",
)
BEARER_SPELLINGS = (
    "Bearer {token}",
    "bearer {token}",
    "BEARER {token}",
    "Bearer  {token}",
    "Bearer\t{token}",
    "Bearer {token} ",
    " Bearer {token}",
    "Bearer {token} extra",
    "Bearer",
    "Bearer ",
    "Token {token}",
    "Basic {token}",
    "{token}",
)


@cache
def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_path(str(CONTRACT))
    operations: list[Any] = []
    for result in schema.get_all_operations():
        operations.append(result.ok())  # type: ignore[union-attr]  # an Err raises here: the contract is invalid
    return operations


def _kind(operation: Any) -> str:
    if operation.path.endswith("/auth/token"):
        return "token"
    return str(operation.method).lower()


@cache
def _case_strategy(index: int, mode: GenerationMode) -> st.SearchStrategy[Any]:
    strategy: st.SearchStrategy[Any] = _operations()[index].as_strategy(generation_mode=mode)
    return strategy


def _path_target(version: str) -> st.SearchStrategy[str | None]:
    """A real user's id (filled per service), `me`, or None for the generated value."""
    key = "id" if version == "v1" else "uuid"
    real = [f"{{{u}.{key}}}" for u in USERS]
    return st.one_of(st.sampled_from([*real, "me"]), st.none())


def _encode_body(case: Any) -> tuple[bytes | None, str | None]:
    body = case.body
    media = case.media_type
    if body is None or type(body).__name__ == "NotSet":
        return None, None
    if isinstance(body, bytes):
        return body, media
    if media == "application/x-www-form-urlencoded" and isinstance(body, dict):
        return urlencode([(k, str(v)) for k, v in body.items()]).encode(), media
    if isinstance(body, str) and media != "application/json":
        return body.encode("utf-8", "surrogatepass"), media
    try:
        return json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass"), media
    except (TypeError, ValueError):
        return None, None


def _header_value(value: Any) -> str:
    # Header bytes go out as UTF-8; raw exchange encodes the head as latin-1.
    return str(value).encode("utf-8", "surrogatepass").decode("latin-1")


@st.composite
def generated(draw: st.DrawFn) -> Probe:
    operations = _operations()
    weights = [WEIGHTS[_kind(op)] for op in operations]
    index = draw(
        st.sampled_from([i for i, w in enumerate(weights) for _ in range(w)]), label="operation"
    )
    operation = operations[index]
    mode = draw(st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE]))
    case = draw(_case_strategy(index, mode))
    path: str = operation.path
    if "{id}" in path:
        target = draw(_path_target("v1" if path.startswith("/api/v1") else "v2"))
        raw = target if target is not None else str(case.path_parameters.get("id", ""))
        # schemathesis hands path parameters already percent-encoded.
        path = path.replace("{id}", raw if target or "%" in raw else quote(raw, safe=""))
    if case.query:
        path += "?" + urlencode(
            [
                (k, str(x))
                for k, v in case.query.items()
                for x in (v if isinstance(v, list) else [v])
            ]
        )
    headers = tuple(
        (name, _header_value(value))
        for name, value in (case.headers or {}).items()
        if name.lower() in SPEC_HEADERS
    )
    body, media = _encode_body(case)
    if body is not None and media and not any(n.lower() == "content-type" for n, _ in headers):
        headers = (*headers, ("Content-Type", media))
    auth = draw(
        st.one_of(
            st.sampled_from(USERS),
            st.none(),
            st.builds(lambda u, k: f"{u}.{k}", st.sampled_from(USERS), st.sampled_from(FORGED)),
        )
    )
    if operation.path.endswith("/auth/token"):
        auth = draw(st.sampled_from([None, auth]))
    probe = Probe(str(operation.method).upper(), path, headers, body, auth=auth)
    return probe.noted(f"{mode.value}")


# ---- mutations no schema describes ----------------------------------------------------------


def _header_names(probe: Probe) -> list[str]:
    return [n for n, _ in probe.headers] or ["X-Request-ID"]


@st.composite
def _empty_header(draw: st.DrawFn, probe: Probe) -> Probe:
    name = draw(st.sampled_from([*EMPTIED_HEADERS, *_header_names(probe)]))
    if name.lower() == "authorization":
        return replace(probe, auth=None).with_header("Authorization", "")
    return probe.without_header(name).with_header(name, "")


@st.composite
def _long_header(draw: st.DrawFn, probe: Probe) -> Probe:
    name = draw(st.sampled_from(["If-Match", "X-Request-ID", "Authorization", "Origin"]))
    length = draw(st.sampled_from([129, 256, 257, 1024, 7000]))
    value = draw(st.sampled_from(['"', "x", "a-"])) * length
    if name.lower() == "authorization":
        return replace(probe, auth=None).with_header(name, "Bearer " + value)
    return probe.without_header(name).with_header(name, value[:length])


@st.composite
def _repeated_header(draw: st.DrawFn, probe: Probe) -> Probe:
    name = draw(
        st.sampled_from(
            ["X-Request-ID", "If-Match", "Content-Type", "Authorization", *_header_names(probe)]
        )
    )
    first = probe.header(name) or draw(st.sampled_from(["abc", '"etag"', "*", "application/json"]))
    second = draw(st.sampled_from([first, "other", '"x"', "*", "text/plain", ""]))
    if name.lower() == "authorization":
        token = "{" + (probe.auth or "ada") + ".token}"
        return (
            replace(probe, auth=None).with_header(name, f"Bearer {token}").with_header(name, second)
        )
    return probe.without_header(name).with_header(name, first).with_header(name, second)


@st.composite
def _header_case(draw: st.DrawFn, probe: Probe) -> Probe:
    spell = draw(st.sampled_from([str.lower, str.upper, str.swapcase]))
    return replace(probe, headers=tuple((spell(n), v) for n, v in probe.headers))


UNRESERVED = re.compile(r"[A-Za-z0-9]")


@st.composite
def _percent_path(draw: st.DrawFn, probe: Probe) -> Probe:
    path, _, query = probe.path.partition("?")
    plain = [
        i
        for i, ch in enumerate(path)
        if UNRESERVED.match(ch) and "{" not in path[: i + 1].rsplit("}", 1)[-1]
    ]
    if not plain:
        return probe
    at = draw(st.sampled_from(plain))
    hexed = draw(st.sampled_from(["%{:02x}", "%{:02X}"])).format(ord(path[at]))
    path = path[:at] + hexed + path[at + 1 :]
    return replace(probe, path=path + (f"?{query}" if query else ""))


@st.composite
def _dot_path(draw: st.DrawFn, probe: Probe) -> Probe:
    path, _, query = probe.path.partition("?")
    segments = path.split("/")
    at = draw(st.integers(1, max(1, len(segments) - 1)))
    extra = draw(st.sampled_from([".", "x/..", "", "%2e", "..", "%2E%2E"]))
    segments.insert(at, extra)
    path = "/".join(segments)
    if draw(st.booleans()):
        path += "/"
    return replace(probe, path=path + (f"?{query}" if query else ""))


@st.composite
def _query(draw: st.DrawFn, probe: Probe) -> Probe:
    name = draw(st.sampled_from(["limit", "offset", "cursor", "status", "email", "x"]))
    values = draw(
        st.lists(
            st.sampled_from(["1", "2", "", "-1", "abc", "%zz", "1e3", "01"]), min_size=1, max_size=3
        )
    )
    extra = "&".join(f"{name}={v}" if v != "-" else name for v in values)
    joiner = "&" if "?" in probe.path else "?"
    return replace(probe, path=probe.path + joiner + extra)


def _json_object(probe: Probe) -> dict[str, Any] | None:
    if probe.body is None:
        return None
    try:
        value = json.loads(probe.body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _as_json(probe: Probe, body: bytes) -> Probe:
    probe = probe.without_header("Content-Type").with_header("Content-Type", "application/json")
    return replace(probe, body=body)


@st.composite
def _odd_json(draw: st.DrawFn, probe: Probe) -> Probe:
    obj = _json_object(probe) or {"email": "odd@example.com", "name": "Odd", "password": "x" * 12}
    key = draw(st.sampled_from(sorted(obj) or ["email"]))
    text = json.dumps(obj, ensure_ascii=False)
    kind = draw(st.sampled_from(["bom", "duplicate", "nan", "huge", "deep", "deepvalue", "top"]))
    if kind == "bom":
        return _as_json(probe, b"\xef\xbb\xbf" + text.encode())
    if kind == "duplicate":
        second = draw(st.sampled_from(['"dup@example.com"', "null", "1", '"x"']))
        return _as_json(probe, (text[:-1] + f', "{key}": {second}}}').encode())
    if kind in ("nan", "huge"):
        literal = draw(
            st.sampled_from(
                ["NaN", "Infinity", "-Infinity"]
                if kind == "nan"
                else ["1e400", "-1e400", "123456789012345678901234567890", "-0", "1.0", "0.1e1"]
            )
        )
        pairs = [
            f"{json.dumps(k)}: {literal if k == key else json.dumps(v)}" for k, v in obj.items()
        ]
        return _as_json(probe, ("{" + ", ".join(pairs) + "}").encode())
    depth = draw(st.sampled_from([64, 1000, 5000]))
    if kind == "deepvalue":
        nested = "[" * depth + "]" * depth
        pairs = [
            f"{json.dumps(k)}: {nested if k == key else json.dumps(v)}" for k, v in obj.items()
        ]
        return _as_json(probe, ("{" + ", ".join(pairs) + "}").encode())
    if kind == "deep":
        return _as_json(probe, ('{"a":' * depth + "1" + "}" * depth).encode())
    top = draw(st.sampled_from(["[]", '"x"', "1", "null", "true", "{}", "", " ", "{", "[1,]"]))
    return _as_json(probe, top.encode())


@st.composite
def _media_type(draw: st.DrawFn, probe: Probe) -> Probe:
    spelling = draw(st.sampled_from(MEDIA_TYPES))
    probe = probe.without_header("Content-Type")
    if spelling:
        probe = probe.with_header("Content-Type", spelling)
    return probe


@st.composite
def _bearer(draw: st.DrawFn, probe: Probe) -> Probe:
    who = probe.auth or draw(st.sampled_from(USERS))
    return replace(probe, auth=who, auth_format=draw(st.sampled_from(BEARER_SPELLINGS)))


@st.composite
def _origin(draw: st.DrawFn, probe: Probe) -> Probe:
    origin = draw(st.sampled_from(ORIGINS))
    return probe.with_header("Origin", origin)


MUTATIONS: dict[str, Callable[[Probe], st.SearchStrategy[Probe]]] = {
    "empty-header": _empty_header,
    "long-header": _long_header,
    "repeated-header": _repeated_header,
    "header-case": _header_case,
    "percent-path": _percent_path,
    "dot-path": _dot_path,
    "query": _query,
    "odd-json": _odd_json,
    "media-type": _media_type,
    "bearer": _bearer,
    "origin": _origin,
}


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[Probe]) -> Probe:
    probe = draw(base)
    names = draw(st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=2, unique=True))
    for name in names:
        probe = draw(MUTATIONS[name](probe)).noted(name)
    return probe


def probes() -> st.SearchStrategy[Probe]:
    return mutated(generated())
