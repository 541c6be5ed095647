"""The users' field types: each rule of the contract in its order, failing with its code
(`PlainValidator`), and the contract's JSON Schema for it (`WithJsonSchema`)."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

from app.core.validation import defer_error, fail
from app.users.models import Role, Status

EMAIL_PATTERN = (
    r"^\s*[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\s*$"
)
_EMAIL_RE = re.compile(EMAIL_PATTERN.replace(r"^\s*", "^").replace(r"\s*$", r"\Z"), re.ASCII)
NAME_PATTERN = (
    "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f]"
    "[^\\u0000-\\u001f\\u007f-\\u009f]*$"
)


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise fail("invalid", "must be a string")
    return value


def _email(value: object) -> str:
    text = _string(value)
    if len(text) > 254:
        raise fail("too_long", "at most 254 characters")
    trimmed = text.strip()
    if not _EMAIL_RE.match(trimmed):
        raise fail("invalid", "not a valid email address")
    return trimmed.lower()


def _name(value: object) -> str:
    text = _string(value)
    if len(text) > 100:
        raise fail("too_long", "at most 100 characters")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise fail("invalid", "control characters are not allowed")
    trimmed = text.strip()
    if not trimmed:
        raise fail("too_short", "must not be empty")
    return trimmed


def _password(value: object) -> str:
    text = _string(value)
    if len(text) < 8:
        raise fail("too_short", "at least 8 characters")
    if len(text) > 128:
        raise fail("too_long", "at most 128 characters")
    return text


def check_boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise fail("invalid", "must be a boolean")
    return value


def _role(value: object) -> Role:
    if not isinstance(value, str) or value not in set(Role):
        raise fail("invalid", "must be one of user, admin")
    return Role(value)


def _status(value: object) -> Status:
    if not isinstance(value, str) or value not in set(Status):
        raise fail("invalid", "must be one of active, disabled")
    return Status(value)


EMAIL_SCHEMA: dict[str, Any] = {"type": "string", "maxLength": 254, "pattern": EMAIL_PATTERN}
NAME_SCHEMA: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "maxLength": 100,
    "pattern": NAME_PATTERN,
}
PASSWORD_SCHEMA: dict[str, Any] = {
    "type": "string",
    "minLength": 8,
    "maxLength": 128,
    "writeOnly": True,
}
STATUS_SCHEMA: dict[str, Any] = {"type": "string", "enum": ["active", "disabled"]}
ROLE_SCHEMA: dict[str, Any] = {"type": "string", "enum": ["user", "admin"]}

# `X | None` variants keep the validator outermost: `null` is rejected as `invalid`, and the
# schema stays the contract's (no anyOf with null).
Email = Annotated[str, PlainValidator(_email), WithJsonSchema(EMAIL_SCHEMA)]
EmailOrAbsent = Annotated[str | None, PlainValidator(_email), WithJsonSchema(EMAIL_SCHEMA)]
Name = Annotated[str, PlainValidator(_name), WithJsonSchema(NAME_SCHEMA)]
NameOrAbsent = Annotated[str | None, PlainValidator(_name), WithJsonSchema(NAME_SCHEMA)]
Password = Annotated[str, PlainValidator(_password), WithJsonSchema(PASSWORD_SCHEMA)]
PasswordOrAbsent = Annotated[str | None, PlainValidator(_password), WithJsonSchema(PASSWORD_SCHEMA)]
StatusOrAbsent = Annotated[Status | None, PlainValidator(_status), WithJsonSchema(STATUS_SCHEMA)]
RoleOrAbsent = Annotated[Role | None, PlainValidator(_role), WithJsonSchema(ROLE_SCHEMA)]
StatusField = Annotated[Status, PlainValidator(_status), WithJsonSchema(STATUS_SCHEMA)]
RoleField = Annotated[Role, PlainValidator(_role), WithJsonSchema(ROLE_SCHEMA)]


TIMESTAMP_SCHEMA: dict[str, Any] = {
    "description": "UTC, RFC 3339 with microseconds and `Z`.",
    "type": "string",
    "format": "date-time",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$",
}
Timestamp = Annotated[str, WithJsonSchema(TIMESTAMP_SCHEMA)]
UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def cursor_text(value: object) -> str:
    if not isinstance(value, str):
        raise fail("invalid", "must be a string")
    if len(value) > 200:
        raise fail("too_long", "at most 200 characters")
    return value


def email_filter(value: object) -> str:
    if not isinstance(value, str):
        raise fail("invalid", "must be a string")
    if len(value) > 254:
        raise fail("too_long", "at most 254 characters")
    return value.strip().lower()


def if_match_value(value: object) -> str | None:
    # Only a value over 256 characters is a 422 (contract §3); an empty one matches no ETag (412).
    if not isinstance(value, str):
        return None
    if len(value) > 256:
        defer_error("header", "If-Match", "too_long", "at most 256 characters")
        return None
    return value
