"""The users' field types: the contract's rules in order, with its error codes."""

from __future__ import annotations

import pytest
from app.core.errors import ValidationFailed
from app.core.validation import validate
from app.users.models import Role, Status
from app.users.schemas import UserV2Update


def codes(data: dict[str, object]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as failed:
        validate(UserV2Update, data, "body")
    return [(e.field, e.code) for e in failed.value.errors]


def test_role_and_status_become_the_enums() -> None:
    update = validate(UserV2Update, {"role": "admin", "status": "disabled"}, "body")
    assert (update.role, update.status) == (Role.ADMIN, Status.DISABLED)


def test_each_field_fails_with_the_contracts_code() -> None:
    assert codes({"role": "root", "status": None, "name": " ", "password": "short"}) == [
        ("name", "too_short"),
        ("password", "too_short"),
        ("role", "invalid"),
        ("status", "invalid"),
    ]
    assert codes({"email": "x" * 255, "nick": "n"}) == [
        ("email", "too_long"),
        ("nick", "unknown_field"),
    ]
