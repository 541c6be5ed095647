"""`flask --app app create-admin`: create the admin, or make that user an active admin again."""

from __future__ import annotations

import logging

import click
from flask.cli import with_appcontext

from app.core.errors import ValidationFailed
from app.extensions import db
from app.users.bootstrap import admin_credentials
from app.users.service import admin_ensure

log = logging.getLogger(__name__)


@click.command("create-admin")
@with_appcontext
def create_admin_command() -> None:
    """Create the admin from ADMIN_EMAIL / ADMIN_PASSWORD, or make that user an active admin."""
    try:
        credentials = admin_credentials()
    except ValidationFailed as exc:
        raise click.ClickException(
            f"ADMIN_EMAIL / ADMIN_PASSWORD are not valid: {exc.errors}"
        ) from exc
    if credentials is None:
        raise click.ClickException("ADMIN_EMAIL and ADMIN_PASSWORD must be set")
    email, password = credentials
    with db.sessionmaker() as session:
        user = admin_ensure(session=session, email=email, password=password, reset=True)
    log.info("admin ready: id=%s email=%s", user.id, user.email)
