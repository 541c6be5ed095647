"""The one service layer behind /api/v1 and /api/v2: authorization, invariants, transactions."""

import logging
import uuid
from dataclasses import dataclass, fields

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.security import password_hash
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, NotFound, PreconditionFailed, PreconditionRequired
from app.outbox.service import outbox_enqueue
from app.users.ids import cursor_decode, cursor_encode, etag_matches
from app.users.models import Role, Status, User
from app.users.repository import UserRepository

log = logging.getLogger(__name__)

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

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def touches_admin_fields(self) -> bool:
        return self.status is not None or self.role is not None


@dataclass(frozen=True)
class UserCreated:
    user: User
    outbox_id: int | None


async def user_create(
    *,
    session: AsyncSession,
    data: NewUser,
    request_id: str | None,
    send_welcome: bool = True,
) -> UserCreated:
    """Create a user and, in the same transaction, its welcome-email outbox row."""
    # Hash before the first query: argon2 is slow, and a transaction would hold a pooled
    # connection (and SQLite's write lock) for all of it.
    encoded = await password_hash(data.password)
    repo = UserRepository(session)
    if await repo.get_by_email(data.email) is not None:
        raise Conflict()
    now = utcnow()
    user = User(
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
    try:
        await repo.add(user)
        outbox_id = None
        if send_welcome:
            message = await outbox_enqueue(
                session=session,
                kind=WELCOME_EMAIL,
                payload={"user_id": user.id, "email": user.email, "name": user.full_name},
                request_id=request_id,
            )
            outbox_id = message.id
        await session.commit()
    except IntegrityError as exc:
        # Lost a race for the same email: the unique index decides, exactly one create wins.
        await session.rollback()
        raise Conflict() from exc
    log.info("user created id=%s", user.id)
    return UserCreated(user, outbox_id)


async def user_get_visible(
    *,
    session: AsyncSession,
    actor: User,
    user_id: int | None = None,
    public_id: uuid.UUID | None = None,
    for_update: bool = False,
) -> User:
    """The target as the actor may see it, else 404 (no enumeration). `for_update` locks the
    row until commit (`user_update`'s second read)."""
    repo = UserRepository(session)
    target: User | None = None
    if user_id is not None:
        target = await repo.get(user_id, for_update=for_update)
    elif public_id is not None:
        target = await repo.get_by_public_id(public_id, for_update=for_update)
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
    """The write recipe (docs/anatomy.md §1): check `user` (an unlocked read), hash with no
    transaction open, then lock the row, check again and apply in one transaction."""
    if changes.touches_admin_fields() and not actor.is_admin:
        raise Forbidden()
    expected = None
    if require_if_match:
        if if_match is None:
            raise PreconditionRequired()
        expected = if_match
        if not etag_matches(expected, user.etag):
            raise PreconditionFailed()
    if changes.is_empty():
        return user
    # End the read's transaction: argon2 must not hold a pooled connection or a lock.
    await session.commit()
    encoded = None if changes.password is None else await password_hash(changes.password)
    # Concurrent writers queue here; each then sees the row its predecessor committed.
    locked = await user_get_visible(session=session, actor=actor, user_id=user.id, for_update=True)
    if expected is not None and not etag_matches(expected, locked.etag):
        raise PreconditionFailed()
    if changes.email is not None and changes.email != locked.email:
        if await UserRepository(session).get_by_email(changes.email) is not None:
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
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict() from exc
    return locked


async def user_delete(*, session: AsyncSession, user: User) -> None:
    await UserRepository(session).delete(user)
    await session.commit()


async def user_list_by_id(
    *, session: AsyncSession, actor: User, offset: int, limit: int
) -> tuple[list[User], int]:
    if not actor.is_admin:
        raise Forbidden()
    repo = UserRepository(session)
    return list(await repo.list_by_id(offset=offset, limit=limit)), await repo.count()


async def user_list_by_creation(
    *,
    session: AsyncSession,
    actor: User,
    limit: int,
    cursor: str | None,
    status: Status | None,
    email: str | None,
) -> tuple[list[User], str | None]:
    """One keyset page and the cursor to continue after (None on the last page).

    The cursor is decoded first, so a bad cursor's 400 comes before the 403.
    """
    after = cursor_decode(cursor) if cursor is not None else None
    if not actor.is_admin:
        raise Forbidden()
    repo = UserRepository(session)
    # One extra row tells whether another page exists without a count.
    rows = list(
        await repo.list_by_creation(after=after, limit=limit + 1, status=status, email=email)
    )
    page = rows[:limit]
    if len(rows) <= limit or not page:
        return page, None
    last = page[-1]
    return page, cursor_encode(last.created_at, last.public_id)


async def admin_ensure(*, session: AsyncSession, email: str, password: str, reset: bool) -> User:
    """Create the admin if missing; with `reset`, also make an existing user an
    active admin with this password (the operator's recovery path)."""
    email = email.strip().lower()
    repo = UserRepository(session)
    existing = await repo.get_by_email(email)
    if existing is None:
        await session.commit()  # user_create hashes first, with no transaction open
        try:
            created = await user_create(
                session=session,
                data=NewUser(
                    email=email, full_name="Administrator", password=password, role=Role.ADMIN
                ),
                request_id=None,
                send_welcome=False,
            )
            return created.user
        except Conflict:
            # Another process won the race; fall through to the existing row.
            existing = await repo.get_by_email(email)
            if existing is None:
                raise
    if not reset:
        return existing
    await session.commit()  # no transaction open while hashing
    encoded = await password_hash(password)
    locked = await repo.get(existing.id, for_update=True)
    if locked is None:
        raise NotFound()
    locked.role = Role.ADMIN
    locked.status = Status.ACTIVE
    locked.password_hash = encoded
    locked.version += 1
    locked.updated_at = utcnow()
    await session.commit()
    return locked
