"""Login (with the DB-backed rate limit) and bearer-token resolution."""

from __future__ import annotations

import asyncio
import math
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.repository import LoginFailureRepository
from app.auth.security import issue_token, token_subject, verify_password
from app.core.errors import InvalidCredentials, RateLimited, Unauthorized
from app.core.settings import Settings
from app.core.types import utcnow
from app.users.models import User
from app.users.repository import UserRepository

MAX_FAILURES = 10
WINDOW = timedelta(seconds=60)


async def token_issue(
    *, session: AsyncSession, settings: Settings, username: str, password: str
) -> str:
    email = username.strip().lower()
    failures = LoginFailureRepository(session)
    now = utcnow()
    recent = await failures.since(email, now - WINDOW)
    if len(recent) >= MAX_FAILURES:
        oldest = recent[-MAX_FAILURES]
        retry_after = math.ceil((oldest + WINDOW - now).total_seconds())
        raise RateLimited(max(1, retry_after))
    user = await UserRepository(session).get_by_email(email)
    # Always one argon2 verification, so unknown emails cost the same as wrong passwords.
    valid = await asyncio.to_thread(verify_password, user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        await failures.add(email, now)
        await failures.prune(now - WINDOW * 2)
        await session.commit()
        raise InvalidCredentials()
    return issue_token(
        user_id=user.id,
        secret_key=settings.secret_key,
        ttl_seconds=settings.access_token_ttl_seconds,
    )


async def user_from_token(
    *, session: AsyncSession, settings: Settings, authorization: str | None
) -> User:
    """The active user a `Bearer` token names; anything else is 401."""
    if not authorization:
        raise Unauthorized()
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    user_id = token_subject(token.strip(), secret_key=settings.secret_key)
    if user_id is None:
        raise Unauthorized()
    user = await UserRepository(session).get(user_id)
    if user is None or not user.is_active:
        raise Unauthorized()
    return user
