"""Pure ASGI middleware: the request line, request id + standard response headers, and the
request body limit."""

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.context import request_id_from, request_id_var
from app.core.contract import (
    MAX_BODY_BYTES,
    REQUEST_ID_HEADER,
    standard_headers,
)
from app.core.errors import PayloadTooLarge
from app.core.problems import problem_response
from app.core.routing import route_matches

access_log = logging.getLogger("access")


class AccessLogMiddleware:
    """One request line per answer (contract §8), from the outermost middleware.

    Skipped without any work when `access` is not enabled for INFO (LOG_LEVEL=WARNING).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not access_log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        answered = False

        async def send_and_log(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)
            # The answer has left once its last body chunk has; after-response work
            # (background tasks, the outbox publish) is not part of it.
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True
                self._log(scope, status, started)

        try:
            await self.app(scope, receive, send_and_log)
        except Exception:
            if not answered:
                # Starlette's ServerErrorMiddleware, outside every added middleware, answers 500.
                self._log(scope, 500, started)
            raise

    @staticmethod
    def _log(scope: Scope, status: int, started: float) -> None:
        method, path = scope["method"], scope["path"]
        access_log.info(
            "%s %s %d",
            method,
            path,
            status,
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            },
        )


class RequestContextMiddleware:
    """Adopts a well-formed incoming X-Request-ID (else a new UUID4) for logs, jobs and headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = MutableHeaders(scope=scope).get(REQUEST_ID_HEADER, "")
        request_id = request_id_from(incoming)
        # Not reset afterwards on purpose: Starlette's outermost error handler runs after this
        # middleware has unwound and still needs the id (each request has its own task context).
        request_id_var.set(request_id)
        extra = standard_headers(scope["path"], request_id)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """413 for bodies over the limit, counted before anything parses them (chunked too).

    Only requests that reach a route are checked, so an unknown path stays 404 and a wrong
    method stays 405 (the contract's order). Accepted bodies are buffered and replayed.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not route_matches(
            scope["app"], scope["path"], scope["method"]
        ):
            await self.app(scope, receive, send)
            return
        declared = MutableHeaders(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reject(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(Request(scope, receive), PayloadTooLarge())
        # The rest of the body is never read: uvicorn closes the connection after a response
        # carrying this, so a keep-alive client does not reuse it (contract §3).
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
