"""Ids, cursors and ETags as the contract spells them (§4).

A path id in any other spelling is simply not found; a cursor that does not decode is 400.
The ETag itself is the model property `User.etag`.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from datetime import UTC, datetime

from app.core.contract import TIMESTAMP_FORMAT, format_timestamp
from app.core.errors import InvalidCursor, NotFound

V1_ID_RE = re.compile(r"[1-9][0-9]{0,18}")
V2_ID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MAX_ID = 2**63 - 1
CURSOR_RE = re.compile(r"[A-Za-z0-9_-]+")


def parse_v1_id(raw: str) -> int:
    if not V1_ID_RE.fullmatch(raw) or int(raw) > MAX_ID:
        raise NotFound()
    return int(raw)


def parse_v2_id(raw: str) -> uuid.UUID:
    if not V2_ID_RE.fullmatch(raw):
        raise NotFound()
    return uuid.UUID(raw)


def cursor_encode(created_at: datetime, public_id: uuid.UUID) -> str:
    raw = f"{format_timestamp(created_at)}|{public_id}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def cursor_decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    if not CURSOR_RE.fullmatch(cursor):
        raise InvalidCursor()
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
        stamp, public_id = raw.split("|")
        created_at = datetime.strptime(stamp, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
        parsed = uuid.UUID(public_id)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidCursor() from exc
    if str(parsed) != public_id or format_timestamp(created_at) != stamp:
        raise InvalidCursor()
    return created_at, parsed


def etag_matches(if_match: str, etag: str) -> bool:
    """RFC 9110 strong comparison over a comma-separated list; `*` matches any version."""
    for candidate in (part.strip() for part in if_match.split(",")):
        if candidate == "*" or candidate == etag:
            return True
    return False
