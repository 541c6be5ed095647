from __future__ import annotations

import pytest
from app.core.config import Settings
from pydantic import ValidationError


def test_production_without_secret_key_fails_naming_it() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(_env_file=None, environment="production", secret_key="")


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/users")
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "60")
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example,")
    settings = Settings(_env_file=None, secret_key="k" * 40)
    assert settings.database_url == "postgresql://db.example/users"
    assert settings.access_token_ttl_seconds == 60
    assert settings.cors_origin_list == ["https://a.example", "https://b.example"]
