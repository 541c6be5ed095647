"""DATABASE_URL mapped onto Django's DATABASES entry (SQLite paths, PostgreSQL parts, options)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from usersapi.core.database import SQLITE_OPTIONS, database_config

BASE = Path("/srv/app")


def test_database_urls_map_to_django() -> None:
    relative = database_config("sqlite:///var/app.db", base_dir=BASE, pool_max_size=4)
    assert relative["NAME"] == "/srv/app/var/app.db"
    assert relative["OPTIONS"] == SQLITE_OPTIONS
    absolute = database_config("sqlite:////data/x.db", base_dir=BASE, pool_max_size=4)
    assert absolute["NAME"] == "/data/x.db"
    pg = database_config("postgresql://u:p%40ss@db:5433/users", base_dir=BASE, pool_max_size=4)
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], str(pg["PORT"]), pg["NAME"]) == (
        "u",
        "p@ss",
        "db",
        "5433",
        "users",
    )
    assert pg["CONN_MAX_AGE"] == 0
    assert pg["OPTIONS"]["pool"]["max_size"] == 4
    assert pg["OPTIONS"]["pool"]["reconnect_timeout"] == 5
    assert pg["OPTIONS"]["connect_timeout"] == 3


def test_query_options_survive_beside_ours() -> None:
    pg = database_config(
        "postgresql://u:p@db/users?sslmode=require&connect_timeout=7",
        base_dir=BASE,
        pool_max_size=2,
    )
    assert pg["OPTIONS"]["sslmode"] == "require"
    assert pg["OPTIONS"]["connect_timeout"] == 7  # the URL's value wins over our default
    assert pg["OPTIONS"]["pool"]["max_size"] == 2
    sqlite = database_config("sqlite:///app.db?timeout=5", base_dir=BASE, pool_max_size=1)
    assert sqlite["OPTIONS"]["timeout"] == 5
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_driver_suffix_is_ignored() -> None:
    pg = database_config("postgresql+psycopg://u@db/users", base_dir=BASE, pool_max_size=1)
    assert (pg["ENGINE"], pg["NAME"]) == ("django.db.backends.postgresql", "users")


def test_an_unknown_scheme_is_refused_by_name() -> None:
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_config("mysql://db/users", base_dir=Path("/srv"), pool_max_size=1)
    with pytest.raises(ImproperlyConfigured, match="nosuch"):
        database_config("nosuch://db/users", base_dir=Path("/srv"), pool_max_size=1)
