"""Rules that need no server: validation codes, cursors, ETags, settings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from app.core.errors import InvalidCursor, ValidationFailed
from app.core.settings import Settings
from app.core.validation import field_errors
from app.users.models import User
from app.users.schemas import UserV1Create, UserV2Update
from app.users.service import decode_cursor, encode_cursor, etag_matches
from pydantic import ValidationError


def codes(
    model: type[UserV1Create] | type[UserV2Update], data: dict[str, object]
) -> set[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return {(e.field, e.code) for e in field_errors(info.value, "body")}


def test_create_rules_map_to_contract_codes() -> None:
    found = codes(
        UserV1Create,
        {"email": "x" * 255, "full_name": "a\x00b", "password": "short", "is_admin": True},
    )
    assert found == {
        ("email", "too_long"),
        ("full_name", "invalid"),
        ("password", "too_short"),
        ("is_admin", "unknown_field"),
    }


def test_missing_null_and_wrong_types() -> None:
    assert codes(UserV1Create, {"email": None, "full_name": 1}) == {
        ("email", "invalid"),
        ("full_name", "invalid"),
        ("password", "required"),
    }


def test_blank_name_is_too_short_and_email_is_normalised() -> None:
    assert codes(UserV2Update, {"name": " \u2003 "}) == {("name", "too_short")}
    assert UserV2Update.model_validate({"email": "  Ada@Example.COM "}).email == "ada@example.com"


def test_update_fields_left_out_are_not_dumped() -> None:
    assert UserV2Update.model_validate({"status": "disabled"}).model_dump(mode="json") == {
        "status": "disabled"
    }


def test_errors_are_one_per_field_and_sorted() -> None:
    from app.core.errors import FieldError

    exc = ValidationFailed(
        [
            FieldError("query", "limit", "invalid", "x"),
            FieldError("body", "password", "invalid", "twice"),
            FieldError("body", "password", "required", "missing"),
        ]
    )
    assert [(e.location, e.field, e.code) for e in exc.errors] == [
        ("body", "password", "invalid"),
        ("query", "limit", "invalid"),
    ]
    assert str(exc) == "2 fields are invalid"


def test_cursor_round_trip_and_garbage() -> None:
    user = User(public_id=uuid.uuid4(), created_at=datetime(2026, 11, 25, 13, 0, 0, 5, tzinfo=UTC))
    assert decode_cursor(encode_cursor(user)) == (user.created_at, user.public_id)
    for garbage in ("", "!!!", "bm90LWEtY3Vyc29y", encode_cursor(user) + "x"):
        with pytest.raises(InvalidCursor):
            decode_cursor(garbage)


def test_etag_matching() -> None:
    current = '"abc.2"'
    assert etag_matches("*", current)
    assert etag_matches('"abc.1", "abc.2"', current)
    assert not etag_matches('W/"abc.2"', current)
    assert not etag_matches('"abc.1"', current)


def test_production_without_secret_key_names_it() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", secret_key="", _env_file=None)
