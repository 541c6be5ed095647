"""The users service layer, called directly with a session (no HTTP)."""

from __future__ import annotations

import uuid

import pytest
from app.auth.security import password_verify
from app.core.config import Settings
from app.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from app.outbox.models import OutboxMessage
from app.users import service
from app.users.models import Role, Status, User
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import PASSWORD, create_user


async def test_user_create_writes_the_user_and_its_welcome_job_in_one_commit(
    settings: Settings, session: AsyncSession
) -> None:
    created = await create_user(settings, "svc@example.com", name="Svc", request_id="req-1")
    user = (await session.scalars(select(User).where(User.email == "svc@example.com"))).one()
    assert user.public_id == created.user.public_id
    assert (user.full_name, user.role, user.status, user.version) == ("Svc", "user", "active", 1)
    assert await password_verify(password=PASSWORD, encoded=user.password_hash)
    message = await session.get_one(OutboxMessage, created.outbox_id)
    assert message.payload == {"email": "svc@example.com", "name": "Svc"}
    assert message.request_id == "req-1"
    assert message.published_at is None


async def test_user_create_refuses_a_taken_email(settings: Settings, session: AsyncSession) -> None:
    await create_user(settings, "taken@example.com")
    with pytest.raises(Conflict):
        await create_user(settings, "taken@example.com")
    assert len((await session.scalars(select(OutboxMessage))).all()) == 1


async def test_a_non_admin_sees_only_itself_and_cannot_list(
    settings: Settings, session: AsyncSession
) -> None:
    alice = await session.get_one(User, (await create_user(settings)).user.id)
    bob = (await create_user(settings)).user
    visible = service.user_get_visible
    assert (await visible(session=session, actor=alice, user_id=alice.id)).id == alice.id
    assert (await visible(session=session, actor=alice, public_id=alice.public_id)) is alice
    for ref in ({"user_id": bob.id}, {"public_id": bob.public_id}, {}):
        with pytest.raises(NotFound):
            await visible(session=session, actor=alice, **ref)
    with pytest.raises(Forbidden):
        await service.user_list_by_id(session=session, actor=alice, offset=0, limit=10)


async def test_an_admin_sees_everyone_but_not_the_missing(
    settings: Settings, session: AsyncSession
) -> None:
    admin = await session.get_one(User, (await create_user(settings, role=Role.ADMIN)).user.id)
    bob = (await create_user(settings)).user
    visible = service.user_get_visible
    assert (await visible(session=session, actor=admin, public_id=bob.public_id)).id == bob.id
    with pytest.raises(NotFound):
        await visible(session=session, actor=admin, public_id=uuid.uuid4())
    page, total = await service.user_list_by_id(session=session, actor=admin, offset=0, limit=1)
    assert (len(page), total) == (1, 2)


async def test_update_checks_role_and_precondition_then_bumps_the_version(
    settings: Settings, session: AsyncSession
) -> None:
    user = await session.get_one(User, (await create_user(settings)).user.id)
    with pytest.raises(Forbidden):
        await service.user_update(
            session=session,
            actor=user,
            user=user,
            changes=service.UserChanges(status=Status.DISABLED),
        )
    name = service.UserChanges(full_name="N")
    with pytest.raises(PreconditionRequired):
        await service.user_update(
            session=session, actor=user, user=user, changes=name, require_if_match=True
        )
    with pytest.raises(PreconditionFailed):
        await service.user_update(
            session=session, actor=user, user=user, changes=name,
            require_if_match=True, if_match='"stale.1"',
        )  # fmt: skip
    updated = await service.user_update(
        session=session, actor=user, user=user,
        changes=service.UserChanges(full_name="N", password="new-password-9"),
        require_if_match=True, if_match=user.etag,
    )  # fmt: skip
    assert (updated.full_name, updated.version) == ("N", 2)
    assert await password_verify(password="new-password-9", encoded=updated.password_hash)


async def test_update_to_a_taken_email_is_a_conflict(
    settings: Settings, session: AsyncSession
) -> None:
    first = (await create_user(settings)).user
    second = await session.get_one(User, (await create_user(settings)).user.id)
    with pytest.raises(Conflict):
        await service.user_update(
            session=session, actor=second, user=second,
            changes=service.UserChanges(email=first.email),
        )  # fmt: skip


async def test_user_delete_removes_the_row(settings: Settings, session: AsyncSession) -> None:
    user_id = (await create_user(settings)).user.id
    await service.user_delete(session=session, user=await session.get_one(User, user_id))
    session.expunge_all()
    assert await session.get(User, user_id) is None


async def test_keyset_pages_walk_every_user_once(settings: Settings, session: AsyncSession) -> None:
    admin = await session.get_one(User, (await create_user(settings, role=Role.ADMIN)).user.id)
    for _ in range(4):
        await create_user(settings)
    seen: list[uuid.UUID] = []
    cursor: str | None = None
    while True:
        page, cursor = await service.user_list_by_creation(
            session=session, actor=admin, limit=2, cursor=cursor, status=None, email=None
        )
        seen += [u.public_id for u in page]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
