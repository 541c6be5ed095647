"""Password login with a database-backed failed-login limit."""

import math
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.repository import LoginFailureRepository
from app.auth.security import (
    AccessToken,
    create_access_token,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import BadCredentials, RateLimited
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
    valid = await verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        await failures.prune(email, window_start)
        await failures.add(email, now)
        await session.commit()
        raise BadCredentials()
    if needs_rehash(user.password_hash):
        user.password_hash = await hash_password(password)
        await session.commit()
    return create_access_token(
        subject=str(user.id),
        secret_key=settings.jwt_key,
        ttl_seconds=settings.access_token_ttl_seconds,
    )
