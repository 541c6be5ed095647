from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app import create_app
from app.core.db import Base
from app.core.settings import Settings
from app.extensions import db
from flask import Flask
from flask.testing import FlaskClient

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-1"


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
    Base.metadata.create_all(db.engine)
    yield app
    db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def bearer(client: FlaskClient, email: str, password: str) -> dict[str, str]:
    resp = client.post(
        "/api/v2/auth/token",
        data={"username": email, "password": password},
        content_type="application/x-www-form-urlencoded",
    )
    assert resp.status_code == 200, resp.get_json()
    return {"Authorization": f"Bearer {resp.get_json()['access_token']}"}


@pytest.fixture
def admin_headers(app: Flask, client: FlaskClient) -> dict[str, str]:
    from app.users.cli import admin_bootstrap

    with app.app_context():
        admin_bootstrap()
    return bearer(client, ADMIN_EMAIL, ADMIN_PASSWORD)
