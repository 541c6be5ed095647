"""Path ids as the contract spells them; anything else is simply not found."""

import re
import uuid

V1_ID_RE = re.compile(r"[1-9][0-9]{0,18}")
V2_ID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MAX_ID = 2**63 - 1


def parse_internal_id(value: str) -> int | None:
    if not V1_ID_RE.fullmatch(value) or int(value) > MAX_ID:
        return None
    return int(value)


def parse_public_id(value: str) -> uuid.UUID | None:
    return uuid.UUID(value) if V2_ID_RE.fullmatch(value) else None
