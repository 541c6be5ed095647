"""`python manage.py create_admin`: create ADMIN_EMAIL, or reset it to an active admin."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from usersapi.users.services import admin_ensure


class Command(BaseCommand):
    help = (
        "Create the admin from ADMIN_EMAIL / ADMIN_PASSWORD, or reset that user to an active admin."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.ADMIN_EMAIL and settings.ADMIN_PASSWORD):
            raise CommandError("ADMIN_EMAIL and ADMIN_PASSWORD must be set")
        user = admin_ensure(
            email=settings.ADMIN_EMAIL.strip().lower(), password=settings.ADMIN_PASSWORD, reset=True
        )
        self.stdout.write(f"admin ready: id={user.pk} email={user.email}")
