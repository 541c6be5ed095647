"""DRF fields that apply the contract's validation rules in its order and with its error codes.

DRF's own fields coerce (numbers to strings, "1" to True) and trim before checking lengths; the
contract forbids both, so these fields check the raw JSON value and raise the contract's codes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.validators import MaxLengthValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

EMAIL_PATTERN = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
INTEGER_PATTERN = re.compile(r"-?[0-9]+")
EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 100
PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH = 8, 128

# The schemas below document what `clean()` checks (the contract's Email, Name and Password).
EMAIL_SCHEMA = {
    "type": "string",
    "maxLength": EMAIL_MAX_LENGTH,
    "pattern": rf"^\s*{EMAIL_PATTERN.pattern}\s*$",  # the syntax is checked on the trimmed value
    "description": "Trimmed and lower-cased before storage and comparison.",
}
NAME_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": NAME_MAX_LENGTH,
    # no control character (Cc) anywhere, and at least one character that is not whitespace
    "pattern": r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f]"
    r"[^\u0000-\u001f\u007f-\u009f]*$",
    "description": "Trimmed before storage.",
}
PASSWORD_SCHEMA = {
    "type": "string",
    "minLength": PASSWORD_MIN_LENGTH,
    "maxLength": PASSWORD_MAX_LENGTH,
}

MESSAGES: dict[str, Any] = {
    "required": "This field is required.",
    "null": "Must not be null.",
    "invalid": "Invalid value.",
    "too_short": "Too short.",
    "too_long": "Too long.",
    "out_of_range": "Out of range.",
}


@extend_schema_field(OpenApiTypes.STR)
class StrictStringField(serializers.Field):  # type: ignore[type-arg]
    """A JSON string, taken as sent."""

    default_error_messages = MESSAGES

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return self.clean(data)

    def clean(self, value: str) -> str:
        return value

    def to_representation(self, value: Any) -> str:
        return str(value)


@extend_schema_field(EMAIL_SCHEMA, component_name="Email")
class EmailField(StrictStringField):
    """Length as sent, then the WHATWG syntax on the trimmed value; stored lower-cased."""

    def clean(self, value: str) -> str:
        if len(value) > EMAIL_MAX_LENGTH:
            self.fail("too_long")
        trimmed = value.strip()
        if not EMAIL_PATTERN.fullmatch(trimmed):
            self.fail("invalid")
        return trimmed.lower()


@extend_schema_field(NAME_SCHEMA, component_name="Name")
class NameField(StrictStringField):
    def clean(self, value: str) -> str:
        if len(value) > NAME_MAX_LENGTH:
            self.fail("too_long")
        if any(unicodedata.category(char) == "Cc" for char in value):
            self.fail("invalid")
        trimmed = value.strip()
        if not trimmed:
            self.fail("too_short")
        return trimmed


@extend_schema_field(PASSWORD_SCHEMA)  # inline: a `$ref` beside `writeOnly` becomes an `allOf`
class PasswordField(StrictStringField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("write_only", True)
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        if len(value) < PASSWORD_MIN_LENGTH:
            self.fail("too_short")
        if len(value) > PASSWORD_MAX_LENGTH:
            self.fail("too_long")
        return value


class StrictChoiceField(serializers.ChoiceField):
    default_error_messages = MESSAGES

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or data not in self.choices:
            self.fail("invalid")
        return data


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = MESSAGES

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


@extend_schema_field(OpenApiTypes.INT64)
class Int64Field(serializers.IntegerField):
    """An integer the schema marks `format: int64` (DRF's own says nothing of its size)."""


@extend_schema_field(OpenApiTypes.INT)  # its bounds come from min_value/max_value, never a format
class QueryIntegerField(serializers.IntegerField):
    """A query-string integer: digits only, then the range."""

    default_error_messages = MESSAGES

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, str) or not INTEGER_PATTERN.fullmatch(data):
            self.fail("invalid")
        value = int(data)
        if (self.min_value is not None and value < self.min_value) or (
            self.max_value is not None and value > self.max_value
        ):
            self.fail("out_of_range")
        return value


class QueryStringField(StrictStringField):
    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        self.max_length = max_length
        # `clean()` answers `too_long` first, so the validator never fires: it puts the bound in
        # the OpenAPI schema (drf-spectacular reads `maxLength` from it).
        kwargs["validators"] = [*kwargs.get("validators", ()), MaxLengthValidator(max_length)]
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        if len(value) > self.max_length:
            self.fail("too_long")
        return value
