"""Field types with the contract's rules (§3), in the order the contract checks them."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field, Strict

from app.core.validation import invalid

EMAIL_PATTERN = (
    r"^\s*[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\s*$"
)
NAME_PATTERN = (
    r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f]"
    r"[^\u0000-\u001f\u007f-\u009f]*$"
)
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*",
    re.ASCII,
)


def normalise_email(value: str) -> str:
    trimmed = value.strip()
    if not _EMAIL.fullmatch(trimmed):
        raise invalid("invalid", "not a valid email address")
    return trimmed.lower()


def normalise_name(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise invalid("invalid", "control characters are not allowed")
    trimmed = value.strip()
    if not trimmed:
        raise invalid("too_short", "must not be blank")
    return trimmed


Email = Annotated[
    str,
    Strict(),
    Field(
        max_length=254,
        json_schema_extra={"pattern": EMAIL_PATTERN, "examples": ["ada@example.com"]},
    ),
    AfterValidator(normalise_email),
]
Name = Annotated[
    str,
    Strict(),
    Field(min_length=1, max_length=100, json_schema_extra={"pattern": NAME_PATTERN}),
    AfterValidator(normalise_name),
]
Password = Annotated[
    str, Strict(), Field(min_length=8, max_length=128, json_schema_extra={"writeOnly": True})
]
