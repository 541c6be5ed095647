"""Alembic, async: the URL comes from the same settings object as the app."""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

import app.auth.models
import app.outbox.models
import app.users.models  # noqa: F401 - registers the tables on Base.metadata
from alembic import context
from app.core.config import get_settings
from app.core.db import Base, create_engine
from sqlalchemy.engine import Connection

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
target_metadata = Base.metadata


def run_offline() -> None:
    from app.core.db import async_url

    context.configure(
        url=async_url(get_settings().database_url).render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    engine = create_engine(get_settings())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def declare_embedded_broker_queue() -> None:
    """`alembic upgrade head` from the command line does what `python -m app.migrate` does: with
    the embedded broker it also declares the queue before the API and worker first use it (kombu's
    SQLAlchemy transport creates it check-then-insert, so two processes starting together race).
    A Redis broker needs no declaration and is not contacted here."""
    if config.cmd_opts is None or not get_settings().broker_url.startswith("sqla+"):
        return  # called from code (app.migrate declares the queue itself; tests need none)
    from app.migrate import prepare_broker

    prepare_broker()


if context.is_offline_mode():
    run_offline()
else:
    asyncio.run(run_online())
    declare_embedded_broker_queue()
