"""The request id of the request (or job) being served, for log lines and problem bodies."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

from app.core.contract import REQUEST_ID_PATTERN

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


def request_id_from(header_value: str) -> str:
    """The client's `X-Request-ID` when the contract accepts it, else a new UUID."""
    return header_value if REQUEST_ID_PATTERN.match(header_value) else str(uuid.uuid4())
