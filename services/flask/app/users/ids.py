"""Ids, cursors and ETag matching: the contract's spellings of a user's identity."""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from datetime import UTC, datetime

from app.core.contract import TIMESTAMP_FORMAT, format_timestamp
from app.core.errors import InvalidCursor, NotFound
from app.core.validation import MAX_INT64

V1_ID_RE = re.compile(r"^[1-9][0-9]{0,18}\Z")
V2_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_CURSOR_RE = re.compile(r"^[A-Za-z0-9_-]+\Z")


def parse_v1_id(raw: str) -> int:
    if not V1_ID_RE.match(raw) or int(raw) > MAX_INT64:
        raise NotFound()
    return int(raw)


def parse_v2_id(raw: str) -> uuid.UUID:
    if not V2_ID_RE.match(raw):
        raise NotFound()
    return uuid.UUID(raw)


def cursor_encode(created_at: datetime, public_id: uuid.UUID) -> str:
    raw = f"{format_timestamp(created_at)}|{public_id}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def cursor_decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        if not _CURSOR_RE.match(cursor):
            raise ValueError("alphabet")
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.b64decode(padded, altchars=b"-_", validate=True).decode("ascii")
        stamp, public_id = text.split("|")
        if not V2_ID_RE.match(public_id):
            raise ValueError("uuid")
        created_at = datetime.strptime(stamp, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
        if format_timestamp(created_at) != stamp:
            raise ValueError("timestamp")
        return created_at, uuid.UUID(public_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor() from None


def etag_matches(if_match: str, etag: str) -> bool:
    for candidate in (part.strip() for part in if_match.split(",")):
        if candidate == "*" or candidate == etag:
            return True
    return False
