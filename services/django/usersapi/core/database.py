"""Map the driver-neutral DATABASE_URL onto Django's DATABASES entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from psycopg_pool import ConnectionPool

SQLITE_OPTIONS = {
    # BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue on busy_timeout
    # instead of failing with "database is locked" when a read transaction upgrades.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}


def database_config(url: str, *, base_dir: Path, pool_max_size: int) -> dict[str, Any]:
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme == "sqlite":
        raw = unquote(url.split("://", 1)[1])
        # sqlite:///relative.db -> "/relative.db"; sqlite:////abs.db -> "//abs.db"
        name = raw[1:] if raw.startswith("/") else raw
        path = Path(name) if Path(name).is_absolute() else base_dir / name
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": SQLITE_OPTIONS,
        }
    if scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # Pooled connections must not be kept per thread as well.
            "CONN_MAX_AGE": 0,
            "OPTIONS": {
                "connect_timeout": 3,
                # Checked on checkout: after a database restart a pooled connection is dead, and
                # handing it out would turn the first request per connection into a 503.
                "pool": {
                    "min_size": 1,
                    "max_size": pool_max_size,
                    "timeout": 3,
                    "check": ConnectionPool.check_connection,
                    # psycopg_pool retries a failed connect with doubling delays (1, 2, 4 ... s)
                    # and grows by one attempt at a time, so after an outage it could answer 503
                    # for as long again once the database is back; give up a retry series after
                    # 5 s so that the next request starts a new one.
                    "reconnect_timeout": 5,
                },
            },
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported")
