"""A bare ASGI app (no framework): the benchmarked endpoints on asyncpg + orjson, for uvicorn."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import common
import orjson

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

USER_PATH = re.compile(
    r"^/api/v2/users/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
AUTH_SQL = common.numbered(common.AUTH_SQL)
GET_SQL = common.numbered(common.GET_SQL)
LIST_SQL = common.numbered(common.LIST_SQL)
INSERT_SQL = common.numbered(common.INSERT_SQL)
HEALTH = orjson.dumps({"status": "ok"})

pool: asyncpg.Pool | None = None


async def respond(
    send: Send,
    status: int,
    body: bytes,
    request_id: str,
    media: bytes = common.JSON,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    headers = [
        (b"content-type", media),
        (b"x-request-id", request_id.encode()),
        (b"x-content-type-options", b"nosniff"),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def authorize(conn: asyncpg.Connection, headers: dict[bytes, bytes], admin: bool) -> bool:
    raw = headers.get(b"authorization")
    sub = common.token_subject(raw.decode("latin-1") if raw else None)
    if sub is None:
        return False
    row = await conn.fetchrow(AUTH_SQL, sub)
    return bool(row and row[1] == "active" and (row[0] == "admin" or not admin))


async def handle(scope: Scope, receive: Receive, send: Send) -> None:
    assert pool is not None
    path, method = scope["path"], scope["method"]
    rid = str(uuid.uuid4())
    headers = dict(scope["headers"])
    if path == "/health" and method == "GET":
        await respond(send, 200, HEALTH, rid)
        return
    if path == "/api/v2/users" and method == "POST":
        fields = common.parse_create(await read_body(receive))
        if fields is None:
            await respond(
                send, 422, common.problem(422, "Validation failed", path, rid), rid, common.PROBLEM
            )
            return
        values = await asyncio.to_thread(common.new_user_values, *fields)
        try:
            async with pool.acquire() as conn:
                row = await conn.fetchrow(INSERT_SQL, *values)
        except asyncpg.UniqueViolationError:
            await respond(
                send, 409, common.problem(409, "Conflict", path, rid), rid, common.PROBLEM
            )
            return
        location = f"/api/v2/users/{row[0]}".encode()
        await respond(
            send,
            201,
            orjson.dumps(common.user_v2(row)),
            rid,
            extra=[(b"location", location), (b"etag", common.etag(row))],
        )
        return
    match = USER_PATH.match(path)
    if method == "GET" and (match or path == "/api/v2/users"):
        async with pool.acquire() as conn:
            if not await authorize(conn, headers, admin=match is None):
                await respond(
                    send,
                    401,
                    common.problem(401, "Unauthorized", path, rid),
                    rid,
                    common.PROBLEM,
                    [(b"www-authenticate", b"Bearer")],
                )
                return
            if match is None:
                rows = await conn.fetch(LIST_SQL, 20)
                await respond(send, 200, common.page(list(rows), 20), rid)
                return
            row = await conn.fetchrow(GET_SQL, uuid.UUID(match.group(1)))
        if row is None:
            await respond(
                send, 404, common.problem(404, "Not found", path, rid), rid, common.PROBLEM
            )
            return
        await respond(
            send, 200, orjson.dumps(common.user_v2(row)), rid, extra=[(b"etag", common.etag(row))]
        )
        return
    await respond(send, 404, common.problem(404, "Not found", path, rid), rid, common.PROBLEM)


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    global pool
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                pool = await asyncpg.create_pool(common.DATABASE_URL, min_size=2, max_size=10)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if pool is not None:
                    await pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    elif scope["type"] == "http":
        await handle(scope, receive, send)
