"""Path ids arrive as strings and are parsed per contract §4; anything malformed is a 404."""

from __future__ import annotations

import re
import uuid

_V1_ID = re.compile(r"[1-9][0-9]{0,18}")
_V2_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
INT64_MAX = 2**63 - 1


def parse_v1_id(raw: str) -> int | None:
    if not _V1_ID.fullmatch(raw):
        return None
    value = int(raw)
    return value if value <= INT64_MAX else None


def parse_v2_id(raw: str) -> uuid.UUID | None:
    return uuid.UUID(raw) if _V2_ID.fullmatch(raw) else None
