"""gunicorn's gthread worker, answering its refusals of a header section with the contract's
problem+json: 431 for a flood (§3), 400 for a repeated singleton field (§9).

gunicorn raises `LimitRequestHeaders` before any WSGI request exists: more fields than
`limit_request_fields`, one field over `limit_request_field_size`, or a header section past its
read buffer (both limits multiplied). It raises `InvalidHeader` naming `CONTENT-TYPE` or `HOST`
when one of them is repeated (RFC 9110 §5.3). It answers both with an HTML page; this worker sends
the problem+json instead and leaves every other error to gunicorn.
"""

from __future__ import annotations

import uuid
from typing import Any

from gunicorn import util
from gunicorn.http.errors import InvalidHeader, LimitRequestHeaders
from gunicorn.workers.gthread import ThreadWorker

from app.core.contract import (
    AMBIGUOUS_HEADERS_STATUS_LINE,
    HEADER_FLOOD_STATUS_LINE,
    ambiguous_headers_body,
    header_flood_body,
    header_flood_headers,
)

SINGLETON_FIELDS = {"CONTENT-TYPE", "HOST"}


def problem_response(request_id: str, exc: BaseException) -> bytes | None:
    """The contract's answer to a refused header section; None for any other error."""
    if isinstance(exc, LimitRequestHeaders):
        status_line, body = HEADER_FLOOD_STATUS_LINE, header_flood_body(request_id)
    elif isinstance(exc, InvalidHeader) and str(exc.hdr).upper() in SINGLETON_FIELDS:
        status_line, body = AMBIGUOUS_HEADERS_STATUS_LINE, ambiguous_headers_body(request_id)
    else:
        return None
    headers = [("Connection", "close"), *header_flood_headers(request_id, body)]
    head = f"HTTP/1.1 {status_line}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers)
    return (head + "\r\n").encode("latin-1") + body


class ProblemThreadWorker(ThreadWorker):  # type: ignore[misc]
    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        request_id = str(uuid.uuid4())
        answer = problem_response(request_id, exc)
        if answer is None:
            super().handle_error(req, client, addr, exc)
            return
        self.log.warning(
            "Invalid request from ip=%s: %s (request_id=%s)", (addr or ("",))[0], exc, request_id
        )
        try:
            util.write_nonblock(client, answer)
        except OSError:
            self.log.debug("Failed to send the answer to an invalid request.")
