"""Password login with a database-backed failed-login limit."""

import math
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

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
from app.core.db import utcnow
from app.core.errors import InvalidCredentials, RateLimited, Unauthorized
from app.users.models import User
from app.users.repository import UserRepository

FAILURE_WINDOW = timedelta(seconds=60)
MAX_FAILURES = 10


def normalize_email(value: str) -> str:
    return value.strip().lower()


async def token_issue(
    *, session: AsyncSession, settings: Settings, username: str, password: str
) -> AccessToken:
    email = normalize_email(username)
    failures = LoginFailureRepository(session)
    now = utcnow()
    window_start = now - FAILURE_WINDOW
    count, oldest = await failures.recent(email, window_start)
    if count >= MAX_FAILURES and oldest is not None:
        retry_after = math.ceil((oldest + FAILURE_WINDOW - now).total_seconds())
        raise RateLimited(max(1, retry_after))

    user = await UserRepository(session).get_by_email(email)
    # End the read transaction before the slow hash check, so no connection (or SQLite write
    # lock) is held during it; `user` stays usable (expire_on_commit=False).
    await session.commit()
    # Always verify (a dummy hash for unknown emails) so both failures take the same time.
    valid = await password_verify(password=password, encoded=user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        await failures.prune(email, window_start)
        await failures.add(email, now)
        await session.commit()
        raise InvalidCredentials()
    if password_needs_rehash(user.password_hash):
        rehashed = await password_hash(password)
        # Only if no PATCH changed the password meanwhile (not a change of the user: no version).
        await UserRepository(session).replace_password_hash(
            user_id=user.id, old=user.password_hash, new=rehashed
        )
        await session.commit()
    return token_encode(
        user_id=user.id,
        secret_key=settings.jwt_key,
        ttl_seconds=settings.access_token_ttl_seconds,
    )


async def user_from_token(*, session: AsyncSession, token: str | None, secret_key: str) -> User:
    """The active user a bearer token names; anything else is 401."""
    user_id = token_subject(token, secret_key=secret_key) if token else None
    if user_id is None:
        raise Unauthorized()
    user = await UserRepository(session).get(user_id)
    if user is None or not user.is_active:
        raise Unauthorized()
    return user
