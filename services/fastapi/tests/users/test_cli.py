import os
import sqlite3
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from app.core.config import get_settings
from app.users.cli import cli


def users(database_url: str) -> list[tuple[str, str, str]]:
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        return connection.execute("SELECT email, role, status FROM users").fetchall()


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("ADMIN_EMAIL", "Root@Example.com")
    monkeypatch.setenv("ADMIN_PASSWORD", "root-password-1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_create_admin_creates_then_repairs(env: None, database_url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["create-admin"]).exit_code == 0
    assert users(database_url) == [("root@example.com", "admin", "active")]
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        connection.execute("UPDATE users SET role='user', status='disabled'")
    assert runner.invoke(cli, ["create-admin"]).exit_code == 0
    assert users(database_url) == [("root@example.com", "admin", "active")]


def test_create_admin_needs_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADMIN_EMAIL", raising=False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    get_settings.cache_clear()
    try:
        assert CliRunner().invoke(cli, ["create-admin"]).exit_code == 2
    finally:
        get_settings.cache_clear()
    assert "ADMIN_EMAIL" not in os.environ
