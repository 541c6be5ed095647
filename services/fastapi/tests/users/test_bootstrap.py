import logging

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker
from app.users.bootstrap import admin_bootstrap
from app.users.models import Role
from app.users.repository import UserRepository
from tests.factories import ADMIN_EMAIL

pytestmark = pytest.mark.anyio


async def admin_role(sessions: async_sessionmaker[AsyncSession]) -> str | None:
    async with sessions() as session:
        user = await UserRepository(session).get_by_email(ADMIN_EMAIL)
        return None if user is None else user.role


async def test_creates_the_configured_admin_once(settings: Settings) -> None:
    engine = create_engine(settings.database_url, pooled=False)
    sessions = create_sessionmaker(engine)
    try:
        await admin_bootstrap(
            sessions=sessions, settings=settings.model_copy(update={"admin_email": None})
        )
        assert await admin_role(sessions) is None
        await admin_bootstrap(sessions=sessions, settings=settings)
        await admin_bootstrap(sessions=sessions, settings=settings)
        assert await admin_role(sessions) == Role.ADMIN
    finally:
        await engine.dispose()


async def test_an_unreachable_database_is_logged_not_raised(
    settings: Settings, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # alembic.ini's logging config (run by the migrations fixture) disables existing loggers.
    monkeypatch.setattr(logging.getLogger("app.users.bootstrap"), "disabled", False)
    engine = create_engine("postgresql://nobody@127.0.0.1:1/none", pooled=False)
    try:
        with caplog.at_level(logging.ERROR):
            await admin_bootstrap(sessions=create_sessionmaker(engine), settings=settings)
    finally:
        await engine.dispose()
    assert "admin bootstrap skipped" in caplog.text
