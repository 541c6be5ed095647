from __future__ import annotations

import pytest
from app.core.config import Settings
from pydantic import ValidationError


def test_production_without_secret_key_names_it() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", secret_key="", _env_file=None)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/users")
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "60")
    settings = Settings(_env_file=None, secret_key="k" * 40)
    assert settings.database_url == "postgresql://db.example/users"
    assert settings.access_token_ttl_seconds == 60
