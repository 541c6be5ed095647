"""SQLAlchemy 2: the declarative base and the engine options for one driver-neutral DATABASE_URL.

flask-sqlalchemy-lite (`app/extensions.py`) builds the app's engine from `engine_config()` and
gives each application context its own session; Alembic uses `create_engine()`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import DeclarativeBase

from app.core.config import SERVICE_DIR


class Base(DeclarativeBase):
    pass


SESSION_OPTIONS: dict[str, Any] = {"expire_on_commit": False}


def driver_url(database_url: str) -> URL:
    """Map the driver-neutral DATABASE_URL to this service's drivers (psycopg 3, pysqlite)."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        if not path.is_absolute():
            path = SERVICE_DIR / path
        path.parent.mkdir(parents=True, exist_ok=True)
        return url.set(drivername="sqlite+pysqlite", database=str(path))
    return url


def engine_config(database_url: str) -> dict[str, Any]:
    """`create_engine` arguments, `url` included (flask-sqlalchemy-lite's SQLALCHEMY_ENGINES)."""
    url = driver_url(database_url)
    if url.get_backend_name() == "sqlite":
        return {"url": url, "connect_args": {"timeout": 30}}
    return {
        "url": url,
        "pool_size": 5,
        "max_overflow": 5,
        "pool_timeout": 5,
        "pool_pre_ping": True,
        # Fail fast when the database is unreachable: requests answer 503, they do not hang.
        "connect_args": {"connect_timeout": 3},
    }


def prepare_engine(engine: Engine) -> Engine:
    """SQLite: WAL and foreign keys on every connection."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def create_engine(database_url: str) -> Engine:
    """An engine outside Flask (Alembic, tests); the app's comes from `app/extensions.py`."""
    return prepare_engine(sqlalchemy.create_engine(**engine_config(database_url)))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
