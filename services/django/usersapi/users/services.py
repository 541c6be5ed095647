"""Business rules for users: one service layer under both API versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from usersapi.auth.security import password_hash
from usersapi.core.context import request_id_var
from usersapi.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from usersapi.outbox.services import outbox_enqueue
from usersapi.users.ids import etag_matches
from usersapi.users.models import User

WELCOME_EMAIL = "welcome_email"
ADMIN_ONLY_FIELDS = frozenset({"status", "role"})


@dataclass(frozen=True)
class UserChanges:
    """A partial update in storage terms (v1 `is_active` arrives here as `status`)."""

    fields: dict[str, Any]

    @property
    def admin_only(self) -> bool:
        return bool(ADMIN_ONLY_FIELDS & self.fields.keys())


def user_create(
    *, email: str, full_name: str, password: str, role: str = User.Role.USER, welcome: bool = True
) -> User:
    hashed = password_hash(password)  # slow on purpose: before the transaction, not inside it
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User.objects.create(
                email=email,
                full_name=full_name,
                password_hash=hashed,
                role=role,
                created_at=now,
                updated_at=now,
            )
            if welcome:
                outbox_enqueue(
                    kind=WELCOME_EMAIL,
                    payload={"user_id": user.pk, "email": user.email, "name": user.full_name},
                    request_id=request_id_var.get(),
                )
    except IntegrityError as exc:
        raise Conflict() from exc
    return user


def user_update(
    *,
    actor: User,
    user: User,
    changes: UserChanges,
    if_match: str | None = None,
    require_if_match: bool = False,
) -> User:
    """Checks in the contract's order: admin-only fields (403), If-Match (428/412), email (409)."""
    if changes.admin_only and not actor.is_admin:
        raise Forbidden()
    if require_if_match:
        if if_match is None:
            raise PreconditionRequired()
        if not etag_matches(if_match, user.etag):
            raise PreconditionFailed()
    if not changes.fields:
        return user
    fields = dict(changes.fields)
    if "password" in fields:
        fields["password_hash"] = password_hash(fields.pop("password"))
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            if (
                require_if_match
                and if_match is not None
                and not etag_matches(if_match, locked.etag)
            ):
                raise PreconditionFailed()  # someone else updated it since we read it
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.version += 1
            locked.updated_at = timezone.now()
            locked.save()
    except IntegrityError as exc:
        raise Conflict() from exc
    except User.DoesNotExist as exc:
        raise NotFound() from exc
    return locked


def user_delete(*, user: User) -> None:
    User.objects.filter(pk=user.pk).delete()


def admin_ensure(*, email: str, password: str, reset: bool) -> User:
    """Bootstrap (reset=False: create if missing) or recover (reset=True: force an active admin)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        try:
            return user_create(
                email=email,
                full_name="Administrator",
                password=password,
                role=User.Role.ADMIN,
                welcome=False,
            )
        except Conflict:
            user = User.objects.get(email=email)  # another process won the race
    if reset:
        hashed = password_hash(password)
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)
            user.role, user.status, user.password_hash = User.Role.ADMIN, User.Status.ACTIVE, hashed
            user.version += 1
            user.updated_at = timezone.now()
            user.save()
    return user
