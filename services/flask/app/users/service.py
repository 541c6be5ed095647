"""User use-cases, shared by v1 and v2. Keyword-only, typed, framework-free."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import partial

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.security import password_hash
from app.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from app.outbox.models import WELCOME_EMAIL
from app.outbox.service import outbox_enqueue, outbox_publish
from app.users.ids import cursor_decode, cursor_encode, etag_matches
from app.users.models import Role, Status, User
from app.users.repository import UserRepository

log = logging.getLogger(__name__)


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


def user_create(
    *,
    session: Session,
    data: NewUser,
    request_id: str,
    send_welcome: bool = True,
    after_commit: Callable[[Callable[[], object]], None] | None = None,
) -> UserCreated:
    """The user and its welcome job in one transaction; the job is published after commit."""
    encoded = password_hash(data.password)  # before the first query: no transaction waits on it
    users = UserRepository(session)
    now = datetime.now(UTC)
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
    outbox_id = None
    try:
        if users.get_by_email(data.email) is not None:
            raise Conflict()
        users.add(user)
        if send_welcome:
            message = outbox_enqueue(
                session=session,
                kind=WELCOME_EMAIL,
                payload={"email": user.email, "name": user.full_name},
                request_id=request_id,
            )
            session.flush()
            outbox_id = message.id
        session.commit()
    except (Conflict, IntegrityError):
        # A racing sign-up of the same email: the unique index decides, exactly one wins.
        session.rollback()
        raise Conflict() from None
    log.info("user %s created", user.id)
    if outbox_id is not None:
        job = partial(
            outbox_publish, outbox_id=outbox_id, kind=WELCOME_EMAIL, request_id=request_id
        )
        if after_commit is None:
            job()
        else:
            after_commit(job)
    return UserCreated(user=user, outbox_id=outbox_id)


def user_get_visible(
    *,
    session: Session,
    actor: User,
    user_id: int | None = None,
    public_id: uuid.UUID | None = None,
    for_update: bool = False,
) -> User:
    """404 for a missing user and for a non-admin naming anyone but itself."""
    users = UserRepository(session)
    if user_id is not None:
        target = users.get(user_id, for_update=for_update)
    elif public_id is not None:
        target = users.get_by_public_id(public_id, for_update=for_update)
    else:
        raise TypeError("user_id or public_id is required")
    if target is None or (not actor.is_admin and target.id != actor.id):
        raise NotFound()
    return target


def user_list_by_id(
    *, session: Session, actor: User, offset: int, limit: int
) -> tuple[list[User], int]:
    if not actor.is_admin:
        raise Forbidden()
    users = UserRepository(session)
    return users.list_by_id(offset=offset, limit=limit), users.count()


def user_list_by_creation(
    *,
    session: Session,
    actor: User,
    limit: int,
    cursor: str | None,
    status: Status | None,
    email: str | None,
) -> tuple[list[User], str | None]:
    """One keyset page and the cursor after it; a bad cursor's 400 comes before the 403."""
    after = cursor_decode(cursor) if cursor is not None else None
    if not actor.is_admin:
        raise Forbidden()
    page = UserRepository(session).list_by_creation(
        limit=limit + 1, after=after, status=status, email=email
    )
    if len(page) > limit:  # one extra row says whether another page exists
        page = page[:limit]
        return page, cursor_encode(page[-1].created_at, page[-1].public_id)
    return page, None


def user_update(
    *,
    session: Session,
    actor: User,
    user: User,
    changes: UserChanges,
    if_match: str | None = None,
    require_if_match: bool = False,
) -> User:
    """Checks on the unlocked read; hash with no transaction open; then one transaction that
    locks the row, re-checks If-Match (v2) and the email, applies and bumps the version. v1 has
    no If-Match: the last writer wins, in turn (the lock serializes them)."""
    if changes.touches_admin_fields() and not actor.is_admin:
        raise Forbidden()
    if require_if_match:
        if if_match is None:
            raise PreconditionRequired()
        if not etag_matches(if_match, user.etag):
            raise PreconditionFailed()
    if changes.is_empty():
        return user
    session.commit()  # end the unlocked read's transaction: nothing is held while hashing
    encoded = password_hash(changes.password) if changes.password is not None else None
    users = UserRepository(session)
    try:
        locked = users.get(user.id, for_update=True)
        if locked is None:  # deleted since the unlocked read
            raise NotFound()
        if if_match is not None and require_if_match and not etag_matches(if_match, locked.etag):
            raise PreconditionFailed()
        if changes.email is not None and changes.email != locked.email:
            if users.get_by_email(changes.email) is not None:
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
        locked.updated_at = datetime.now(UTC)
        session.commit()
    except DomainError:
        session.rollback()
        raise
    except IntegrityError:
        session.rollback()
        raise Conflict() from None
    return locked


def user_delete(*, session: Session, user: User) -> None:
    UserRepository(session).delete(user)
    session.commit()


def admin_ensure(*, session: Session, email: str, password: str, reset: bool) -> User:
    """Create the admin if missing; with `reset`, also make an existing user an active admin
    with this password (the operator's recovery path)."""
    email = email.strip().lower()
    users = UserRepository(session)
    existing = users.get_by_email(email)
    if existing is None:
        data = NewUser(email=email, full_name="Administrator", password=password, role=Role.ADMIN)
        try:
            return user_create(session=session, data=data, request_id="-", send_welcome=False).user
        except Conflict:  # another process won the race: fall through to its row
            existing = users.get_by_email(email)
            if existing is None:
                raise
    if not reset:
        return existing
    session.commit()
    encoded = password_hash(password)
    locked = users.get(existing.id, for_update=True)
    if locked is None:
        raise NotFound()
    locked.role, locked.status, locked.password_hash = Role.ADMIN, Status.ACTIVE, encoded
    locked.version += 1
    locked.updated_at = datetime.now(UTC)
    session.commit()
    log.info("user %s is now an active admin", email)
    return locked
