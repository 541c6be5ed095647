"""Path ids, ETags and v2 cursors as the contract spells them (§4)."""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from datetime import UTC, datetime

from usersapi.core.contract import TIMESTAMP_FORMAT, format_timestamp
from usersapi.core.errors import InvalidCursor, NotFound

V1_ID = re.compile(r"[1-9][0-9]{0,18}")
V2_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MAX_ID = 2**63 - 1
CURSOR = re.compile(r"[A-Za-z0-9_-]+")
TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


def parse_v1_id(raw: str) -> int:
    if not V1_ID.fullmatch(raw) or int(raw) > MAX_ID:
        raise NotFound()
    return int(raw)


def parse_v2_id(raw: str) -> uuid.UUID:
    if not V2_ID.fullmatch(raw):
        raise NotFound()
    return uuid.UUID(raw)


def etag_matches(if_match: str, etag: str) -> bool:
    """`*`, or any entry of a comma-separated list equal by strong comparison (W/ never matches)."""
    if if_match.strip() == "*":
        return True
    return any(entry.strip() == etag for entry in if_match.split(","))


def cursor_encode(created_at: datetime, public_id: uuid.UUID) -> str:
    raw = f"{format_timestamp(created_at)}|{public_id}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def cursor_decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        if not CURSOR.fullmatch(cursor):
            raise ValueError(cursor)
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        stamp, _, public_id = raw.partition("|")
        if not TIMESTAMP.fullmatch(stamp) or not V2_ID.fullmatch(public_id):
            raise ValueError(raw)
        created_at = datetime.strptime(stamp, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
        return created_at, uuid.UUID(public_id)
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise InvalidCursor() from exc
