"""The request id of the work in progress (an HTTP request or a Celery job)."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

from usersapi.core.contract import REQUEST_ID_PATTERN

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


def request_id_from(header_value: str | None) -> str:
    """The client's X-Request-ID when it is well-formed, else a new UUID4."""
    if header_value and REQUEST_ID_PATTERN.fullmatch(header_value):
        return header_value
    return str(uuid.uuid4())
