"""`manage.py create_admin`: creates the admin, or turns that user back into an active admin."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from usersapi.auth.security import password_verify
from usersapi.users.models import Role, Status, User

pytestmark = pytest.mark.django_db


@override_settings(ADMIN_EMAIL=" Boss@Example.com ", ADMIN_PASSWORD="first-password")
def test_creates_then_resets() -> None:
    call_command("create_admin")
    admin = User.objects.get(email="boss@example.com")
    assert admin.is_admin
    assert admin.is_active

    User.objects.filter(pk=admin.pk).update(role=Role.USER, status=Status.DISABLED)
    with override_settings(ADMIN_PASSWORD="second-password"):
        call_command("create_admin")
    admin.refresh_from_db()
    assert (admin.role, admin.status, admin.version) == ("admin", "active", 2)
    assert password_verify(password="second-password", encoded=admin.password_hash)
    assert User.objects.count() == 1


@override_settings(ADMIN_EMAIL=None, ADMIN_PASSWORD=None)
def test_needs_the_environment() -> None:
    with pytest.raises(CommandError, match="ADMIN_EMAIL"):
        call_command("create_admin")
