"""Input and output models per operation, v1 and v2. Their JSON Schema is the contract's."""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from app.core.contract import format_timestamp
from app.core.validation import (
    MAX_INT64,
    BodyModel,
    HeaderModel,
    QueryModel,
    clean_schema,
    query_integer,
)
from app.users.fields import (
    UUID_PATTERN,
    Email,
    EmailOrAbsent,
    Name,
    NameOrAbsent,
    Password,
    PasswordOrAbsent,
    RoleField,
    RoleOrAbsent,
    StatusField,
    StatusOrAbsent,
    Timestamp,
    check_boolean,
    cursor_text,
    email_filter,
    if_match_value,
)
from app.users.models import Role, Status, User


class OutputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=clean_schema)


# ---- v1 ----


class UserV1Create(BodyModel):
    email: Email
    full_name: Name
    password: Password


class UserV1Update(BodyModel):
    email: EmailOrAbsent = None
    full_name: NameOrAbsent = None
    password: PasswordOrAbsent = None
    is_active: Annotated[
        bool | None,
        PlainValidator(check_boolean),
        WithJsonSchema({"type": "boolean", "description": "Admin only (403 for others)."}),
    ] = None


class UserV1ListQuery(QueryModel):
    offset: Annotated[
        int,
        query_integer(minimum=0, maximum=MAX_INT64),
        WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_INT64}),
    ] = 0
    limit: Annotated[
        int,
        query_integer(minimum=1, maximum=100),
        WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 100}),
    ] = 20


class V1UserPath(BaseModel):
    id: Annotated[
        str,
        WithJsonSchema(
            {
                "type": "integer",
                "format": "int64",
                "minimum": 1,
                "maximum": MAX_INT64,
                "description": (
                    "Internal id. Anything but a canonical positive 64-bit integer is 404."
                ),
            }
        ),
    ]


class UserV1(OutputModel):
    id: Annotated[int, WithJsonSchema({"type": "integer", "format": "int64", "minimum": 1})]
    email: str
    full_name: str
    is_active: bool
    is_admin: bool
    created_at: Timestamp

    @classmethod
    def from_user(cls, user: User) -> Self:
        return cls(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            is_active=user.is_active,
            is_admin=user.is_admin,
            created_at=format_timestamp(user.created_at),
        )


class UserV1Page(OutputModel):
    items: list[UserV1]
    total: int = Field(ge=0)
    offset: int = Field(ge=0)
    limit: int = Field(ge=1, le=100)


# ---- v2 ----


class UserV2Create(BodyModel):
    email: Email
    name: Name
    password: Password


class UserV2Update(BodyModel):
    email: EmailOrAbsent = None
    name: NameOrAbsent = None
    password: PasswordOrAbsent = None
    status: StatusOrAbsent = None
    role: RoleOrAbsent = None


class UserV2ListQuery(QueryModel):
    limit: Annotated[
        int,
        query_integer(minimum=1, maximum=100),
        WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 100}),
    ] = 20
    cursor: Annotated[
        str | None,
        PlainValidator(cursor_text),
        WithJsonSchema(
            {
                "type": "string",
                "minLength": 1,
                "maxLength": 200,
                "pattern": "^[A-Za-z0-9_-]+$",
                "description": (
                    "Opaque; take it from `next_cursor`. One that does not decode is 400."
                ),
            }
        ),
    ] = None
    status: StatusOrAbsent = None
    email: Annotated[
        str | None,
        PlainValidator(email_filter),
        WithJsonSchema(
            {
                "type": "string",
                "maxLength": 254,
                "description": "Exact match on the normalised (trimmed, lower-cased) email.",
            }
        ),
    ] = None


def _if_match_required(schema: dict[str, Any]) -> None:
    # Documented as required; its absence is the contract's 428, not a 422.
    clean_schema(schema)
    schema["required"] = ["If-Match"]


class IfMatchHeader(HeaderModel):
    model_config = ConfigDict(extra="ignore", json_schema_extra=_if_match_required)

    if_match: Annotated[
        str | None,
        PlainValidator(if_match_value),
        WithJsonSchema(
            {
                "type": "string",
                "minLength": 1,
                "maxLength": 256,
                "description": "The ETag last read; `*` matches any current version.",
            }
        ),
    ] = Field(default=None, alias="If-Match")


class V2UserPath(BaseModel):
    id: Annotated[
        str,
        WithJsonSchema(
            {
                "type": "string",
                "format": "uuid",
                "pattern": UUID_PATTERN,
                "description": "Public UUID, lower-case canonical form. Anything else is 404.",
            }
        ),
    ]


class UserV2(OutputModel):
    id: Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"})]
    email: str
    name: str
    role: RoleField
    status: StatusField
    created_at: Timestamp
    updated_at: Timestamp

    @classmethod
    def from_user(cls, user: User) -> Self:
        return cls(
            id=str(user.public_id),
            email=user.email,
            name=user.full_name,
            role=Role(user.role),
            status=Status(user.status),
            created_at=format_timestamp(user.created_at),
            updated_at=format_timestamp(user.updated_at),
        )


class UserV2Page(OutputModel):
    data: list[UserV2]
    next_cursor: Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]
