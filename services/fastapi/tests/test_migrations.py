import sqlite3


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
