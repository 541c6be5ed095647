"""Login: rate limit, credentials, token. Keyword-only, framework-free."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app.auth.repository import LoginFailureRepository
from app.auth.security import (
    AccessToken,
    password_hash,
    password_needs_rehash,
    password_verify,
    token_encode,
    token_subject,
)
from app.core.config import Settings
from app.core.errors import InvalidCredentials, RateLimited, Unauthorized
from app.users.models import User
from app.users.repository import UserRepository

MAX_FAILURES = 10
WINDOW = timedelta(seconds=60)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value  # SQLite: naive UTC


def token_issue(
    *, session: Session, username: str, password: str, settings: Settings
) -> AccessToken:
    email = username.strip().lower()
    now = datetime.now(UTC)
    window_start = now - WINDOW
    failures = LoginFailureRepository(session)
    recent = failures.recent(email, window_start)
    if len(recent) >= MAX_FAILURES:
        retry_after = math.ceil((_aware(recent[0]) + WINDOW - now).total_seconds())
        raise RateLimited(max(1, retry_after))
    user = UserRepository(session).get_by_email(email)
    # End the read transaction before the slow check: no pooled connection (or SQLite lock) is
    # held while argon2 runs; `user` stays usable (expire_on_commit=False).
    session.commit()
    valid = password_verify(password=password, encoded=user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        failures.prune(email, window_start)
        failures.add(email, now)
        session.commit()
        raise InvalidCredentials()
    if password_needs_rehash(user.password_hash):
        rehashed = password_hash(password)
        # Only if no PATCH changed the password meanwhile (not a change of the user: no version).
        UserRepository(session).replace_password_hash(
            user_id=user.id, old=user.password_hash, new=rehashed
        )
        session.commit()
    return token_encode(
        user_id=user.id,
        secret_key=settings.secret_key,
        ttl_seconds=settings.access_token_ttl_seconds,
    )


def user_from_token(*, session: Session, token: str, secret_key: str) -> User:
    user_id = token_subject(token, secret_key=secret_key)
    user = UserRepository(session).get(user_id) if user_id is not None else None
    if user is None or not user.is_active:
        raise Unauthorized()
    return user
