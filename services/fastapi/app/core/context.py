"""The request id: one per request or worker job, for logs, jobs and response headers."""

import uuid
from contextvars import ContextVar

from app.core.contract import REQUEST_ID_PATTERN

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_from(header_value: str) -> str:
    """A well-formed incoming X-Request-ID, else a new UUID4."""
    return header_value if REQUEST_ID_PATTERN.fullmatch(header_value) else str(uuid.uuid4())
