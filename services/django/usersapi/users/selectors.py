"""Reads of users: every query the views need, and who may see whom."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from usersapi.core.errors import Forbidden, NotFound
from usersapi.users.ids import cursor_decode, cursor_encode
from usersapi.users.models import Status, User


def user_get_active(*, user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, status=Status.ACTIVE).first()


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


def user_list_by_id(*, actor: User, offset: int, limit: int) -> tuple[list[User], int]:
    """v1: a page in id order and the total (admin only)."""
    if not actor.is_admin:
        raise Forbidden()
    users = User.objects.order_by("id")
    return list(users[offset : offset + limit]), users.count()


def user_list_by_creation(
    *, actor: User, limit: int, cursor: str | None, status: str | None, email: str | None
) -> tuple[list[User], str | None]:
    """v2: a keyset page in creation order and the cursor of the next one (admin only).

    The cursor is decoded first: a bad cursor is a 400 even for a non-admin (contract §1)."""
    after = cursor_decode(cursor) if cursor is not None else None
    if not actor.is_admin:
        raise Forbidden()
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
    page = list(users[: limit + 1])
    last = page[limit - 1] if len(page) > limit else None
    return page[:limit], cursor_encode(last.created_at, last.public_id) if last else None
