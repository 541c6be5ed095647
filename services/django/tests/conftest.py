"""Fixtures: cheap argon2id, an in-memory broker, the test client, an admin, an SMTP sink."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections
from django.db.utils import ConnectionHandler
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper
from usersapi.auth.hashers import Argon2idHasher
from usersapi.celery import app as celery_app
from usersapi.core.config import SERVICE_DIR
from usersapi.core.database import database_config
from usersapi.outbox import services as outbox_services
from usersapi.outbox.models import OutboxMessage
from usersapi.users.services import admin_ensure

from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD, token_for
from tests.smtp_sink import SMTPSink


class CheapArgon2idHasher(Argon2idHasher):
    """argon2id still, with tiny costs: the production costs dominate test time otherwise."""

    time_cost, memory_cost, parallelism = 1, 1024, 1


@pytest.fixture(autouse=True)
def cheap_password_hashing(settings: SettingsWrapper) -> None:
    settings.PASSWORD_HASHERS = ["tests.conftest.CheapArgon2idHasher"]


@pytest.fixture(autouse=True)
def memory_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kombu's in-memory transport: nothing outside the test process is created or contacted."""
    monkeypatch.setattr(celery_app.conf, "broker_url", "memory://")


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Outbox ids handed to the broker, without a broker."""
    sent: list[int] = []

    def publish(entry: OutboxMessage) -> None:
        sent.append(entry.pk)

    monkeypatch.setattr(outbox_services, "publish_task", publish)
    return sent


@pytest.fixture
def admin_token(client: Client, db: None) -> str:
    admin_ensure(email=ADMIN_EMAIL, password=ADMIN_PASSWORD, reset=True)
    return token_for(client, ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture
def smtp_sink(settings: SettingsWrapper) -> Iterator[SMTPSink]:
    """A local SMTP server Django's default mailer points at; `.messages` is what it received."""
    with SMTPSink() as sink:
        point_mailer_at(settings, sink)
        yield sink


def point_mailer_at(settings: SettingsWrapper, sink: SMTPSink) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": sink.host, "port": sink.port, "timeout": 5},
        }
    }


UNREACHABLE_DATABASE_URL = "postgresql://users:s3cret-pw@127.0.0.1:1/users"


@pytest.fixture
def unreachable_database(db: None) -> Iterator[None]:
    """Django's default connection on a PostgreSQL address where nothing listens (port 1: the
    connection is refused at once), for the rest of the test; the test database afterwards."""
    config = database_config(UNREACHABLE_DATABASE_URL, base_dir=SERVICE_DIR, pool_max_size=1)
    del config["OPTIONS"]["pool"]  # connect directly: the pool would wait out its timeout
    down = ConnectionHandler({"default": config})["default"]
    up = connections["default"]
    connections["default"] = down
    try:
        yield
    finally:
        connections["default"] = up
        down.close()
