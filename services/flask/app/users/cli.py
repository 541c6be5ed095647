"""`flask create-admin` and the start-up admin bootstrap (ADMIN_EMAIL / ADMIN_PASSWORD)."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, ValidationFailed
from app.core.security import password_hash
from app.core.validation import validate
from app.extensions import db
from app.users import service
from app.users.models import Role, Status
from app.users.repository import UserRepository
from app.users.schemas import UserV2Create

log = logging.getLogger(__name__)


def _admin_credentials() -> tuple[str, str] | None:
    settings = current_app.config["SETTINGS"]
    if not settings.admin_email or not settings.admin_password:
        return None
    data = validate(
        UserV2Create,
        {
            "email": settings.admin_email,
            "name": "Administrator",
            "password": settings.admin_password,
        },
        "body",
    )
    return data.email, data.password


def admin_bootstrap() -> None:
    """Create the admin if missing; racing workers are fine (the email is unique)."""
    credentials = _admin_credentials()
    if credentials is None:
        return
    email, password = credentials
    with db.standalone_session() as session:
        if UserRepository(session).get_by_email(email) is not None:
            return
        try:
            service.user_create(
                session=session,
                data=service.NewUser(
                    email=email, name="Administrator", password=password, role=Role.ADMIN
                ),
                request_id=f"bootstrap-{uuid.uuid4()}",
                send_welcome=False,
            )
            log.info("admin %s created", email)
        except (Conflict, IntegrityError):
            log.info("admin %s already exists", email)


@click.command("create-admin")
@with_appcontext
def create_admin_command() -> None:
    """Create the admin from ADMIN_EMAIL / ADMIN_PASSWORD, or make that user an active admin."""
    try:
        credentials = _admin_credentials()
    except ValidationFailed as exc:
        raise click.ClickException(
            f"ADMIN_EMAIL / ADMIN_PASSWORD are not valid: {exc.errors}"
        ) from exc
    if credentials is None:
        raise click.ClickException("ADMIN_EMAIL and ADMIN_PASSWORD must be set")
    email, password = credentials
    with db.standalone_session() as session:
        user = UserRepository(session).get_by_email(email)
        if user is None:
            service.user_create(
                session=session,
                data=service.NewUser(
                    email=email, name="Administrator", password=password, role=Role.ADMIN
                ),
                request_id=f"cli-{uuid.uuid4()}",
                send_welcome=False,
            )
            log.info("admin %s created", email)
            return
        user.role, user.status = Role.ADMIN, Status.ACTIVE
        user.password_hash = password_hash(password)
        user.version += 1
        user.updated_at = datetime.now(UTC)
        session.commit()
        log.info("user %s is now an active admin", email)
