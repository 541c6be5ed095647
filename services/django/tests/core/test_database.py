"""DATABASE_URL mapped onto Django's DATABASES entry (SQLite paths, PostgreSQL parts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from usersapi.core.database import database_config


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


def test_an_unknown_scheme_is_refused_by_name() -> None:
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_config("mysql://db/users", base_dir=Path("/srv"), pool_max_size=1)
