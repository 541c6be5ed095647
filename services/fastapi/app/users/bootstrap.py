"""The admin account from ADMIN_EMAIL / ADMIN_PASSWORD, ensured at every start-up."""

import logging

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.users.service import admin_ensure

log = logging.getLogger(__name__)


async def admin_bootstrap(
    *, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """Create the admin if missing; an existing account is left as it is (no reset)."""
    if not (settings.admin_email and settings.admin_password):
        return
    try:
        async with sessions() as session:
            await admin_ensure(
                session=session,
                email=settings.admin_email,
                password=settings.admin_password,
                reset=False,
            )
    except (OperationalError, OSError):
        # Start anyway: /ready reports the database, and the next start-up retries.
        log.exception("admin bootstrap skipped: database unavailable")
        return
    log.info("admin account ensured")
