"""Login: a rehash of an outdated password hash never undoes a password changed meanwhile."""

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth import service
from app.core.config import Settings
from app.users import service as users_service
from app.users.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.anyio
OUTDATED = "outdated-hash"


async def stored_hash(sessions: async_sessionmaker[AsyncSession], user_id: int) -> str:
    async with sessions() as session:
        return str(await session.scalar(select(User.password_hash).where(User.id == user_id)))


@pytest.mark.parametrize("changed_meanwhile", [False, True])
async def test_a_rehash_keeps_a_password_changed_meanwhile(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    changed_meanwhile: bool,
) -> None:
    async with sessions() as session:
        data = users_service.NewUser(email="ada@example.com", full_name="Ada", password=PASSWORD)
        created = await users_service.user_create(session=session, data=data, request_id=None)
        user_id = created.user.id
    monkeypatch.setattr(service, "password_verify", _accept)
    monkeypatch.setattr(service, "password_needs_rehash", lambda encoded: encoded == OUTDATED)
    async with sessions() as session:
        await session.execute(update(User).values(password_hash=OUTDATED))
        await session.commit()

    async def rehash_while_a_patch_lands(password: str) -> str:
        if changed_meanwhile:
            async with sessions() as other:
                await other.execute(update(User).values(password_hash="changed-by-a-patch"))
                await other.commit()
        return "rehashed"

    monkeypatch.setattr(service, "password_hash", rehash_while_a_patch_lands)
    async with sessions() as session:
        await service.token_issue(
            session=session, settings=settings, username="ada@example.com", password=PASSWORD
        )
    expected = "changed-by-a-patch" if changed_meanwhile else "rehashed"
    assert await stored_hash(sessions, user_id) == expected


async def _accept(*, password: str, encoded: str | None) -> bool:
    return True
