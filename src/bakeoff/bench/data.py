"""Throw-away databases and brokers for one benchmark target; 10,000 users inserted by SQL."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql

from bakeoff.bench.wrk import SEED_UUID_PREFIX

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379"
# One argon2id hash (argon2-cffi defaults) of wrk.BENCH_PASSWORD, reused for every seeded user.
SEED_PASSWORD_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$mUZaAD+/dOEgzaOCByYmfg"
    "$nx2Ag6xuVag9WFAect3IMLEgwOSn+IFJ6EcQOp95fvc"
)
SEED_BASE = datetime(2026, 1, 1, tzinfo=UTC)
USER_COLUMNS = (
    "public_id",
    "email",
    "full_name",
    "password_hash",
    "role",
    "status",
    "version",
    "created_at",
    "updated_at",
)
PG_SEED = """
INSERT INTO users (public_id, email, full_name, password_hash, role, status, version,
                   created_at, updated_at)
SELECT (%(prefix)s || lpad(n::text, 12, '0'))::uuid, 'seed-' || n || '@bench.example.com',
       'Seed User ' || n, %(hash)s, 'user', 'active', 1,
       %(base)s::timestamptz + n * interval '1 millisecond',
       %(base)s::timestamptz + n * interval '1 millisecond'
FROM generate_series(1, %(count)s) AS n
"""


class SeedError(RuntimeError):
    """The users table is not the shape every service shares."""


def pg_admin_url() -> str:
    return os.environ.get("BAKEOFF_PG_URL", DEFAULT_PG_URL)


@contextlib.contextmanager
def postgres_database(label: str) -> Iterator[str]:
    admin = pg_admin_url()
    name = f"bakeoff_bench_{label}_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urlsplit(admin)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextlib.contextmanager
def redis_database() -> Iterator[str]:
    """A Redis database number held exclusively (same lock files as the test suite's fixture)."""
    base = os.environ.get("BAKEOFF_REDIS_URL", DEFAULT_REDIS_URL).rstrip("/")
    for number in (15, *range(10, 0, -1)):
        handle: IO[str] = open(f"/tmp/bakeoff-redis-db-{number}.lock", "a")  # noqa: SIM115, S108
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        url = f"{base}/{number}"
        client = redis.Redis.from_url(url, socket_timeout=5)
        try:
            client.flushdb()
            yield url
            client.flushdb()
            return
        finally:
            client.close()
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
    raise RuntimeError("every Redis database 1..15 is held by a test run")


def apply_schema(database_url: str, schema: Path) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(schema.read_text().encode())


def _check_columns(found: set[str]) -> None:
    missing = [c for c in USER_COLUMNS if c not in found]
    if missing:
        raise SeedError(f"users table lacks columns {missing}; found {sorted(found)}")


def seed_postgres(database_url: str, count: int) -> None:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'"
        ).fetchall()
        _check_columns({r[0] for r in rows})
        conn.execute(
            PG_SEED,
            {
                "prefix": SEED_UUID_PREFIX,
                "hash": SEED_PASSWORD_HASH,
                "base": SEED_BASE,
                "count": count,
            },
        )
        conn.execute("ANALYZE users")


def insert_admin_postgres(database_url: str, email: str) -> int:
    """An admin row for a baseline (which has no login endpoint); returns its internal id."""
    now = datetime.now(UTC)
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "INSERT INTO users (public_id, email, full_name, password_hash, role, status, version,"
            " created_at, updated_at)"
            " VALUES (%s, %s, 'Bench Admin', %s, 'admin', 'active', 1, %s, %s)"
            " RETURNING id",
            (uuid.uuid4(), email, SEED_PASSWORD_HASH, now, now),
        ).fetchone()
    assert row is not None
    return int(row[0])


_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}(?P<sep>[ T])\d{2}:\d{2}:\d{2}(?P<frac>\.\d+)?(?P<tz>.*)$")


def _sqlite_formatters(sample: dict[str, Any]) -> tuple[Any, Any]:
    """How this service stores UUIDs and timestamps in SQLite, read off its admin row."""
    pid = sample["public_id"]
    if isinstance(pid, bytes) and len(pid) == 16:

        def fmt_uuid(u: uuid.UUID) -> object:
            return u.bytes
    elif isinstance(pid, str) and len(pid) == 32:

        def fmt_uuid(u: uuid.UUID) -> object:
            return u.hex
    elif isinstance(pid, str) and len(pid) == 36:

        def fmt_uuid(u: uuid.UUID) -> object:
            return str(u)
    else:
        raise SeedError(f"cannot tell how public_id is stored from {pid!r}")
    stamp = sample["created_at"]
    match = _STAMP.match(stamp) if isinstance(stamp, str) else None
    if match is None:
        raise SeedError(f"cannot tell how timestamps are stored from {stamp!r}")
    pattern = "%Y-%m-%d" + match["sep"] + "%H:%M:%S" + (".%f" if match["frac"] else "")
    suffix = match["tz"]

    def fmt_time(t: datetime) -> object:
        return t.strftime(pattern) + suffix

    return fmt_uuid, fmt_time


def seed_sqlite(database_url: str, count: int) -> None:
    path = database_url.removeprefix("sqlite:///")
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.row_factory = sqlite3.Row
        _check_columns({r["name"] for r in conn.execute("PRAGMA table_info(users)")})
        sample = conn.execute("SELECT * FROM users ORDER BY id LIMIT 1").fetchone()
        if sample is None:
            raise SeedError("no admin row to read the storage formats from")
        fmt_uuid, fmt_time = _sqlite_formatters(dict(sample))
        rows = []
        for n in range(1, count + 1):
            stamp = fmt_time(SEED_BASE + timedelta(milliseconds=n))
            rows.append(
                (
                    fmt_uuid(uuid.UUID(f"{SEED_UUID_PREFIX}{n:012d}")),
                    f"seed-{n}@bench.example.com",
                    f"Seed User {n}",
                    SEED_PASSWORD_HASH,
                    "user",
                    "active",
                    1,
                    stamp,
                    stamp,
                )
            )
        with conn:
            conn.executemany(
                "INSERT INTO users (public_id, email, full_name, password_hash, role, status,"
                " version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        conn.execute("ANALYZE")
    finally:
        conn.close()


def seed(database_url: str, count: int) -> None:
    if database_url.startswith("sqlite:"):
        seed_sqlite(database_url, count)
    else:
        seed_postgres(database_url, count)
