import uuid
from datetime import UTC, datetime

import pytest

from app.core.errors import InvalidCursor, NotFound
from app.users.ids import cursor_decode, cursor_encode, etag_matches, parse_v1_id, parse_v2_id


def test_cursor_round_trips() -> None:
    created_at = datetime(2026, 11, 25, 13, 18, 29, 123456, tzinfo=UTC)
    public_id = uuid.uuid4()
    cursor = cursor_encode(created_at, public_id)
    assert "=" not in cursor
    assert cursor_decode(cursor) == (created_at, public_id)


@pytest.mark.parametrize("cursor", ["!!!", "abc", "YWJj", "", "MjAyNi0xMS0yNXxub3QtYS11dWlk"])
def test_undecodable_cursor_is_rejected(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        cursor_decode(cursor)


@pytest.mark.parametrize("raw", ["0", "01", "+1", "1.0", "9223372036854775808", ""])
def test_non_canonical_v1_id_is_not_found(raw: str) -> None:
    with pytest.raises(NotFound):
        parse_v1_id(raw)


def test_ids_parse() -> None:
    assert parse_v1_id("9223372036854775807") == 2**63 - 1
    public_id = uuid.uuid4()
    assert parse_v2_id(str(public_id)) == public_id
    with pytest.raises(NotFound):
        parse_v2_id(str(public_id).upper())


def test_etag_matches_strongly() -> None:
    assert etag_matches('"x", "a.1"', '"a.1"')
    assert etag_matches("*", '"a.1"')
    assert not etag_matches('W/"a.1"', '"a.1"')
