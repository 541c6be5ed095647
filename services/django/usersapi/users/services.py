"""Business rules for users: one service layer under both API versions."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db import IntegrityError, transaction
from django.utils import timezone

from usersapi.auth.security import password_hash
from usersapi.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from usersapi.outbox.services import outbox_enqueue
from usersapi.users.ids import etag_matches
from usersapi.users.models import Role, Status, User

WELCOME_EMAIL = "welcome_email"


@dataclass(frozen=True, kw_only=True)
class NewUser:
    email: str
    full_name: str
    password: str
    role: Role = Role.USER


@dataclass(frozen=True, kw_only=True)
class UserChanges:
    """A partial update in version-neutral terms; None means "not sent"."""

    email: str | None = None
    full_name: str | None = None
    password: str | None = None
    status: Status | None = None
    role: Role | None = None

    ADMIN_ONLY = ("status", "role")

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def touches_admin_fields(self) -> bool:
        return any(getattr(self, name) is not None for name in self.ADMIN_ONLY)


@dataclass(frozen=True)
class UserCreated:
    user: User
    outbox_id: int | None


def user_create(*, data: NewUser, request_id: str, send_welcome: bool = True) -> UserCreated:
    """Create a user and, in the same transaction, its welcome-email outbox row."""
    encoded = password_hash(data.password)  # slow on purpose: before the transaction
    now = timezone.now()
    outbox_id = None
    try:
        with transaction.atomic():
            user = User.objects.create(
                email=data.email,
                full_name=data.full_name,
                password_hash=encoded,
                role=data.role,
                created_at=now,
                updated_at=now,
            )
            if send_welcome:
                outbox_id = outbox_enqueue(
                    kind=WELCOME_EMAIL,
                    payload={"user_id": user.pk, "email": user.email, "name": user.full_name},
                    request_id=request_id,
                ).pk
    except IntegrityError as exc:
        raise Conflict() from exc
    return UserCreated(user, outbox_id)


def user_update(
    *,
    actor: User,
    user: User,
    changes: UserChanges,
    if_match: str | None = None,
    require_if_match: bool = False,
) -> User:
    """Checks in the contract's order: admin-only fields (403), If-Match (428/412), email (409).

    The write recipe: check on the unlocked read, hash, then lock the row, check If-Match
    again, apply, bump the version."""
    if changes.touches_admin_fields() and not actor.is_admin:
        raise Forbidden()
    if require_if_match:
        if if_match is None:
            raise PreconditionRequired()
        if not etag_matches(if_match, user.etag):
            raise PreconditionFailed()
    if changes.is_empty():
        return user
    values = {f.name: getattr(changes, f.name) for f in fields(changes)}
    values = {name: value for name, value in values.items() if value is not None}
    if changes.password is not None:
        del values["password"]
        values["password_hash"] = password_hash(changes.password)  # before the lock
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            if (
                require_if_match
                and if_match is not None
                and not etag_matches(if_match, locked.etag)
            ):
                raise PreconditionFailed()  # someone else updated it since we read it
            for name, value in values.items():
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
        data = NewUser(email=email, full_name="Administrator", password=password, role=Role.ADMIN)
        try:
            return user_create(data=data, request_id="-", send_welcome=False).user
        except Conflict:
            user = User.objects.get(email=email)  # another process won the race
    if reset:
        hashed = password_hash(password)
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)
            user.role, user.status, user.password_hash = Role.ADMIN, Status.ACTIVE, hashed
            user.version += 1
            user.updated_at = timezone.now()
            user.save()
    return user
