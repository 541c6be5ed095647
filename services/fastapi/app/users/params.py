"""Query parameters, parsed by the contract's rules (duplicates, integer syntax, ranges)."""

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Query, Request
from pydantic import WithJsonSchema

from app.core.errors import ErrorCode, FieldError, ValidationFailed
from app.users.fields import EMAIL_MAX
from app.users.models import Status

INTEGER_RE = re.compile(r"-?[0-9]+")
CURSOR_MAX = 200
MAX_OFFSET = 2**63 - 1
DEFAULT_OFFSET = 0
DEFAULT_LIMIT = 20


class QueryReader:
    """Reads single-valued query parameters and collects every error before raising."""

    def __init__(self, request: Request) -> None:
        self.params = request.query_params
        self.errors: list[FieldError] = []

    def error(self, name: str, code: ErrorCode, message: str) -> None:
        self.errors.append(FieldError("query", name, code, message))

    def text(self, name: str) -> str | None:
        values = self.params.getlist(name)
        if len(values) > 1:
            self.error(name, "invalid", "given more than once")
            return None
        return values[0] if values else None

    def integer(self, name: str, *, default: int, low: int, high: int) -> int:
        raw = self.text(name)
        if raw is None:
            return default
        if not INTEGER_RE.fullmatch(raw):
            self.error(name, "invalid", "not an integer")
            return default
        digits = raw.lstrip("-").lstrip("0")
        # Bound the digits before int(): a huge literal is simply out of range.
        value = int(raw) if len(digits) <= 20 else high + 1
        if not low <= value <= high:
            self.error(name, "out_of_range", f"must be between {low} and {high}")
            return default
        return value

    def raise_errors(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


@dataclass(frozen=True)
class OffsetPage:
    offset: int
    limit: int


async def offset_page(
    request: Request,
    offset: Annotated[
        str | int,
        Query(),
        WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}),
    ] = DEFAULT_OFFSET,
    limit: Annotated[
        str | int,
        Query(),
        WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 100}),
    ] = DEFAULT_LIMIT,
) -> OffsetPage:
    # The declared parameters document the operation; values are read raw so that repeated
    # keys and non-canonical integers get the contract's codes. The Python defaults are what
    # the document shows as `default` (a JSON-schema `default` would be overwritten by them);
    # the raw reader applies the same constants.
    reader = QueryReader(request)
    page = OffsetPage(
        offset=reader.integer("offset", default=DEFAULT_OFFSET, low=0, high=MAX_OFFSET),
        limit=reader.integer("limit", default=DEFAULT_LIMIT, low=1, high=100),
    )
    reader.raise_errors()
    return page


@dataclass(frozen=True)
class KeysetQuery:
    limit: int
    cursor: str | None
    status: Status | None
    email: str | None


async def keyset_query(
    request: Request,
    limit: Annotated[
        str | int,
        Query(),
        WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 100}),
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(description="Opaque; take it from `next_cursor`. One that does not decode is 400."),
        WithJsonSchema(
            {
                "type": "string",
                "minLength": 1,
                "maxLength": CURSOR_MAX,
                "pattern": "^[A-Za-z0-9_-]+$",
            }
        ),
    ] = None,
    status: Annotated[
        str | None, Query(), WithJsonSchema({"type": "string", "enum": [s.value for s in Status]})
    ] = None,
    email: Annotated[
        str | None,
        Query(description="Exact match on the normalised (trimmed, lower-cased) email."),
        WithJsonSchema({"type": "string", "maxLength": EMAIL_MAX}),
    ] = None,
) -> KeysetQuery:
    reader = QueryReader(request)
    limit_value = reader.integer("limit", default=DEFAULT_LIMIT, low=1, high=100)
    raw_cursor = reader.text("cursor")
    if raw_cursor is not None and len(raw_cursor) > CURSOR_MAX:
        reader.error("cursor", "too_long", f"at most {CURSOR_MAX} characters")
        raw_cursor = None
    raw_status = reader.text("status")
    status_value = None
    if raw_status is not None:
        if raw_status in {s.value for s in Status}:
            status_value = Status(raw_status)
        else:
            reader.error("status", "invalid", "must be active or disabled")
    raw_email = reader.text("email")
    if raw_email is not None and len(raw_email) > EMAIL_MAX:
        reader.error("email", "too_long", f"at most {EMAIL_MAX} characters")
        raw_email = None
    reader.raise_errors()
    return KeysetQuery(
        limit=limit_value,
        cursor=raw_cursor,
        status=status_value,
        email=raw_email.strip().lower() if raw_email is not None else None,
    )
