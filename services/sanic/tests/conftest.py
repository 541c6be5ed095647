"""Fixtures: a migrated SQLite database per test, the app over it, cheap argon2, an SMTP sink."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from app.auth import security
from app.core.config import SERVICE_DIR, Settings, get_settings
from app.core.db import create_engine, create_sessionmaker
from app.main import create_app
from argon2 import PasswordHasher
from sanic import Sanic
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.smtp_sink import SMTPSink


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, with tiny costs: the default costs dominate test time otherwise."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(security, "_hasher", hasher)
    monkeypatch.setattr(security, "_DUMMY_HASH", hasher.hash("dummy-password"))


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BROKER_URL", f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}")
    monkeypatch.setenv("ADMIN_EMAIL", ADMIN_EMAIL)
    monkeypatch.setenv("ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-with-enough-length-1234")
    get_settings.cache_clear()
    command.upgrade(Config(str(SERVICE_DIR / "alembic.ini")), "head")
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def app(settings: Settings) -> Sanic[Any, Any]:
    Sanic.test_mode = True
    return create_app(settings=settings)


@pytest.fixture
async def session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session on this test's database, outside any request."""
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as db_session:
            yield db_session
    finally:
        await engine.dispose()


@pytest.fixture
def smtp_sink(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[SMTPSink]:
    """A local SMTP server the worker's settings point at; `.messages` is what it received."""
    with SMTPSink() as sink:
        monkeypatch.setenv("SMTP_HOST", sink.host)
        monkeypatch.setenv("SMTP_PORT", str(sink.port))
        get_settings.cache_clear()
        yield sink
    get_settings.cache_clear()
