"""Dependency injection, Flask style: a before-request hook resolves the bearer token once,
views ask for `current_user()`."""

from __future__ import annotations

from flask import current_app, g, request

from app.auth.service import user_from_token
from app.core.errors import Unauthorized
from app.core.http import current_policy
from app.extensions import db
from app.users.models import User


def authenticate() -> None:
    """Step 5 of the contract's order: after 404/405/413/415, before the body is parsed."""
    if not current_policy().auth:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    settings = current_app.config["SETTINGS"]
    g.current_user = user_from_token(
        session=db.session, token=token.strip(), secret_key=settings.secret_key
    )


def current_user() -> User:
    user = g.get("current_user")
    if not isinstance(user, User):
        raise Unauthorized()
    return user
