"""Stored user -> v1 / v2 representation."""

from __future__ import annotations

from typing import Any

from app.core.contract import format_timestamp
from app.users.models import User
from app.users.schemas import UserV1, UserV2


def user_v1(user: User) -> dict[str, Any]:
    return UserV1(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        is_active=user.is_active,
        is_admin=user.is_admin,
        created_at=format_timestamp(user.created_at),
    ).model_dump()


def user_v2(user: User) -> dict[str, Any]:
    return UserV2(
        id=str(user.public_id),
        email=user.email,
        name=user.full_name,
        role=user.role,
        status=user.status,
        created_at=format_timestamp(user.created_at),
        updated_at=format_timestamp(user.updated_at),
    ).model_dump()
