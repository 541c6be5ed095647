from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from app.core.settings import SERVICE_DIR, Settings, get_settings
from app.main import create_app
from sanic import Sanic

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-1"


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
