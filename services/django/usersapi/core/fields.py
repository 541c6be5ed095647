"""DRF fields that apply the contract's validation rules in its order and with its error codes.

DRF's own fields coerce (numbers to strings, "1" to True) and trim before checking lengths; the
contract forbids both, so these fields check the raw JSON value and raise the contract's codes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

EMAIL_PATTERN = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
INTEGER_PATTERN = re.compile(r"-?[0-9]+")

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


@extend_schema_field(OpenApiTypes.EMAIL)
class EmailField(StrictStringField):
    """Length as sent, then the WHATWG syntax on the trimmed value; stored lower-cased."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        self.max_length = kwargs.pop("max_length")
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        if len(value) > self.max_length:
            self.fail("too_long")
        trimmed = value.strip()
        if not EMAIL_PATTERN.fullmatch(trimmed):
            self.fail("invalid")
        return trimmed.lower()


class NameField(StrictStringField):
    def clean(self, value: str) -> str:
        if len(value) > 100:
            self.fail("too_long")
        if any(unicodedata.category(char) == "Cc" for char in value):
            self.fail("invalid")
        trimmed = value.strip()
        if not trimmed:
            self.fail("too_short")
        return trimmed


class PasswordField(StrictStringField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("write_only", True)
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        if len(value) < 8:
            self.fail("too_short")
        if len(value) > 128:
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
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        if len(value) > self.max_length:
            self.fail("too_long")
        return value
