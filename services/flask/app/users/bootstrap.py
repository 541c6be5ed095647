"""The admin from ADMIN_EMAIL / ADMIN_PASSWORD: created at start-up when missing."""

from __future__ import annotations

from flask import current_app

from app.core.validation import validate
from app.extensions import db
from app.users.schemas import UserV2Create
from app.users.service import admin_ensure


def admin_credentials() -> tuple[str, str] | None:
    """The configured admin's email and password, validated like a sign-up (422 rules)."""
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
    """Create the admin if missing (never resets it); racing workers are fine."""
    credentials = admin_credentials()
    if credentials is None:
        return
    email, password = credentials
    with db.sessionmaker() as session:
        admin_ensure(session=session, email=email, password=password, reset=False)
