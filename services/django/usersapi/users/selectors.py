"""Reads of users: every query the views need, and who may see whom."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import Q, QuerySet

from usersapi.core.errors import NotFound
from usersapi.users.models import User


def user_get_active(*, user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, status=User.Status.ACTIVE).first()


def user_get_visible(
    *, actor: User, user_id: int | None = None, public_id: uuid.UUID | None = None
) -> User:
    """The user `actor` may act on: itself, or anyone for an admin. Others are 404, not 403."""
    lookup = {"pk": user_id} if user_id is not None else {"public_id": public_id}
    if not actor.is_admin:
        is_self = actor.pk == user_id if user_id is not None else actor.public_id == public_id
        if not is_self:
            raise NotFound()
    user = User.objects.filter(**lookup).first()
    if user is None:
        raise NotFound()
    return user


def user_list_by_id(*, offset: int, limit: int) -> tuple[list[User], int]:
    users = User.objects.order_by("id")
    return list(users[offset : offset + limit]), users.count()


def user_list_by_creation(
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
    status: str | None,
    email: str | None,
) -> list[User]:
    users: QuerySet[User] = User.objects.order_by("created_at", "public_id")
    if status is not None:
        users = users.filter(status=status)
    if email is not None:
        users = users.filter(email=email)
    if after is not None:
        created_at, public_id = after
        users = users.filter(
            Q(created_at__gt=created_at) | Q(created_at=created_at, public_id__gt=public_id)
        )
    return list(users[:limit])
