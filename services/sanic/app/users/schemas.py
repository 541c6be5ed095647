"""Input and output schemas per operation (v1 and v2), plus the list queries."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import MISSING, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from app.core.contract import TIMESTAMP_PATTERN, format_timestamp
from app.core.validation import INTEGER, invalid
from app.users.fields import Email, Name, Password
from app.users.models import Role, Status, User

INT64_MAX = 2**63 - 1
# Output-only schema annotations (documented, not enforced: these models are never parsed).
TIMESTAMP_SCHEMA: dict[str, Any] = {"format": "date-time", "pattern": TIMESTAMP_PATTERN}


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserV1Create(Input):
    email: Email
    full_name: Name
    password: Password


class UserV1Update(Input):
    email: Email | MISSING = MISSING
    full_name: Name | MISSING = MISSING
    password: Password | MISSING = MISSING
    is_active: StrictBool | MISSING = Field(
        default=MISSING, description="Admin only (403 for others)."
    )


class UserV2Create(Input):
    email: Email
    name: Name
    password: Password


class UserV2Update(Input):
    email: Email | MISSING = MISSING
    name: Name | MISSING = MISSING
    password: Password | MISSING = MISSING
    status: Status | MISSING = MISSING
    role: Role | MISSING = MISSING


def _integer(value: Any) -> Any:
    if isinstance(value, str):
        if not INTEGER.fullmatch(value):
            raise invalid("invalid", "not an integer")
        return int(value)
    return value


QueryInt = Annotated[int, BeforeValidator(_integer)]


class UserV1ListQuery(BaseModel):
    offset: QueryInt = Field(default=0, ge=0, le=INT64_MAX)
    limit: QueryInt = Field(default=20, ge=1, le=100)


class UserV2ListQuery(BaseModel):
    limit: QueryInt = Field(default=20, ge=1, le=100)
    cursor: str | MISSING = Field(
        default=MISSING,
        max_length=200,
        description="Opaque; take it from `next_cursor`. One that does not decode is 400.",
        # Documented only: any other value must still reach the decoder and be a 400, not a 422.
        json_schema_extra={"minLength": 1, "pattern": "^[A-Za-z0-9_-]+$"},
    )
    status: Status | MISSING = MISSING
    email: str | MISSING = Field(
        default=MISSING,
        max_length=254,
        description="Exact match on the normalised (trimmed, lower-cased) email.",
    )


class UserV1(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "id": 17,
                "email": "ada@example.com",
                "full_name": "Ada Lovelace",
                "is_active": True,
                "is_admin": False,
                "created_at": "2026-11-25T13:18:29.123456Z",
            }
        },
    )

    id: int = Field(ge=1, json_schema_extra={"format": "int64"})
    email: str
    full_name: str
    is_active: bool
    is_admin: bool
    created_at: str = Field(json_schema_extra=TIMESTAMP_SCHEMA)

    @classmethod
    def from_user(cls, user: User) -> UserV1:
        return cls(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            is_active=user.is_active,
            is_admin=user.is_admin,
            created_at=format_timestamp(user.created_at),
        )


class UserV1Page(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[UserV1]
    total: int = Field(ge=0)
    offset: int = Field(ge=0)
    limit: int = Field(ge=1, le=100)


class UserV2(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(json_schema_extra={"format": "uuid"})
    email: str
    name: str
    role: Role
    status: Status
    created_at: str = Field(json_schema_extra=TIMESTAMP_SCHEMA)
    updated_at: str = Field(json_schema_extra=TIMESTAMP_SCHEMA)

    @classmethod
    def from_user(cls, user: User) -> UserV2:
        return cls(
            id=str(user.public_id),
            email=user.email,
            name=user.full_name,
            role=Role(user.role),
            status=Status(user.status),
            created_at=format_timestamp(user.created_at),
            updated_at=format_timestamp(user.updated_at),
        )


class UserV2Page(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: list[UserV2]
    next_cursor: str | None
