"""Operator commands: `python -m app.users.cli create-admin` (ADMIN_EMAIL, ADMIN_PASSWORD)."""

import asyncio
import logging

import typer

from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker
from app.core.logging import configure_logging
from app.users.service import admin_ensure

cli = typer.Typer(help=__doc__, no_args_is_help=True)
log = logging.getLogger(__name__)


@cli.callback()
def main() -> None:
    """Users API operator commands."""
    # A callback keeps `create-admin` a named subcommand even while it is the only one.


async def _create_admin(email: str, password: str) -> None:
    engine = create_engine(get_settings().database_url, pooled=False)
    try:
        async with create_sessionmaker(engine)() as session:
            user = await admin_ensure(session=session, email=email, password=password, reset=True)
            log.info("admin ready: id=%s email=%s", user.id, user.email)
    finally:
        await engine.dispose()


@cli.command("create-admin")
def create_admin() -> None:
    """Create the admin, or make the user with ADMIN_EMAIL an active admin with ADMIN_PASSWORD."""
    settings = get_settings()
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    if not settings.admin_email or not settings.admin_password:
        log.error("ADMIN_EMAIL and ADMIN_PASSWORD must be set")
        raise typer.Exit(code=2)
    asyncio.run(_create_admin(settings.admin_email, settings.admin_password))


if __name__ == "__main__":
    cli()
