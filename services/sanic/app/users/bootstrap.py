"""Admin bootstrap (start-up) and the create-admin command's service function."""

from __future__ import annotations

import asyncio
import logging
import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.security import hash_password
from app.core.settings import Settings
from app.core.types import utcnow
from app.users.fields import normalise_email
from app.users.models import User
from app.users.repository import UserRepository

log = logging.getLogger("app.users")


async def admin_ensure(
    *, session: AsyncSession, email: str, password: str, overwrite: bool
) -> User:
    """Create the admin; with `overwrite`, make an existing user an active admin with `password`."""
    email = normalise_email(email)
    users = UserRepository(session)
    user = await users.get_by_email(email)
    password_hash = await asyncio.to_thread(hash_password, password)
    now = utcnow()
    if user is None:
        user = User(
            public_id=uuid.uuid4(),
            email=email,
            full_name="Administrator",
            password_hash=password_hash,
            role="admin",
            status="active",
            version=1,
            created_at=now,
            updated_at=now,
        )
        await users.add(user)
    elif overwrite:
        user.role, user.status, user.password_hash = "admin", "active", password_hash
        user.version += 1
        user.updated_at = now
    await session.commit()
    return user


async def admin_bootstrap(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    if not (settings.admin_email and settings.admin_password):
        return
    async with sessionmaker() as session:
        if await UserRepository(session).get_by_email(settings.admin_email.strip().lower()):
            return
        try:
            await admin_ensure(
                session=session,
                email=settings.admin_email,
                password=settings.admin_password,
                overwrite=False,
            )
            log.info("bootstrapped admin %s", settings.admin_email)
        except IntegrityError:
            log.info("admin %s was created by another worker", settings.admin_email)
