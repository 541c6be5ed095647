"""Login: credentials against the argon2 hash, failures counted per email, bearer resolution."""

from __future__ import annotations

import pytest
from app.auth import service
from app.auth.security import token_encode, token_subject
from app.core.config import Settings
from app.core.errors import InvalidCredentials, RateLimited, Unauthorized
from app.users.models import User
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import PASSWORD, create_user


async def login(session: AsyncSession, settings: Settings, username: str, password: str) -> int:
    token = await service.token_issue(
        session=session, settings=settings, username=username, password=password
    )
    subject = token_subject(token.access_token, secret_key=settings.secret_key)
    assert subject is not None
    return subject


async def test_a_token_is_issued_for_the_right_password_whatever_the_email_case(
    settings: Settings, session: AsyncSession
) -> None:
    user = (await create_user(settings, "case@example.com")).user
    assert await login(session, settings, "  CASE@Example.com ", PASSWORD) == user.id


@pytest.mark.parametrize(
    ("username", "password"),
    [("known@example.com", "wrong-password"), ("nobody@example.com", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
async def test_bad_credentials_are_refused_alike(
    settings: Settings, session: AsyncSession, username: str, password: str
) -> None:
    await create_user(settings, "known@example.com")
    with pytest.raises(InvalidCredentials):
        await login(session, settings, username, password)


async def test_an_inactive_user_gets_no_token(settings: Settings, session: AsyncSession) -> None:
    user = (await create_user(settings, "off@example.com")).user
    stored = await session.get_one(User, user.id)
    stored.status = "disabled"
    await session.commit()
    with pytest.raises(InvalidCredentials):
        await login(session, settings, "off@example.com", PASSWORD)


async def test_the_eleventh_attempt_within_a_minute_is_limited_even_with_the_right_password(
    settings: Settings, session: AsyncSession
) -> None:
    await create_user(settings, "limited@example.com")
    for _ in range(service.MAX_FAILURES):
        with pytest.raises(InvalidCredentials):
            await login(session, settings, "limited@example.com", "wrong-password")
    with pytest.raises(RateLimited):
        await login(session, settings, "limited@example.com", PASSWORD)


async def test_failures_for_one_email_do_not_limit_another(
    settings: Settings, session: AsyncSession
) -> None:
    user = (await create_user(settings, "other@example.com")).user
    for _ in range(service.MAX_FAILURES):
        with pytest.raises(InvalidCredentials):
            await login(session, settings, "attacked@example.com", "wrong-password")
    assert await login(session, settings, "other@example.com", PASSWORD) == user.id


async def test_a_token_of_a_deleted_user_is_unauthorized(
    settings: Settings, session: AsyncSession
) -> None:
    user = (await create_user(settings)).user
    token = token_encode(user_id=user.id, secret_key=settings.secret_key, ttl_seconds=60)
    key = settings.secret_key
    found = await service.user_from_token(session=session, token=token.access_token, secret_key=key)
    assert found.id == user.id
    await session.delete(found)
    await session.commit()
    with pytest.raises(Unauthorized):
        await service.user_from_token(session=session, token=token.access_token, secret_key=key)
