"""A bare WSGI app (no framework): the benchmarked endpoints on a psycopg pool + orjson."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import common
import orjson
import psycopg
from psycopg_pool import ConnectionPool

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
USER_PATH = re.compile(
    r"^/api/v2/users/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
HEALTH = orjson.dumps({"status": "ok"})
REASONS = {
    200: "OK",
    201: "Created",
    401: "Unauthorized",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable Content",
}

pool = ConnectionPool(common.DATABASE_URL, min_size=2, max_size=8, open=True)


def respond(
    start: StartResponse,
    status: int,
    body: bytes,
    rid: str,
    media: str = "application/json",
    extra: list[tuple[str, str]] | None = None,
) -> Iterable[bytes]:
    headers = [
        ("Content-Type", media),
        ("Content-Length", str(len(body))),
        ("X-Request-ID", rid),
        ("X-Content-Type-Options", "nosniff"),
        *(extra or []),
    ]
    start(f"{status} {REASONS[status]}", headers)
    return [body]


def fail(start: StartResponse, status: int, title: str, path: str, rid: str) -> Iterable[bytes]:
    extra = [("WWW-Authenticate", "Bearer")] if status == 401 else None
    return respond(
        start,
        status,
        common.problem(status, title, path, rid),
        rid,
        "application/problem+json",
        extra,
    )


def authorize(conn: psycopg.Connection[Any], environ: dict[str, Any], admin: bool) -> bool:
    sub = common.token_subject(environ.get("HTTP_AUTHORIZATION"))
    if sub is None:
        return False
    row = conn.execute(common.AUTH_SQL, (sub,)).fetchone()
    return bool(row and row[1] == "active" and (row[0] == "admin" or not admin))


def app(environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    rid = str(uuid.uuid4())
    if path == "/health" and method == "GET":
        return respond(start, 200, HEALTH, rid)
    if path == "/api/v2/users" and method == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        fields = common.parse_create(environ["wsgi.input"].read(length))
        if fields is None:
            return fail(start, 422, "Validation failed", path, rid)
        values = common.new_user_values(*fields)
        try:
            with pool.connection() as conn:
                row = conn.execute(common.INSERT_SQL, values).fetchone()
        except psycopg.errors.UniqueViolation:
            return fail(start, 409, "Conflict", path, rid)
        assert row is not None
        extra = [("Location", f"/api/v2/users/{row[0]}"), ("ETag", common.etag(row).decode())]
        return respond(start, 201, orjson.dumps(common.user_v2(row)), rid, extra=extra)
    match = USER_PATH.match(path)
    if method == "GET" and (match or path == "/api/v2/users"):
        with pool.connection() as conn:
            if not authorize(conn, environ, admin=match is None):
                return fail(start, 401, "Unauthorized", path, rid)
            if match is None:
                rows = conn.execute(common.LIST_SQL, (20,)).fetchall()
                return respond(start, 200, common.page(rows, 20), rid)
            row = conn.execute(common.GET_SQL, (uuid.UUID(match.group(1)),)).fetchone()
        if row is None:
            return fail(start, 404, "Not found", path, rid)
        return respond(
            start,
            200,
            orjson.dumps(common.user_v2(row)),
            rid,
            extra=[("ETag", common.etag(row).decode())],
        )
    return fail(start, 404, "Not found", path, rid)
