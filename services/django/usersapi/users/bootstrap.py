from __future__ import annotations

import logging

from django.conf import settings

from usersapi.users.services import admin_ensure

log = logging.getLogger(__name__)


def admin_bootstrap() -> None:
    """At start-up: create ADMIN_EMAIL as an admin unless it exists (idempotent, race-safe)."""
    if not (settings.ADMIN_EMAIL and settings.ADMIN_PASSWORD):
        return
    email = settings.ADMIN_EMAIL.strip().lower()
    user = admin_ensure(email=email, password=settings.ADMIN_PASSWORD, reset=False)
    log.info("admin bootstrap: user %s present", user.pk)
