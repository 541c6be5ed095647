"""The users' pydantic models: the contract's rules and error codes, no server."""

from __future__ import annotations

import pytest
from app.core.validation import field_errors
from app.users.schemas import UserV1Create, UserV2Update
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
