"""Private PostgreSQL and Redis servers that a fault test may stop and start at will."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg

from bakeoff import servers
from bakeoff.servers import PrivateRedis

__all__ = ["PrivatePostgres", "PrivateRedis", "private_postgres", "private_redis"]


class PrivatePostgres(servers.PrivatePostgres):
    """A throw-away cluster holding one database, `app`."""

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/app"

    def create_database(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute("CREATE DATABASE app")


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.start()
        server.create_database()
        yield server
    finally:
        server.remove()


@contextlib.contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    try:
        server.start()
        yield server
    finally:
        server.remove()
