"""Input and output schemas per operation, for both API versions."""

import uuid
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from app.users.fields import (
    Email,
    Name,
    OptionalBool,
    OptionalEmail,
    OptionalName,
    OptionalPassword,
    OptionalRole,
    OptionalStatus,
    Password,
    Timestamp,
)
from app.users.models import Role, Status, User

INPUT = ConfigDict(extra="forbid")
OUTPUT = ConfigDict(extra="forbid")


# ---- v1 ----
class UserV1Create(BaseModel):
    model_config = INPUT
    email: Email
    full_name: Name
    password: Password


class UserV1Update(BaseModel):
    model_config = INPUT
    email: OptionalEmail = None
    full_name: OptionalName = None
    password: OptionalPassword = None
    is_active: OptionalBool = None


class UserV1(BaseModel):
    model_config = OUTPUT
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
            created_at=user.created_at,
        )


class UserV1Page(BaseModel):
    model_config = OUTPUT
    items: list[UserV1]
    total: int = Field(ge=0)
    offset: int = Field(ge=0)
    limit: int = Field(ge=1, le=100)


# ---- v2 ----
class UserV2Create(BaseModel):
    model_config = INPUT
    email: Email
    name: Name
    password: Password


class UserV2Update(BaseModel):
    model_config = INPUT
    email: OptionalEmail = None
    name: OptionalName = None
    password: OptionalPassword = None
    status: OptionalStatus = None
    role: OptionalRole = None


class UserV2(BaseModel):
    model_config = OUTPUT
    id: uuid.UUID
    email: str
    name: str
    role: Role
    status: Status
    created_at: Timestamp
    updated_at: Timestamp

    @classmethod
    def from_user(cls, user: User) -> Self:
        return cls(
            id=user.public_id,
            email=user.email,
            name=user.full_name,
            role=Role(user.role),
            status=Status(user.status),
            created_at=user.created_at,
            updated_at=user.updated_at,
        )


class UserV2Page(BaseModel):
    model_config = OUTPUT
    data: list[UserV2]
    next_cursor: str | None
