"""Ids and cursors (users/ids.py)."""

from __future__ import annotations

import pytest
from app.core.errors import MalformedRequest, NotFound
from app.users import ids


@pytest.mark.parametrize("raw", ["0", "01", "-1", "1.0", "abc", str(2**63), "1\n"])
def test_parse_v1_id_refuses_anything_but_a_positive_int64(raw: str) -> None:
    with pytest.raises(NotFound):
        ids.parse_v1_id(raw)


def test_parse_ids_accept_the_canonical_forms() -> None:
    assert ids.parse_v1_id(str(2**63 - 1)) == 2**63 - 1
    raw = "0b7e5c8e-3f5e-4c1e-9a7e-1d2c3b4a5f60"
    assert str(ids.parse_v2_id(raw)) == raw
    with pytest.raises(NotFound):
        ids.parse_v2_id(raw.upper())


@pytest.mark.parametrize("cursor", ["bm9wZQ", "not base64!", ""])
def test_a_forged_cursor_is_malformed(cursor: str) -> None:
    with pytest.raises(MalformedRequest):
        ids.cursor_decode(cursor)
