"""Ids, cursors and ETags as the contract spells them.

A path id in any other spelling is simply not found; a cursor that does not decode is 400.
The ETag itself is the model property `User.etag`.
"""

import base64
import binascii
import re
import uuid
from datetime import UTC, datetime

from app.core.contract import TIMESTAMP_FORMAT, format_timestamp
from app.core.errors import InvalidCursor, NotFound
from app.users.fields import TIMESTAMP_PATTERN

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
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def cursor_decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        if not CURSOR_RE.fullmatch(cursor):
            raise ValueError(cursor)
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
        stamp, public_id = text.split("|")
        if not re.fullmatch(TIMESTAMP_PATTERN, stamp) or not V2_ID_RE.fullmatch(public_id):
            raise ValueError(text)
        when = datetime.strptime(stamp, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
        return when, uuid.UUID(public_id)
    except (ValueError, binascii.Error) as exc:
        raise InvalidCursor() from exc


def etag_matches(if_match: str, etag: str) -> bool:
    """RFC 9110 strong comparison over a comma-separated list; `*` matches any version."""
    for candidate in (part.strip() for part in if_match.split(",")):
        if candidate == "*" or (not candidate.startswith("W/") and candidate == etag):
            return True
    return False
