"""Fixtures: a migrated SQLite database per test, the app over it, cheap argon2, a fake broker."""

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

# Settings are read when the app package is imported: point them at throw-away resources first.
os.environ.update(
    {
        "ENVIRONMENT": "development",
        "SECRET_KEY": "unit-test-secret-key-with-enough-length",
        "BROKER_URL": "memory://",
        "DATABASE_URL": "sqlite:///var/unit-tests-unused.db",
    }
)

import pytest
from alembic import command
from alembic.config import Config
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth import security
from app.core.config import Settings, get_settings
from app.core.db import create_engine, create_sessionmaker
from app.main import create_app
from app.outbox import service as outbox_service
from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD, PublishedTasks

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, with tiny costs: hashing dominates test time otherwise."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(security, "password_hasher", lambda: hasher)
    monkeypatch.setattr(security, "dummy_hash", lambda: hasher.hash("dummy-password"))


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> PublishedTasks:
    """Stands in for the broker: records what the API publishes."""
    tasks = PublishedTasks()
    monkeypatch.setattr(outbox_service, "publish_task", tasks.publish)
    return tasks


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    config = Config(str(SERVICE_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(SERVICE_DIR / "migrations"))
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    try:
        command.upgrade(config, "head")
    finally:
        os.environ["DATABASE_URL"] = previous or ""
        get_settings.cache_clear()
    return url


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the migrated test database, for service-level tests."""
    engine = create_engine(database_url, pooled=False)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        broker_url="memory://",
        admin_email=ADMIN_EMAIL,
        admin_password=ADMIN_PASSWORD,
        secret_key="unit-test-secret-key-with-enough-length",
    )


@pytest.fixture
def app(settings: Settings, published: PublishedTasks) -> FastAPI:
    application = create_app(settings)
    application.dependency_overrides[get_settings] = lambda: settings
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
