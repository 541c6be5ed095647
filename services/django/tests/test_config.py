"""Settings: the production guard and the driver-neutral DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from usersapi.core.config import AppSettings
from usersapi.core.database import database_config


def test_production_without_secret_key_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        AppSettings(environment="production", _env_file=None)  # type: ignore[call-arg]


def test_database_urls_map_to_django() -> None:
    base = Path("/srv/app")
    relative = database_config("sqlite:///var/app.db", base_dir=base, pool_max_size=4)
    assert relative["NAME"] == "/srv/app/var/app.db"
    absolute = database_config("sqlite:////data/x.db", base_dir=base, pool_max_size=4)
    assert absolute["NAME"] == "/data/x.db"
    pg = database_config("postgresql://u:p%40ss@db:5433/users", base_dir=base, pool_max_size=4)
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "u",
        "p@ss",
        "db",
        "5433",
        "users",
    )
    assert pg["OPTIONS"]["pool"]["max_size"] == 4
