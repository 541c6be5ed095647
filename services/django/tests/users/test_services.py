"""The users service layer, called directly (no HTTP): create, update, delete, admin_ensure."""

from __future__ import annotations

import pytest
from usersapi.auth.security import password_verify
from usersapi.core.context import request_id_var
from usersapi.core.errors import Conflict, Forbidden, PreconditionFailed, PreconditionRequired
from usersapi.outbox.models import OutboxMessage
from usersapi.users.models import Role, Status, User
from usersapi.users.services import (
    WELCOME_EMAIL,
    NewUser,
    UserChanges,
    admin_ensure,
    user_create,
    user_delete,
    user_update,
)

from tests.factories import PASSWORD, create_user

pytestmark = pytest.mark.django_db


def test_user_create_writes_the_user_and_its_welcome_job_together() -> None:
    token = request_id_var.set("req-1")
    try:
        data = NewUser(email="svc@example.com", full_name="Svc", password=PASSWORD)
        created = user_create(data=data, request_id=request_id_var.get())
    finally:
        request_id_var.reset(token)
    user = created.user
    user.refresh_from_db()
    assert (user.full_name, user.role, user.status, user.version) == ("Svc", "user", "active", 1)
    assert user.password_hash != PASSWORD
    assert password_verify(password=PASSWORD, encoded=user.password_hash)
    entry = OutboxMessage.objects.get()
    assert created.outbox_id == entry.pk
    assert entry.kind == WELCOME_EMAIL
    assert entry.payload == {"user_id": user.pk, "email": "svc@example.com", "name": "Svc"}
    assert (entry.request_id, entry.published_at, entry.delivered_at) == ("req-1", None, None)


def test_user_create_refuses_a_taken_email_and_writes_nothing() -> None:
    create_user("taken@example.com")
    with pytest.raises(Conflict):
        create_user("taken@example.com")
    assert User.objects.count() == OutboxMessage.objects.count() == 1


def test_update_checks_role_then_precondition_then_bumps_the_version() -> None:
    user = create_user()
    with pytest.raises(Forbidden):
        user_update(actor=user, user=user, changes=UserChanges(status=Status.DISABLED))
    with pytest.raises(PreconditionRequired):
        user_update(
            actor=user, user=user, changes=UserChanges(full_name="N"), require_if_match=True
        )
    with pytest.raises(PreconditionFailed):
        user_update(
            actor=user, user=user, changes=UserChanges(full_name="N"),
            require_if_match=True, if_match='W/"1"',
        )  # fmt: skip
    updated = user_update(
        actor=user, user=user, changes=UserChanges(full_name="N", password="new-pass-9"),
        require_if_match=True, if_match=user.etag,
    )  # fmt: skip
    assert (updated.full_name, updated.version) == ("N", 2)
    assert password_verify(
        password="new-pass-9", encoded=User.objects.get(pk=user.pk).password_hash
    )
    assert updated.etag != user.etag


def test_an_admin_may_change_admin_only_fields() -> None:
    admin = create_user(role=Role.ADMIN)
    user = create_user()
    changed = user_update(actor=admin, user=user, changes=UserChanges(status=Status.DISABLED))
    assert User.objects.get(pk=user.pk).status == changed.status == "disabled"


def test_a_write_since_the_read_fails_the_precondition() -> None:
    """If-Match is checked again on the locked row: a write between read and update is a 412."""
    user = create_user()
    stale = User.objects.get(pk=user.pk)
    user_update(actor=user, user=user, changes=UserChanges(full_name="First"))
    with pytest.raises(PreconditionFailed):
        user_update(
            actor=stale, user=stale, changes=UserChanges(full_name="Second"),
            require_if_match=True, if_match=stale.etag,
        )  # fmt: skip
    assert User.objects.get(pk=user.pk).full_name == "First"


def test_an_empty_update_changes_nothing() -> None:
    user = create_user()
    assert user_update(actor=user, user=user, changes=UserChanges()).version == 1


def test_update_to_a_taken_email_is_a_conflict() -> None:
    first, second = create_user(), create_user()
    with pytest.raises(Conflict):
        user_update(actor=second, user=second, changes=UserChanges(email=first.email))


def test_user_delete_removes_the_row() -> None:
    user = create_user()
    user_delete(user=user)
    assert not User.objects.filter(pk=user.pk).exists()


def test_admin_ensure_creates_once_without_a_welcome_email_and_resets_on_demand() -> None:
    admin = admin_ensure(email="boss@example.com", password="first-pass", reset=False)
    assert admin.is_admin
    assert not OutboxMessage.objects.exists()  # no welcome email for the admin
    User.objects.filter(pk=admin.pk).update(status=Status.DISABLED)
    assert admin_ensure(email="boss@example.com", password="other", reset=False).pk == admin.pk
    assert not User.objects.get(pk=admin.pk).is_active  # bootstrap leaves an existing user alone
    reset = admin_ensure(email="boss@example.com", password="second-pass", reset=True)
    assert (reset.is_active, reset.is_admin, reset.version) == (True, True, 2)
    assert password_verify(password="second-pass", encoded=reset.password_hash)
