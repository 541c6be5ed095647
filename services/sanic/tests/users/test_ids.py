"""Ids, cursors and ETag matching (contract §4)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from app.core.errors import InvalidCursor, NotFound
from app.users.ids import cursor_decode, cursor_encode, etag_matches, parse_v1_id, parse_v2_id


def test_cursor_round_trip_and_garbage() -> None:
    created_at, public_id = datetime(2026, 11, 25, 13, 0, 0, 5, tzinfo=UTC), uuid.uuid4()
    cursor = cursor_encode(created_at, public_id)
    assert cursor_decode(cursor) == (created_at, public_id)
    for garbage in ("", "!!!", "bm90LWEtY3Vyc29y", cursor + "x"):
        with pytest.raises(InvalidCursor):
            cursor_decode(garbage)


def test_etag_matching() -> None:
    current = '"abc.2"'
    assert etag_matches("*", current)
    assert etag_matches('"abc.1", "abc.2"', current)
    assert not etag_matches('W/"abc.2"', current)
    assert not etag_matches('"abc.1"', current)
    assert not etag_matches("", current)


@pytest.mark.parametrize("raw", ["0", "01", "-1", "1.0", str(2**63), "me", "\u0661"])
def test_a_v1_id_in_any_other_spelling_is_not_found(raw: str) -> None:
    with pytest.raises(NotFound):
        parse_v1_id(raw)


def test_ids_parse() -> None:
    assert parse_v1_id(str(2**63 - 1)) == 2**63 - 1
    public_id = uuid.uuid4()
    assert parse_v2_id(str(public_id)) == public_id
    with pytest.raises(NotFound):
        parse_v2_id(str(public_id).upper())
