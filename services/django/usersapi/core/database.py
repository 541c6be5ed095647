"""Map the driver-neutral DATABASE_URL onto Django's DATABASES entry (dj-database-url), then add
our connection options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from psycopg_pool import ConnectionPool

SQLITE_OPTIONS = {
    # BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue on busy_timeout
    # instead of failing with "database is locked" when a read transaction upgrades.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}


def _postgres_options(pool_max_size: int) -> dict[str, Any]:
    return {
        "connect_timeout": 3,
        # Checked on checkout: after a database restart a pooled connection is dead, and handing
        # it out would turn the first request per connection into a 503.
        "pool": {
            "min_size": 1,
            "max_size": pool_max_size,
            "timeout": 3,
            "check": ConnectionPool.check_connection,
            # psycopg_pool retries a failed connect with doubling delays (1, 2, 4 ... s) and grows
            # by one attempt at a time, so after an outage it could answer 503 for as long again
            # once the database is back; give up a retry series after 5 s so that the next
            # request starts a new one.
            "reconnect_timeout": 5,
        },
    }


def database_config(url: str, *, base_dir: Path, pool_max_size: int) -> dict[str, Any]:
    """Options in the URL's query string (`?sslmode=require`) win over our defaults."""
    scheme, separator, rest = url.partition("://")
    # The same URL serves the SQLAlchemy services: `postgresql+psycopg://` names a driver.
    url = scheme.split("+", 1)[0] + separator + rest
    try:
        # Pooled connections must not be kept per thread as well: CONN_MAX_AGE 0.
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    except ValueError as exc:  # dj_database_url.UnknownSchemeError is a ValueError
        raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        defaults: dict[str, Any] = SQLITE_OPTIONS
        if config["NAME"] != ":memory:":
            config["NAME"] = str(base_dir / config["NAME"])  # an absolute NAME stays as it is
    elif config["ENGINE"] == "django.db.backends.postgresql":
        defaults = _postgres_options(pool_max_size)
    else:
        raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported")
    config["OPTIONS"] = {**defaults, **config.get("OPTIONS", {})}
    return config
