import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from app.core.config import get_settings

SERVICE_DIR = Path(__file__).resolve().parents[1]


def test_migrations_create_the_contract_tables(database_url: str) -> None:
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        columns = [row[1] for row in connection.execute("PRAGMA table_info(users)")]
    assert {"users", "login_failures", "outbox", "alembic_version"} <= tables
    assert columns == [
        "id", "public_id", "email", "full_name", "password_hash", "role", "status",
        "version", "created_at", "updated_at",
    ]  # fmt: skip


def test_migrating_a_fresh_copy_creates_the_sqlite_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `alembic upgrade head` is the first command in a fresh copy: nothing has made var/ yet.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/app.db")
    config = Config(str(SERVICE_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(SERVICE_DIR / "migrations"))
    get_settings.cache_clear()
    try:
        command.upgrade(config, "head")
    finally:
        get_settings.cache_clear()
    assert (tmp_path / "var" / "app.db").is_file()
