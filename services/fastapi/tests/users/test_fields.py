import pytest
from pydantic import ValidationError

from app.users.schemas import UserV1Update, UserV2Create


def codes(exc: ValidationError) -> dict[str, str]:
    return {".".join(map(str, e["loc"])): e["type"] for e in exc.errors()}


def test_email_is_trimmed_and_lower_cased() -> None:
    user = UserV2Create.model_validate(
        {"email": "  Ada@Example.COM ", "name": " Ada ", "password": "x" * 8}
    )
    assert (user.email, user.name) == ("ada@example.com", "Ada")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("email", "a" * 250 + "@b.co", "too_long"),
        ("email", "not-an-email", "invalid"),
        ("email", "ünï@example.com", "invalid"),
        ("email", 42, "string_type"),
        ("name", "", "too_short"),
        ("name", "\u2003", "too_short"),
        ("name", "a\nb", "invalid"),
        ("name", "\x01" * 101, "too_long"),
        ("password", "short", "too_short"),
        ("password", "x" * 129, "too_long"),
    ],
)
def test_field_rules_raise_contract_codes(field: str, value: object, code: str) -> None:
    body = {"email": "a@example.com", "name": "Ada", "password": "x" * 8, field: value}
    with pytest.raises(ValidationError) as caught:
        UserV2Create.model_validate(body)
    assert codes(caught.value) == {field: code}


def test_patch_fields_may_be_absent_but_never_null() -> None:
    assert UserV1Update.model_validate({}).model_fields_set == set()
    with pytest.raises(ValidationError) as caught:
        UserV1Update.model_validate({"email": None, "is_active": 1})
    assert codes(caught.value) == {"email": "invalid", "is_active": "bool_type"}
