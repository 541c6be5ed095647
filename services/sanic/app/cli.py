"""Sanic CLI commands: `sanic app.cli:app exec create-admin` (reads ADMIN_EMAIL/ADMIN_PASSWORD)."""

from __future__ import annotations

import logging

from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker
from app.main import create_app
from app.users.service import admin_ensure

log = logging.getLogger("app.cli")
app = create_app()


@app.command(name="create-admin")  # type: ignore[untyped-decorator]
async def create_admin() -> None:
    """Create the admin, or make the user with ADMIN_EMAIL an active admin with ADMIN_PASSWORD."""
    settings = get_settings()
    if not (settings.admin_email and settings.admin_password):
        raise SystemExit("create-admin: set ADMIN_EMAIL and ADMIN_PASSWORD")
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            user = await admin_ensure(
                session=session,
                email=settings.admin_email,
                password=settings.admin_password,
                reset=True,
            )
        log.info("admin ready: %s (id %s)", user.email, user.id)
    finally:
        await engine.dispose()
