import uuid
from datetime import UTC, datetime

import pytest

from app.core.errors import InvalidCursor
from app.users.params import decode_cursor, encode_cursor


def test_cursor_round_trips() -> None:
    key = (datetime(2026, 11, 25, 13, 18, 29, 123456, tzinfo=UTC), uuid.uuid4())
    cursor = encode_cursor(key)
    assert "=" not in cursor
    assert decode_cursor(cursor) == key


@pytest.mark.parametrize("cursor", ["!!!", "abc", "YWJj", "", "MjAyNi0xMS0yNXxub3QtYS11dWlk"])
def test_undecodable_cursor_is_rejected(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor)
