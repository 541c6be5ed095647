"""Request bodies: read into memory under the contract's limit (413), strict JSON, form parsing
(400), and closing connections whose body was left unread."""

from __future__ import annotations

import io
import json
import re
from typing import Any
from urllib.parse import parse_qsl

from flask import g, request
from flask.json.provider import DefaultJSONProvider

from app.core.contract import MAX_BODY_BYTES, MAX_JSON_DEPTH
from app.core.errors import FieldError, MalformedRequest, ValidationFailed

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
DISCARD_LIMIT = 1024 * 1024  # past this, the server closes the connection instead
CLOSE_CONNECTION = "users_api.close_connection"
BAD_PERCENT_RE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def request_path() -> str:
    """The percent-decoded path as the client sent it (contract §2 `instance`, §9). Werkzeug's
    `request.path` and its router drop leading slashes (`//health` is `/health` to them); the
    other services, and the contract, keep them."""
    raw: str = request.environ.get("PATH_INFO", "")
    return raw.encode("latin-1").decode("utf-8", "replace") or request.path


class StrictJSONProvider(DefaultJSONProvider):
    """RFC 8259 only: UTF-8, no NaN/Infinity, no lone surrogates."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        text = s.decode("utf-8") if isinstance(s, bytes) else s
        try:
            value = json.loads(text, parse_constant=_reject_constant, **kwargs)
        except RecursionError:  # nested past the parser's depth: unparseable, not a 500
            raise ValueError("JSON nested too deeply") from None
        if json_depth(value) > MAX_JSON_DEPTH:  # contract §3: one bound for all four services
            raise ValueError("JSON nested too deeply")
        _reject_surrogates(value)
        return value


def json_depth(value: Any) -> int:
    """How many objects and arrays deep; level by level, so no recursion limit applies."""
    depth = 0
    level = [value]
    while containers := [v for v in level if isinstance(v, dict | list)]:
        depth += 1
        level = [child for c in containers for child in (c.values() if isinstance(c, dict) else c)]
    return depth


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _reject_surrogates(value: Any) -> None:
    if isinstance(value, str):
        value.encode("utf-8")  # raises UnicodeEncodeError on a lone surrogate
    elif isinstance(value, dict):
        for key, item in value.items():
            key.encode("utf-8")
            _reject_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            _reject_surrogates(item)


def buffer_body() -> bool:
    """Read the whole body into memory (at most 64 KiB; a chunked body is counted while
    reading); True when it is too large, in which case it was discarded."""
    environ = request.environ
    stream = environ["wsgi.input"]
    length = request.content_length
    data = b""
    if length is not None and length > MAX_BODY_BYTES:
        _discard(stream, length)
        return True
    if length is not None:
        data = stream.read(length) if length else b""
    elif environ.get("wsgi.input_terminated"):
        data = stream.read(MAX_BODY_BYTES + 1)
        if len(data) > MAX_BODY_BYTES:
            _discard(stream, DISCARD_LIMIT)
            return True
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
    return False


def _discard(stream: Any, limit: int) -> None:
    """Drop up to 1 MiB of an oversized body; past that the connection is closed after the
    answer (`Connection: close`), since the rest of the body is still on it."""
    remaining = min(limit, DISCARD_LIMIT)
    while remaining > 0:
        chunk = stream.read(min(remaining, 65536))
        if not chunk:
            return
        remaining -= len(chunk)
    if stream.read(1):
        request.environ[CLOSE_CONNECTION] = True


def parse_body(expected: str | None) -> None:
    """Step 6 (400) and the whole-body part of step 7 (422: a JSON body must be an object)."""
    if expected == JSON:
        if not request.get_data(cache=True):
            raise MalformedRequest()
        body = request.get_json(force=True)  # StrictJSONProvider; failures raise 400
        if not isinstance(body, dict):
            raise ValidationFailed([FieldError("body", "", "invalid", "must be an object")])
    elif expected == FORM:
        raw = request.get_data(cache=True)
        if BAD_PERCENT_RE.search(raw):
            raise MalformedRequest()
        try:
            g.form_pairs = parse_qsl(
                raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
            )
        except UnicodeDecodeError:
            raise MalformedRequest() from None


class CloseUnreadConnections:
    """WSGI middleware: when a body was left unread, the connection must close after the answer.
    gunicorn drops hop-by-hop headers set by an application, so its response object is asked
    directly (`force_close()` makes it send `Connection: close` and close); other servers get
    the header."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            # A 413 always closes (contract §3): the server never reads a body past the limit.
            if environ.get(CLOSE_CONNECTION) or status.startswith("413"):
                server_response = getattr(start_response, "__self__", None)
                force_close = getattr(server_response, "force_close", None)
                if callable(force_close):
                    force_close()
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)
