"""gunicorn's gthread worker, answering its header-limit refusals with the contract's 431.

gunicorn raises `LimitRequestHeaders` before any WSGI request exists: more fields than
`limit_request_fields`, one field over `limit_request_field_size`, or a header section past its
read buffer (both limits multiplied). It answers with an HTML page; this worker sends the
problem+json instead and leaves every other error to gunicorn.
"""

from __future__ import annotations

import uuid
from typing import Any

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders
from gunicorn.workers.gthread import ThreadWorker

from app.core.contract import (
    HEADER_FLOOD_STATUS_LINE,
    header_flood_body,
    header_flood_headers,
)


def problem_response(request_id: str) -> bytes:
    body = header_flood_body(request_id)
    headers = [("Connection", "close"), *header_flood_headers(request_id, body)]
    head = f"HTTP/1.1 {HEADER_FLOOD_STATUS_LINE}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers)
    return (head + "\r\n").encode("latin-1") + body


class ProblemThreadWorker(ThreadWorker):  # type: ignore[misc]
    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, LimitRequestHeaders):
            super().handle_error(req, client, addr, exc)
            return
        request_id = str(uuid.uuid4())
        self.log.warning(
            "Invalid request from ip=%s: %s (request_id=%s)", (addr or ("",))[0], exc, request_id
        )
        try:
            util.write_nonblock(client, problem_response(request_id))
        except OSError:
            self.log.debug("Failed to send the 431 answer.")
