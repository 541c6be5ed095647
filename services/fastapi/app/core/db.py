"""Async SQLAlchemy engine and sessions over one driver-neutral DATABASE_URL."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

CONNECT_TIMEOUT_SECONDS = 5
# Waiting for a free pooled connection under load is not an outage: wait longer than a slow
# request takes, then answer 503 (sqlalchemy.exc.TimeoutError, see app.core.problems).
POOL_TIMEOUT_SECONDS = 30
SQLITE_BUSY_TIMEOUT_SECONDS = 30


def async_database_url(url: str) -> str:
    """`postgresql://` -> asyncpg, `sqlite:///` -> aiosqlite; explicit drivers pass through."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def create_engine(
    url: str, *, pooled: bool = True, pool_size: int = 10, max_overflow: int = 20
) -> AsyncEngine:
    async_url = async_database_url(url)
    if async_url.startswith("sqlite"):
        _make_sqlite_directory(async_url)
        engine = create_async_engine(
            async_url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            **({} if pooled else {"poolclass": NullPool}),
        )
        _serialize_sqlite_writes(engine)
        return engine
    pool: dict[str, Any] = (
        {
            "pool_pre_ping": True,
            "pool_size": pool_size,
            "max_overflow": max_overflow,
            "pool_timeout": POOL_TIMEOUT_SECONDS,
        }
        if pooled
        else {"poolclass": NullPool}
    )
    # asyncpg's connect timeout keeps requests failing fast (503) when PostgreSQL is down.
    return create_async_engine(async_url, connect_args={"timeout": CONNECT_TIMEOUT_SECONDS}, **pool)


def _make_sqlite_directory(url: str) -> None:
    # SQLite creates the file but not its folder: the default `var/app.db` must work in a fresh
    # copy of this folder (`alembic upgrade head` first, before anything else made `var/`).
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _serialize_sqlite_writes(engine: AsyncEngine) -> None:
    # pysqlite's implicit BEGIN is deferred: two racing writers then fail with "database is
    # locked" instead of waiting. BEGIN IMMEDIATE takes the write lock up front (SQLAlchemy's
    # documented recipe), and WAL lets readers outside a transaction proceed meanwhile.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


class UTCDateTime(TypeDecorator[datetime]):
    """timestamptz on PostgreSQL; on SQLite (no time zones) stored as naive UTC, read back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and dialect.name == "sqlite":
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
