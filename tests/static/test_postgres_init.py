"""docker/postgres's init script, run for real with psql against the local PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.static.support import INIT_SCRIPT

# Same server as the shared suite's postgres backend; PG* variables, when set, win.
_SERVER = urlsplit(
    os.environ.get("BAKEOFF_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
)
PG_DEFAULTS = {
    "PGHOST": _SERVER.hostname or "127.0.0.1",
    "PGPORT": str(_SERVER.port or 5432),
    "PGUSER": _SERVER.username or "postgres",
}


def _env(databases: str) -> dict[str, str]:
    env = PG_DEFAULTS | {k: v for k, v in os.environ.items() if k.startswith("PG") or k == "PATH"}
    env |= {
        "POSTGRES_USER": env["PGUSER"],
        "POSTGRES_DB": "postgres",
        "BAKEOFF_DATABASES": databases,
    }
    return env


def _psql(sql: str) -> str:
    result = subprocess.run(
        ["psql", "-X", "-At", "-d", "postgres", "-c", sql],
        env=_env(""),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def _run_script(databases: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(INIT_SCRIPT)],
        env=_env(databases),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture
def names() -> Iterator[list[str]]:
    prefix = f"static_init_{uuid.uuid4().hex[:8]}"
    created = [f"{prefix}_a", f"{prefix}_b"]
    yield created
    for name in created:
        _psql(f'DROP DATABASE IF EXISTS "{name}"')


def _existing(names: list[str]) -> list[str]:
    rows = _psql("SELECT datname FROM pg_database ORDER BY datname").split()
    return [row for row in rows if row in names]


def test_creates_one_database_per_name_and_tolerates_a_rerun(names: list[str]) -> None:
    assert os.access(INIT_SCRIPT, os.X_OK), "the postgres image only runs executable *.sh files"
    first = _run_script(" ".join(names))
    assert first.returncode == 0, first.stderr
    assert _existing(names) == sorted(names)
    again = _run_script(" ".join(names))
    assert again.returncode == 0, again.stderr
    assert _existing(names) == sorted(names)


def test_refuses_a_name_that_is_not_an_identifier(names: list[str]) -> None:
    result = _run_script(f'{names[0]} "x;DROP')
    assert result.returncode != 0
    assert "refusing" in result.stderr
