"""Fixtures: the app over a fresh SQLite database per test, its client, an admin, an SMTP sink."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app import create_app
from app.auth import security
from app.core.config import Settings
from app.core.db import Base
from app.extensions import db
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD, bearer
from tests.smtp_sink import SMTPSink


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, with tiny costs: the default costs dominate test time otherwise."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(security, "_hasher", hasher)
    monkeypatch.setattr(security, "_DUMMY_HASH", hasher.hash("dummy-password"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        broker_url="memory://",
        secret_key="test-secret-key-0123456789abcdef0123456789",
        admin_email=ADMIN_EMAIL,
        admin_password=ADMIN_PASSWORD,
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    app = create_app(settings, TESTING=True)
    with app.app_context():
        engine = db.engine
    Base.metadata.create_all(engine)
    yield app
    engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def admin_headers(app: Flask, client: FlaskClient) -> dict[str, str]:
    from app.users.bootstrap import admin_bootstrap

    with app.app_context():
        admin_bootstrap()
    return bearer(client, ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture
def smtp_sink(settings: Settings) -> Iterator[SMTPSink]:
    """A local SMTP server the app's settings point at; `.messages` is what it received."""
    with SMTPSink() as sink:
        settings.smtp_host, settings.smtp_port = sink.host, sink.port
        yield sink
