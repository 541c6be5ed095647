import pytest
from pydantic import ValidationError

from app.core.config import Settings
from app.core.db import async_database_url
from app.worker.tasks import RETRY_BACKOFF_MAX_SECONDS


def test_production_without_secret_key_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", _env_file=None)


def test_development_gets_a_random_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = Settings(_env_file=None)
    second = Settings(_env_file=None)
    assert first.jwt_key != second.jwt_key


def test_cors_origins_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@db:5432/app", "postgresql+asyncpg://u:p@db:5432/app"),
        ("sqlite:///var/app.db", "sqlite+aiosqlite:///var/app.db"),
        ("sqlite:////abs/app.db", "sqlite+aiosqlite:////abs/app.db"),
    ],
)
def test_database_url_is_mapped_to_async_drivers(url: str, expected: str) -> None:
    assert async_database_url(url) == expected


def test_redelivery_age_outlasts_the_longest_retry_countdown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Otherwise the relay would publish a second copy of a job whose retry is still queued.
    monkeypatch.delenv("OUTBOX_REDELIVER_AFTER_SECONDS", raising=False)
    default = Settings(_env_file=None).outbox_redeliver_after_seconds
    assert default > RETRY_BACKOFF_MAX_SECONDS
