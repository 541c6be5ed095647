"""SQLAlchemy 2 engine + one session per application context, removed on teardown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask import globals as flask_globals
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker

from app.core.config import SERVICE_DIR


class Base(DeclarativeBase):
    pass


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


def build_engine(database_url: str) -> Engine:
    url = driver_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_size=5,
        max_overflow=5,
        pool_timeout=5,
        pool_pre_ping=True,
        # Fail fast when the database is unreachable: requests answer 503, they do not hang.
        connect_args={"connect_timeout": 3},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _app_context_id() -> int:
    # The same scope key Flask-SQLAlchemy uses: one session per pushed application context.
    return id(flask_globals._cv_app.get())


class Database:
    """A Flask extension: `db.session` is the current app context's session."""

    def __init__(self) -> None:
        self._engine: Engine | None = None
        self.session: scoped_session[Session] = scoped_session(
            sessionmaker(expire_on_commit=False), scopefunc=_app_context_id
        )

    def init_app(self, app: Flask) -> None:
        settings = app.config["SETTINGS"]
        self._engine = build_engine(settings.database_url)
        self.session.session_factory.configure(bind=self._engine)
        app.extensions["db"] = self
        app.teardown_appcontext(self._remove_session)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("Database.init_app() has not been called")
        return self._engine

    def _remove_session(self, _exc: BaseException | None) -> None:
        self.session.remove()

    @contextmanager
    def standalone_session(self) -> Iterator[Session]:
        """A session outside any request (worker, CLI, start-up)."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session
