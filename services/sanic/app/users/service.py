"""The one service layer both API versions call."""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.security import hash_password
from app.core.errors import (
    Conflict,
    Forbidden,
    InvalidCursor,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from app.core.types import format_timestamp, utcnow
from app.outbox.repository import WELCOME_EMAIL, OutboxRepository
from app.users.models import User
from app.users.repository import UserRepository

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
CURSOR_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class NewUser:
    email: str
    full_name: str
    password: str
    role: str = "user"


@dataclass(frozen=True)
class UserChanges:
    """None means "not given"; validation has already refused explicit nulls."""

    email: str | None = None
    full_name: str | None = None
    password: str | None = None
    status: str | None = None
    role: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


@dataclass(frozen=True)
class Created:
    user: User
    outbox_id: int


def etag_of(user: User) -> str:
    return f'"{user.public_id}.{user.version}"'


def etag_matches(if_match: str, current: str) -> bool:
    for candidate in (part.strip() for part in if_match.split(",")):
        if candidate == "*" or candidate == current:
            return True
    return False


async def user_create(*, session: AsyncSession, data: NewUser, request_id: str | None) -> Created:
    """Insert the user and its welcome-email outbox row in one transaction."""
    users = UserRepository(session)
    if await users.email_taken(data.email):
        raise Conflict()
    password_hash = await asyncio.to_thread(hash_password, data.password)
    now = utcnow()
    user = User(
        public_id=uuid.uuid4(),
        email=data.email,
        full_name=data.full_name,
        password_hash=password_hash,
        role=data.role,
        status="active",
        version=1,
        created_at=now,
        updated_at=now,
    )
    try:
        await users.add(user)
        message = await OutboxRepository(session).add(
            kind=WELCOME_EMAIL,
            payload={"email": user.email, "name": user.full_name},
            request_id=request_id,
        )
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict() from exc
    return Created(user=user, outbox_id=message.id)


async def user_get(
    *, session: AsyncSession, actor: User, ref: int | uuid.UUID | None, for_update: bool = False
) -> User:
    """The user `ref` names, as visible to `actor`: others' ids are 404 to a non-admin.

    `for_update` locks the row until commit, so a concurrent PATCH waits and then sees the
    new version (its If-Match fails with 412 instead of silently overwriting).
    """
    if ref is None:
        raise NotFound()
    own = actor.id if isinstance(ref, int) else actor.public_id
    if not actor.is_admin and ref != own:
        raise NotFound()
    users = UserRepository(session)
    user = await (
        users.get(ref, for_update=for_update)
        if isinstance(ref, int)
        else users.get_by_public_id(ref, for_update=for_update)
    )
    if user is None:
        raise NotFound()
    return user


async def user_update(
    *,
    session: AsyncSession,
    actor: User,
    user: User,
    changes: UserChanges,
    if_match: str | None = None,
    require_if_match: bool = False,
) -> User:
    if not actor.is_admin and (changes.status is not None or changes.role is not None):
        raise Forbidden()
    if require_if_match:
        if if_match is None:
            raise PreconditionRequired()
        if not etag_matches(if_match, etag_of(user)):
            raise PreconditionFailed()
    if changes.is_empty():
        return user
    if changes.email is not None and await UserRepository(session).email_taken(
        changes.email, excluding=user.id
    ):
        raise Conflict()
    if changes.email is not None:
        user.email = changes.email
    if changes.full_name is not None:
        user.full_name = changes.full_name
    if changes.password is not None:
        user.password_hash = await asyncio.to_thread(hash_password, changes.password)
    if changes.status is not None:
        user.status = changes.status
    if changes.role is not None:
        user.role = changes.role
    user.version += 1
    user.updated_at = utcnow()
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict() from exc
    return user


async def user_delete(*, session: AsyncSession, user: User) -> None:
    await UserRepository(session).delete(user)
    await session.commit()


async def user_list_offset(
    *, session: AsyncSession, actor: User, offset: int, limit: int
) -> tuple[Sequence[User], int]:
    if not actor.is_admin:
        raise Forbidden()
    users = UserRepository(session)
    return await users.page_by_id(offset=offset, limit=limit), await users.count()


def encode_cursor(user: User) -> str:
    raw = f"{format_timestamp(user.created_at)}|{user.public_id}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    if not CURSOR_ALPHABET.fullmatch(cursor):
        raise InvalidCursor()
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
        stamp, public_id = raw.split("|")
        created_at = datetime.strptime(stamp, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
        parsed = uuid.UUID(public_id)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidCursor() from exc
    if str(parsed) != public_id or format_timestamp(created_at) != stamp:
        raise InvalidCursor()
    return created_at, parsed


async def user_list_keyset(
    *,
    session: AsyncSession,
    actor: User,
    limit: int,
    cursor: str | None,
    status: str | None,
    email: str | None,
) -> tuple[Sequence[User], str | None]:
    after = decode_cursor(cursor) if cursor is not None else None
    if not actor.is_admin:
        raise Forbidden()
    rows = await UserRepository(session).page_by_creation(
        after=after, limit=limit + 1, status=status, email=email
    )
    page = rows[:limit]
    next_cursor = encode_cursor(page[-1]) if len(rows) > limit else None
    return page, next_cursor
