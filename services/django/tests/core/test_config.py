"""Settings: read from the environment, the production guard, the shared development key."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pydantic import ValidationError
from usersapi.core.config import Settings, _development_key


def test_production_without_secret_key_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", _env_file=None)  # type: ignore[call-arg]


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/users")
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "60")
    monkeypatch.setenv("CORS_ORIGINS", " https://a.example , ,https://b.example")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "postgresql://db.example/users"
    assert settings.access_token_ttl_seconds == 60
    assert settings.cors_origin_list == ["https://a.example", "https://b.example"]


def test_a_set_secret_key_is_the_signing_key() -> None:
    settings = Settings(secret_key="k" * 40, _env_file=None)  # type: ignore[call-arg]
    assert settings.signing_key() == "k" * 40


def test_development_processes_starting_together_share_one_key(tmp_path: Path) -> None:
    path = tmp_path / "var" / "dev-secret-key"
    keys: list[str] = []
    threads = [
        threading.Thread(target=lambda: keys.append(_development_key(path))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1
    assert len(keys[0]) >= 48
    assert _development_key(path) == keys[0]
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["dev-secret-key"]  # no staging file left
