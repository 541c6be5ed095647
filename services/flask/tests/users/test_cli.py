from __future__ import annotations

import click
from app import create_app
from app.auth.models import LoginFailure
from app.core.config import Settings
from app.core.db import Base, create_engine
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.users.models import User
from app.users.repository import UserRepository
from flask import Flask
from flask.cli import run_command

from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD

_MODELS = (User, LoginFailure, OutboxMessage)  # every table, before the factory runs


def test_flask_run_bootstraps_the_admin(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    with click.Context(run_command):  # what `flask --app app run` is inside while it loads the app
        app = create_app(settings, TESTING=True)
    try:
        resp = app.test_client().post(
            "/api/v1/auth/token",
            data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
            content_type="application/x-www-form-urlencoded",
        )
        assert resp.status_code == 200, resp.get_json()
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_factory_alone_creates_no_admin(app: Flask) -> None:
    with app.app_context(), db.sessionmaker() as session:
        assert UserRepository(session).get_by_email(ADMIN_EMAIL) is None
