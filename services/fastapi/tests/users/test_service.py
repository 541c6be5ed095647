"""The write recipe (docs/anatomy.md §1): hash with no transaction open, then lock and re-check."""

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.errors import PreconditionFailed
from app.users import service
from app.users.models import Role, User
from app.users.repository import UserRepository
from tests.factories import ADMIN_PASSWORD, PASSWORD

pytestmark = pytest.mark.anyio


async def new_user(sessions: async_sessionmaker[AsyncSession]) -> User:
    async with sessions() as session:
        data = service.NewUser(email="ada@example.com", full_name="Ada", password=PASSWORD)
        created = await service.user_create(session=session, data=data, request_id=None)
        return created.user


async def change_own_password(session: AsyncSession, user: User) -> User:
    """A v2 PATCH of the user's own password, with the ETag of the copy the caller read."""
    return await service.user_update(
        session=session,
        actor=user,
        user=user,
        changes=service.UserChanges(password="new-password-1"),
        if_match=user.etag,
        require_if_match=True,
    )


def hash_recording(
    monkeypatch: pytest.MonkeyPatch, session: AsyncSession, seen: list[bool]
) -> None:
    async def fake_hash(password: str) -> str:
        seen.append(session.in_transaction())
        return f"hashed:{password}"

    monkeypatch.setattr(service, "password_hash", fake_hash)


async def test_update_hashes_with_no_transaction_open(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await new_user(sessions)
    async with sessions() as session:
        actor = await service.user_get_visible(session=session, actor=user, user_id=user.id)
        seen: list[bool] = []
        hash_recording(monkeypatch, session, seen)
        updated = await change_own_password(session, actor)
    assert seen == [False]
    assert (updated.version, updated.password_hash) == (2, "hashed:new-password-1")


async def test_if_match_is_checked_again_on_the_locked_row(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await new_user(sessions)

    async def concurrent_write(password: str) -> str:
        # Another PATCH commits between the unlocked check and the lock.
        async with sessions() as other:
            await other.execute(update(User).where(User.id == user.id).values(version=2))
            await other.commit()
        return f"hashed:{password}"

    monkeypatch.setattr(service, "password_hash", concurrent_write)
    async with sessions() as session:
        target = await service.user_get_visible(session=session, actor=user, user_id=user.id)
        with pytest.raises(PreconditionFailed):
            await change_own_password(session, target)
    async with sessions() as session:
        stored = await UserRepository(session).get(user.id)
        assert stored is not None
        assert stored.version == 2
        assert stored.password_hash != "hashed:new-password-1"


async def test_admin_reset_hashes_with_no_transaction_open(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await new_user(sessions)
    async with sessions() as session:
        seen: list[bool] = []
        hash_recording(monkeypatch, session, seen)
        admin = await service.admin_ensure(
            session=session, email=user.email, password=ADMIN_PASSWORD, reset=True
        )
    assert seen == [False]
    assert (admin.id, admin.role, admin.version) == (user.id, Role.ADMIN, 2)
