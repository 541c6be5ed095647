"""User use-cases, shared by v1 and v2. Keyword-only, typed, framework-free."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from sqlalchemy.exc import IntegrityError, InvalidRequestError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from app.core.security import password_hash
from app.outbox.models import WELCOME_EMAIL
from app.outbox.service import outbox_enqueue, outbox_publish
from app.users.ids import cursor_decode, cursor_encode, etag_matches
from app.users.models import Role, Status, User
from app.users.repository import UserRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewUser:
    email: str
    name: str
    password: str
    role: Role = Role.USER


@dataclass(frozen=True)
class UserChanges:
    """Only the fields the client sent; absent fields are not in `values`."""

    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Created:
    user: User
    outbox_id: int | None


AfterCommit = Callable[[Callable[[], object]], None]


def run_now(job: Callable[[], object]) -> None:
    job()


def user_create(
    *,
    session: Session,
    data: NewUser,
    request_id: str,
    send_welcome: bool = True,
    after_commit: AfterCommit = run_now,
) -> Created:
    users = UserRepository(session)
    if users.email_taken(data.email):
        raise Conflict()
    now = datetime.now(UTC)
    user = User(
        public_id=uuid.uuid4(),
        email=data.email,
        full_name=data.name,
        password_hash=password_hash(data.password),
        role=data.role,
        status=Status.ACTIVE,
        version=1,
        created_at=now,
        updated_at=now,
    )
    outbox_id = None
    try:
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
    except IntegrityError:
        session.rollback()
        raise Conflict() from None
    log.info("user %s created", user.id)
    if outbox_id is not None:  # enqueued only once the row is committed
        after_commit(
            partial(outbox_publish, outbox_id=outbox_id, kind=WELCOME_EMAIL, request_id=request_id)
        )
    return Created(user=user, outbox_id=outbox_id)


def user_get_visible(
    *, session: Session, actor: User, user_id: int | None = None, public_id: uuid.UUID | None = None
) -> User:
    """404 for a missing user and for a non-admin naming anyone but itself."""
    users = UserRepository(session)
    if user_id is not None:
        target = users.get(user_id)
    elif public_id is not None:
        target = users.get_by_public_id(public_id)
    else:
        raise TypeError("user_id or public_id is required")
    if target is None or (not actor.is_admin and target.id != actor.id):
        raise NotFound()
    return target


def require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise Forbidden()


def user_list_v1(
    *, session: Session, actor: User, offset: int, limit: int
) -> tuple[list[User], int]:
    require_admin(actor)
    users = UserRepository(session)
    return users.page_by_id(offset=offset, limit=limit), users.count()


def user_list_v2(
    *,
    session: Session,
    actor: User,
    limit: int,
    cursor: str | None,
    status: str | None,
    email: str | None,
) -> tuple[list[User], str | None]:
    after = cursor_decode(cursor) if cursor is not None else None
    require_admin(actor)
    page = UserRepository(session).page_by_creation(
        limit=limit + 1, after=after, status=status, email=email
    )
    if len(page) > limit:  # one extra row says whether another page exists
        page = page[:limit]
        return page, cursor_encode(page[-1].created_at, page[-1].public_id)
    return page, None


# v1 PATCH has no precondition: it is retried on the fresh row this many times when a concurrent
# write committed between its read and its versioned UPDATE (SQLite ignores the row lock).
_V1_WRITE_ATTEMPTS = 5


def user_update(
    *,
    session: Session,
    actor: User,
    target: User,
    changes: UserChanges,
    admin_only: frozenset[str],
    check_if_match: bool = False,
    if_match: str | None = None,
) -> User:
    """Apply `changes`; the UPDATE is guarded by the row version (`version_id_col`).

    v2 (`check_if_match`) compares If-Match with the version it read: a concurrent write that
    wins in between makes the guarded UPDATE match no row, and this one answers 412. v1 has no
    precondition (last writer wins), so it locks the row and re-reads its current version first,
    and on a lost race retries on the fresh row instead of answering a 412 v1 does not have.
    """
    if not actor.is_admin and admin_only & changes.values.keys():
        raise Forbidden()
    if check_if_match:
        if if_match is None:
            raise PreconditionRequired()
        if not etag_matches(if_match, target.etag):
            raise PreconditionFailed()
    if not changes.values:
        return target
    users = UserRepository(session)
    new_email = changes.values.get("email")
    if isinstance(new_email, str) and users.email_taken(new_email, except_id=target.id):
        raise Conflict()
    assignments: dict[str, object] = {}
    for name, value in changes.values.items():
        if name == "password":
            assignments["password_hash"] = password_hash(str(value))
        elif name == "name":
            assignments["full_name"] = str(value)
        else:
            assignments[name] = value
    attempts = 1 if check_if_match else _V1_WRITE_ATTEMPTS
    attempt = 0
    while True:
        attempt += 1
        if not check_if_match:
            try:
                session.refresh(target, with_for_update=True)
            except InvalidRequestError:  # the row is gone: deleted since it was read
                session.rollback()
                raise NotFound() from None
        for name, value in assignments.items():
            setattr(target, name, value)
        target.version += 1
        target.updated_at = datetime.now(UTC)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            raise Conflict() from None
        except StaleDataError:
            session.rollback()
            if attempt == attempts:
                raise PreconditionFailed() from None
            continue
        return target


def user_delete(*, session: Session, target: User) -> None:
    UserRepository(session).delete(target)
    session.commit()
