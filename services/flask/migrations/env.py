"""Alembic environment: the URL comes from the same Settings object as the app."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from app.auth.models import LoginFailure
from app.core.config import get_settings
from app.core.db import Base, create_engine
from app.outbox.models import OutboxMessage
from app.users.models import User

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = Base.metadata
_MODELS = (User, LoginFailure, OutboxMessage)  # imported so the metadata knows every table


def run_migrations_online() -> None:
    engine = create_engine(get_settings().database_url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
