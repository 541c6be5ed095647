"""The one service layer both API versions call: authorization, invariants, transactions.

Every write follows one recipe: checks on an unlocked read, the slow argon2 hash with no
transaction open, then one short transaction that locks the row, checks again and writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.security import password_hash
from app.core.db import utcnow
from app.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from app.outbox.repository import WELCOME_EMAIL
from app.outbox.service import outbox_enqueue
from app.users.fields import normalise_email
from app.users.ids import cursor_decode, cursor_encode, etag_matches
from app.users.models import Role, Status, User
from app.users.repository import UserRepository


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

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def touches_admin_fields(self) -> bool:
        return self.status is not None or self.role is not None


@dataclass(frozen=True)
class UserCreated:
    user: User
    outbox_id: int | None


def _new_user(data: NewUser, encoded: str) -> User:
    now = utcnow()
    return User(
        public_id=uuid.uuid4(),
        email=data.email,
        full_name=data.full_name,
        password_hash=encoded,
        role=data.role,
        status=Status.ACTIVE,
        version=1,
        created_at=now,
        updated_at=now,
    )


async def user_create(
    *, session: AsyncSession, data: NewUser, request_id: str | None, send_welcome: bool = True
) -> UserCreated:
    """Insert the user and its welcome-email outbox row in one transaction."""
    # Hash before the first query: no transaction (no pooled connection) is open during it.
    encoded = await password_hash(data.password)
    users = UserRepository(session)
    if await users.get_by_email(data.email) is not None:
        raise Conflict()
    user = _new_user(data, encoded)
    outbox_id = None
    try:
        await users.add(user)
        if send_welcome:
            message = await outbox_enqueue(
                session=session,
                kind=WELCOME_EMAIL,
                payload={"email": user.email, "name": user.full_name},
                request_id=request_id,
            )
            outbox_id = message.id
        await session.commit()
    except IntegrityError as exc:
        # Lost a race for the same email: the unique index decides, exactly one create wins.
        await session.rollback()
        raise Conflict() from exc
    return UserCreated(user, outbox_id)


async def user_get_visible(
    *,
    session: AsyncSession,
    actor: User,
    user_id: int | None = None,
    public_id: uuid.UUID | None = None,
    for_update: bool = False,
) -> User:
    """The target user as the actor may see it; anything else is 404 (no enumeration)."""
    users = UserRepository(session)
    target: User | None = None
    if user_id is not None:
        target = await users.get(user_id, for_update=for_update)
    elif public_id is not None:
        target = await users.get_by_public_id(public_id, for_update=for_update)
    if target is None or (not actor.is_admin and target.id != actor.id):
        raise NotFound()
    return target


async def user_update(
    *,
    session: AsyncSession,
    actor: User,
    user: User,
    changes: UserChanges,
    if_match: str | None = None,
    require_if_match: bool = False,
) -> User:
    """`user` is an unlocked read; the write re-reads it locked and checks If-Match again."""
    if changes.touches_admin_fields() and not actor.is_admin:
        raise Forbidden()
    if require_if_match:
        if if_match is None:
            raise PreconditionRequired()
        if not etag_matches(if_match, user.etag):
            raise PreconditionFailed()
    if changes.is_empty():
        return user
    # End the read's transaction, then hash with no connection held and no row locked.
    await session.commit()
    encoded = await password_hash(changes.password) if changes.password is not None else None
    users = UserRepository(session)
    try:
        locked = await users.get(user.id, for_update=True)
        if locked is None:
            raise NotFound()
        if if_match is not None and not etag_matches(if_match, locked.etag):
            raise PreconditionFailed()  # another write got in between
        if changes.email is not None and changes.email != locked.email:
            if await users.get_by_email(changes.email) is not None:
                raise Conflict()
            locked.email = changes.email
        if changes.full_name is not None:
            locked.full_name = changes.full_name
        if encoded is not None:
            locked.password_hash = encoded
        if changes.status is not None:
            locked.status = changes.status
        if changes.role is not None:
            locked.role = changes.role
        locked.version += 1
        locked.updated_at = utcnow()
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict() from exc
    except Exception:
        await session.rollback()  # release the lock now, not when the session closes
        raise
    return locked


async def user_delete(*, session: AsyncSession, user: User) -> None:
    await UserRepository(session).delete(user)
    await session.commit()


async def user_list_by_id(
    *, session: AsyncSession, actor: User, offset: int, limit: int
) -> tuple[Sequence[User], int]:
    if not actor.is_admin:
        raise Forbidden()
    users = UserRepository(session)
    return await users.list_by_id(offset=offset, limit=limit), await users.count()


async def user_list_by_creation(
    *,
    session: AsyncSession,
    actor: User,
    limit: int,
    cursor: str | None,
    status: Status | None,
    email: str | None,
) -> tuple[Sequence[User], str | None]:
    """One keyset page and the cursor after it; the cursor's 400 comes before the 403."""
    after = cursor_decode(cursor) if cursor is not None else None
    if not actor.is_admin:
        raise Forbidden()
    rows = await UserRepository(session).list_by_creation(
        after=after, limit=limit + 1, status=status, email=email
    )
    page = rows[:limit]
    if len(rows) <= limit:
        return page, None
    return page, cursor_encode(page[-1].created_at, page[-1].public_id)


async def admin_ensure(*, session: AsyncSession, email: str, password: str, reset: bool) -> User:
    """Create the admin; with `reset`, make an existing user an active admin with `password`
    (the operator's recovery path)."""
    email = normalise_email(email)
    encoded = await password_hash(password)
    users = UserRepository(session)
    existing = await users.get_by_email(email)
    if existing is None:
        user = _new_user(
            NewUser(email=email, full_name="Administrator", password=password, role=Role.ADMIN),
            encoded,
        )
        await users.add(user)
        await session.commit()
        return user
    if reset:
        locked = await users.get(existing.id, for_update=True)
        assert locked is not None
        locked.role, locked.status, locked.password_hash = Role.ADMIN, Status.ACTIVE, encoded
        locked.version += 1
        locked.updated_at = utcnow()
        existing = locked
    await session.commit()
    return existing
