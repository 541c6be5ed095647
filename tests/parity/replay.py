"""Replay the corpus against one live service and normalise what it answers.

Normalisation keeps everything the contract fixes and replaces only what legitimately differs
between two fresh services: generated ids (labelled by the user's email), timestamps, tokens,
request ids, ETags and cursors (their structure is kept), `errors[].message`, `Retry-After`.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.parity.corpus import DEFAULT, MAX_INT64, Step
from tests.support.live import LiveService
from tests.support.rawhttp import exchange
from tests.support.tokens import (
    alg_none_token,
    expired_token,
    make_token,
    tampered_token,
    wrong_key_token,
)

COMPARED_HEADERS = (
    "content-type",
    "x-request-id",
    "x-content-type-options",
    "cache-control",
    "www-authenticate",
    "allow",
    "retry-after",
    "etag",
    "location",
    "deprecation",
    "sunset",
    "link",
    # CORS (the parity services run with CORS_ORIGINS set), caching and framing.
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "access-control-max-age",
    "vary",
    "content-length",
    "connection",
)
# The header set of every answer is compared too (contract §9), except what names the server
# or describes the connection (whose meaning, close or persistent, is compared above).
TRANSPORT_HEADERS = {"date", "server", "connection", "keep-alive", "transfer-encoding"}
# httpx would re-encode a percent-encoded path, read `//x` as a host and remove dot segments.
UNNORMALISED = re.compile(r"%|//|/\.")
PLACEHOLDER = re.compile(r"\{(\w+)\.(\w+)\}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# A v1 id as a whole path segment, also in an odd spelling (`/api/v1/users/../7/`); only the
# ids of users this run has seen are labelled.
V1_PATH_ID = re.compile(r"(/)([0-9]+)(?![0-9A-Za-z_-])")


class Replayer:
    def __init__(self, live: LiveService, client: httpx.Client) -> None:
        self.live = live
        self.client = client
        self.state: dict[str, dict[str, Any]] = {
            "admin": {"email": live.admin_email, "password": live.admin_password},
        }
        self.uuid_labels: dict[str, str] = {}
        self.id_labels: dict[int, str] = {}

    # ---- requests ----------------------------------------------------------------------------

    def fill(self, text: str) -> str:
        def value(match: re.Match[str]) -> str:
            found = self.state.get(match[1], {}).get(match[2])
            return f"MISSING-{match[1]}.{match[2]}" if found is None else str(found)

        return PLACEHOLDER.sub(value, text)

    def fill_json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.fill(value)
        if isinstance(value, list):
            return [self.fill_json(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill_json(v) for k, v in value.items()}
        return value

    def token_for(self, auth: str) -> str:
        name, _, kind = auth.partition(".")
        who = self.state.get(name, {})
        sub = who.get("id", MAX_INT64)
        secret = self.live.secret_key
        if not kind or kind == "lowercase":
            return str(who.get("token", "MISSING-token"))
        forged = {
            "expired": lambda: expired_token(secret, sub),
            "wrongkey": lambda: wrong_key_token(sub),
            "algnone": lambda: alg_none_token(sub),
            "tampered": lambda: tampered_token(str(who.get("token", "a.b.c")), MAX_INT64),
            "nojti": lambda: make_token(secret, sub, omit=["jti"]),
            "noexp": lambda: make_token(secret, sub, omit=["exp"]),
            "hs512": lambda: make_token(secret, sub, algorithm="HS512"),
            "unknownsub": lambda: make_token(secret, MAX_INT64),
        }
        return forged[kind]()

    def send(self, step: Step) -> httpx.Response:
        headers = {k: self.fill(v) for k, v in step.headers.items()}
        content: bytes | None = None
        default_type = None
        if step.form is not None:
            content = urlencode([(k, self.fill(v)) for k, v in step.form]).encode()
            default_type = "application/x-www-form-urlencoded"
        elif step.raw is not None:
            content = step.raw
            default_type = "application/json"
        elif step.json is not None:
            content = json.dumps(self.fill_json(step.json), ensure_ascii=False).encode()
            default_type = "application/json"
        if content is not None:
            media = default_type if step.content_type == DEFAULT else step.content_type
            if media is not None:
                headers["Content-Type"] = media
        if step.auth is not None:
            scheme = "bearer" if step.auth.endswith(".lowercase") else "Bearer"
            headers["Authorization"] = f"{scheme} {self.token_for(step.auth)}"
        path = self.fill(step.path)
        extra = [(k, self.fill(v)) for k, v in step.extra_headers]
        if extra or UNNORMALISED.search(path) or any(v != v.strip() for v in headers.values()):
            return self._send_raw(step.method, path, [*headers.items(), *extra], content or b"")
        return self.client.request(step.method, path, content=content, headers=headers)

    def _send_raw(
        self, method: str, path: str, headers: list[tuple[str, str]], content: bytes
    ) -> httpx.Response:
        """Exactly as written: httpx refuses a header value with surrounding spaces (`Bearer `)
        and a repeated field, and may re-encode a percent-encoded path; a client may not."""
        fields = [("Host", f"127.0.0.1:{self.live.port}"), *headers]
        if content or method in ("POST", "PATCH", "PUT"):
            fields.append(("Content-Length", str(len(content))))
        sent = exchange(self.live.port, method, path, fields, content, linger=0.2)
        if sent.response is None:
            raise httpx.RemoteProtocolError(f"no answer to {method} {path}: {sent.raw[:200]!r}")
        return sent.response

    def remember(self, step: Step, resp: httpx.Response, body: Any) -> None:
        if isinstance(body, dict):
            self._register_users(body)
        if step.save and resp.status_code < 300:
            record = self.state.setdefault(step.save, {})
            if isinstance(body, dict):
                if type(body.get("id")) is int:
                    record["id"] = body["id"]
                elif isinstance(body.get("id"), str):
                    record["uuid"] = body["id"]
                if "next_cursor" in body:
                    record["cursor"] = body["next_cursor"]
            if "etag" in resp.headers:
                record["etag"] = resp.headers["etag"]
        if step.login and resp.status_code == 200 and isinstance(body, dict):
            self.state.setdefault(step.login, {})["token"] = body.get("access_token")

    def _register_users(self, body: dict[str, Any]) -> None:
        users = [body]
        for key in ("items", "data"):
            if isinstance(body.get(key), list):
                users += [u for u in body[key] if isinstance(u, dict)]
        for user in users:
            email, id_ = user.get("email"), user.get("id")
            if not isinstance(email, str):
                continue
            label = self.email_label(email)
            if type(id_) is int:
                self.id_labels.setdefault(id_, label)
            elif isinstance(id_, str) and UUID.fullmatch(id_):
                self.uuid_labels.setdefault(id_, label)

    def email_label(self, email: str) -> str:
        return "admin" if email == self.live.admin_email else email

    # ---- normalisation -----------------------------------------------------------------------

    def text(self, value: str) -> str:
        value = value.replace(self.live.admin_email, "<admin-email>")
        value = UUID.sub(
            lambda m: f"<uuid:{self.uuid_labels[m[0]]}>" if m[0] in self.uuid_labels else m[0],
            value,
        )
        return V1_PATH_ID.sub(
            lambda m: (
                m[1]
                + (f"<id:{self.id_labels[int(m[2])]}>" if int(m[2]) in self.id_labels else m[2])
            ),
            value,
        )

    def cursor(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            return f"<undecodable cursor {value}>"
        stamp, _, rest = raw.partition("|")
        stamp = "<ts>" if TIMESTAMP.match(stamp) else stamp
        return f"<cursor {stamp}|{self.text(rest)}>"

    def body(self, value: Any, rid: str | None, key: str = "") -> Any:
        if isinstance(value, dict):
            out = {k: self.body(v, rid, k) for k, v in value.items()}
            if key == "errors[]" and isinstance(value.get("message"), str):
                # contract/README.md §3: only errors[].message is free text.
                out["message"] = "<message>"
            if TIMESTAMP.match(str(value.get("updated_at", ""))) and value.get(
                "updated_at"
            ) == value.get("created_at"):
                out["updated_at"] = "<ts=created_at>"
            if type(value.get("id")) is int and value["id"] in self.id_labels:
                out["id"] = f"<id:{self.id_labels[value['id']]}>"
            return out
        if isinstance(value, list):
            return [self.body(v, rid, "errors[]" if key == "errors" else "") for v in value]
        if not isinstance(value, str):
            return value
        if key in ("created_at", "updated_at") and TIMESTAMP.match(value):
            return "<ts>"
        if key == "request_id":
            return "<request-id>" if value == rid else f"<request-id {value!r} != header {rid!r}>"
        if key == "access_token":
            return "<jwt>" if value.count(".") == 2 else value
        if key == "next_cursor":
            return self.cursor(value)
        return self.text(value)

    def header(
        self, name: str, value: str, sent_rid: str | None, body_length: int, method: str = ""
    ) -> str:
        if name == "content-type":
            return value.split(";", 1)[0].strip().lower()
        if name == "x-request-id":
            if sent_rid is not None and REQUEST_ID.match(sent_rid) and value == sent_rid:
                return "<echoed>"
            return "<uuid4>" if UUID4.match(value) else value
        if name == "retry-after":
            return "<1..60>" if value.isdigit() and 1 <= int(value) <= 60 else value
        if name == "connection":
            # HTTP/1.1 is persistent unless "close" (RFC 9112 §9.3): an absent header and
            # "keep-alive" say the same; "close" is what the contract cares about.
            tokens = {t.strip().lower() for t in value.split(",")}
            return "close" if "close" in tokens else "<persistent>"
        if name == "content-length" and method == "HEAD":
            # A HEAD answer has no body to measure; its length is that of a JSON body the
            # services serialise with different whitespace.
            return "<digits>" if value.isdigit() else value
        if name == "content-length":
            # JSON bodies are compared parsed and carry per-run values of differing lengths
            # (tokens' jti, ...), so the header is checked against the body it came with:
            # present and right, or the raw value. Non-JSON bodies are compared exactly anyway.
            return "<body length>" if value.isdigit() and int(value) == body_length else value
        if name in (
            "vary",
            "access-control-allow-methods",
            "access-control-allow-headers",
            "access-control-expose-headers",
        ):
            # Comma-separated token lists: a set of case-insensitive tokens (RFC 9110 §5.6.1).
            return ", ".join(sorted({t.strip().lower() for t in value.split(",") if t.strip()}))
        return self.text(value)

    def normalise(self, step: Step, resp: httpx.Response) -> tuple[dict[str, Any], Any]:
        body: Any = None
        if resp.content:
            try:
                body = resp.json()
            except ValueError:
                # Compared exactly; only what varies per run (ids, the admin's email) is
                # labelled, as in JSON strings.
                body = {"non-JSON body": self.text(resp.content.decode("utf-8", "replace"))}
        rid = resp.headers.get("x-request-id")
        self.remember(step, resp, body)
        headers: dict[str, Any] = {}
        sent = step.headers.get("X-Request-ID")
        for name in COMPARED_HEADERS:
            values = resp.headers.get_list(name)
            if not values:
                headers[name] = "<persistent>" if name == "connection" else None
            elif len(values) > 1:
                headers[name] = [
                    self.header(name, v, sent, len(resp.content), step.method) for v in values
                ]
            else:
                headers[name] = self.header(name, values[0], sent, len(resp.content), step.method)
        names = sorted({n.lower() for n in resp.headers} - TRANSPORT_HEADERS)
        return {
            "status": resp.status_code,
            "headers": headers,
            "header names": names,
            "body": self.body(body, rid),
        }, body

    def run(self, step: Step) -> dict[str, Any]:
        try:
            resp = self.send(step)
        except httpx.HTTPError as exc:
            # Recorded so the report shows it; test_parity fails any step that has one, even
            # when every service failed the same way.
            return {"transport_error": f"{type(exc).__name__}: {exc}"}
        normalised, _ = self.normalise(step, resp)
        return normalised


def describe(step: Step) -> str:
    parts = [f"{step.method} {step.path}"]
    if step.auth:
        parts.append(f"auth={step.auth}")
    if step.headers:
        parts.append(f"headers={step.headers}")
    if step.extra_headers:
        parts.append(f"then headers={list(step.extra_headers)}")
    if step.content_type != DEFAULT:
        parts.append(f"content-type={step.content_type!r}")
    if step.form is not None:
        parts.append(f"form={step.form}")
    elif step.raw is not None:
        parts.append(f"raw={step.raw[:120]!r}{'...' if len(step.raw) > 120 else ''}")
    elif step.json is not None:
        text = json.dumps(step.json, ensure_ascii=False)
        parts.append(f"json={text[:160]}{'...' if len(text) > 160 else ''}")
    return " ".join(parts)
