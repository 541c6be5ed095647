"""Login: rate limit, credentials, token. Keyword-only, framework-free."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app.auth.repository import LoginFailureRepository
from app.core.errors import InvalidCredentials, RateLimited, Unauthorized
from app.core.security import IssuedToken, password_verify, token_issue, token_subject
from app.users.models import User
from app.users.repository import UserRepository

MAX_FAILURES = 10
WINDOW = timedelta(seconds=60)


def _naive_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def token_create(
    *, session: Session, username: str, password: str, secret: str, ttl_seconds: int
) -> IssuedToken:
    email = username.strip().lower()
    now = datetime.now(UTC)
    failures = LoginFailureRepository(session)
    recent = failures.recent(email=email, since=now - WINDOW)
    if len(recent) >= MAX_FAILURES:
        oldest = _naive_utc(recent[0])
        retry_after = max(1, math.ceil((oldest + WINDOW - now).total_seconds()))
        raise RateLimited(retry_after)
    user = UserRepository(session).get_by_email(email)
    valid = password_verify(password_hash=user.password_hash if user else None, password=password)
    if user is None or not valid or not user.is_active:
        failures.add(email=email, at=now)
        failures.prune(before=now - WINDOW * 10)
        session.commit()
        raise InvalidCredentials()
    return token_issue(user_id=user.id, secret=secret, ttl_seconds=ttl_seconds)


def user_from_token(*, session: Session, token: str, secret: str) -> User:
    user_id = token_subject(token=token, secret=secret)
    user = UserRepository(session).get(user_id) if user_id is not None else None
    if user is None or not user.is_active:
        raise Unauthorized()
    return user
