"""Admin bootstrap at start-up (each worker; the first one creates it)."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.users.repository import UserRepository
from app.users.service import admin_ensure

log = logging.getLogger("app.users")


async def admin_bootstrap(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    if not (settings.admin_email and settings.admin_password):
        return
    async with sessionmaker() as session:
        if await UserRepository(session).get_by_email(settings.admin_email.strip().lower()):
            return
        await session.commit()  # no transaction open while admin_ensure hashes
        try:
            await admin_ensure(
                session=session,
                email=settings.admin_email,
                password=settings.admin_password,
                reset=False,
            )
            log.info("bootstrapped admin %s", settings.admin_email)
        except IntegrityError:
            log.info("admin %s was created by another worker", settings.admin_email)
