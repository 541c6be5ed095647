"""Field types shared by the v1 and v2 schemas, failing with the contract's error codes."""

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
    StrictBool,
    StrictStr,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from app.core.contract import format_timestamp
from app.users.models import Role, Status

EMAIL_MAX = 254
NAME_MAX = 100
PASSWORD_MIN, PASSWORD_MAX = 8, 128

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_CORE = rf"[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_LABEL}(?:\.{_LABEL})*"
EMAIL_RE = re.compile(EMAIL_CORE)
CONTROL_RE = re.compile("[\u0000-\u001f\u007f-\u009f]")
TIMESTAMP_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$"

EMAIL_SCHEMA = {"type": "string", "maxLength": EMAIL_MAX, "pattern": rf"^\s*{EMAIL_CORE}\s*$"}
NAME_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": NAME_MAX,
    "pattern": r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f]"
    r"[^\u0000-\u001f\u007f-\u009f]*$",
}
PASSWORD_SCHEMA = {
    "type": "string",
    "minLength": PASSWORD_MIN,
    "maxLength": PASSWORD_MAX,
    "writeOnly": True,
}
STATUS_SCHEMA = {"type": "string", "enum": [s.value for s in Status]}
ROLE_SCHEMA = {"type": "string", "enum": [r.value for r in Role]}
TIMESTAMP_SCHEMA = {"type": "string", "format": "date-time", "pattern": TIMESTAMP_PATTERN}


def _email(value: str) -> str:
    if len(value) > EMAIL_MAX:
        raise PydanticCustomError("too_long", "at most 254 characters")
    trimmed = value.strip()
    if not EMAIL_RE.fullmatch(trimmed):
        raise PydanticCustomError("invalid", "not a valid email address")
    return trimmed.lower()


def _name(value: str) -> str:
    if len(value) > NAME_MAX:
        raise PydanticCustomError("too_long", "at most 100 characters")
    if CONTROL_RE.search(value):
        raise PydanticCustomError("invalid", "control characters are not allowed")
    trimmed = value.strip()
    if not trimmed:
        raise PydanticCustomError("too_short", "must not be blank")
    return trimmed


def _password(value: str) -> str:
    if len(value) < PASSWORD_MIN:
        raise PydanticCustomError("too_short", "at least 8 characters")
    if len(value) > PASSWORD_MAX:
        raise PydanticCustomError("too_long", "at most 128 characters")
    return value


def _not_null(value: Any) -> Any:
    # Optional in a PATCH means "may be absent", never "may be null".
    if value is None:
        raise PydanticCustomError("invalid", "must not be null")
    return value


Email = Annotated[StrictStr, AfterValidator(_email), WithJsonSchema(EMAIL_SCHEMA)]
Name = Annotated[StrictStr, AfterValidator(_name), WithJsonSchema(NAME_SCHEMA)]
Password = Annotated[StrictStr, AfterValidator(_password), WithJsonSchema(PASSWORD_SCHEMA)]

OptionalEmail = Annotated[Email | None, BeforeValidator(_not_null), WithJsonSchema(EMAIL_SCHEMA)]
OptionalName = Annotated[Name | None, BeforeValidator(_not_null), WithJsonSchema(NAME_SCHEMA)]
OptionalPassword = Annotated[
    Password | None, BeforeValidator(_not_null), WithJsonSchema(PASSWORD_SCHEMA)
]
OptionalStatus = Annotated[Status | None, BeforeValidator(_not_null), WithJsonSchema(STATUS_SCHEMA)]
OptionalRole = Annotated[Role | None, BeforeValidator(_not_null), WithJsonSchema(ROLE_SCHEMA)]
OptionalBool = Annotated[
    StrictBool | None, BeforeValidator(_not_null), WithJsonSchema({"type": "boolean"})
]

Timestamp = Annotated[
    datetime, PlainSerializer(format_timestamp, return_type=str), WithJsonSchema(TIMESTAMP_SCHEMA)
]
