"""The users service layer, called directly with a session (no HTTP)."""

from __future__ import annotations

import pytest
from app.auth import security
from app.auth.security import password_verify
from app.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.users import service
from app.users.models import Role, Status, User
from flask import Flask
from sqlalchemy import delete, select

from tests.factories import ADMIN_EMAIL, PASSWORD, create_user


def test_user_create_writes_the_user_and_its_welcome_job_in_one_commit(app: Flask) -> None:
    created = create_user(app, "svc@example.com", name="Svc", request_id="req-1")
    with app.app_context(), db.sessionmaker() as session:
        user = session.scalars(select(User).where(User.email == "svc@example.com")).one()
        assert user.public_id == created.user.public_id
        assert (user.full_name, user.role, user.status, user.version) == (
            "Svc",
            "user",
            "active",
            1,
        )
        assert user.password_hash != PASSWORD
        assert password_verify(password=PASSWORD, encoded=user.password_hash)
        message = session.get_one(OutboxMessage, created.outbox_id)
        assert message.payload == {"email": "svc@example.com", "name": "Svc"}
        assert message.request_id == "req-1"


def test_user_create_publishes_only_after_commit(app: Flask) -> None:
    jobs: list[object] = []
    with app.app_context():
        created = service.user_create(
            session=db.session,
            data=service.NewUser(email="later@example.com", full_name="L", password=PASSWORD),
            request_id="req-2",
            after_commit=jobs.append,
        )
        with db.sessionmaker() as other:  # committed: another session sees both rows
            assert other.get(OutboxMessage, created.outbox_id) is not None
            assert other.get_one(OutboxMessage, created.outbox_id).published_at is None
    assert len(jobs) == 1


def test_user_create_refuses_a_taken_email(app: Flask) -> None:
    create_user(app, "taken@example.com")
    with pytest.raises(Conflict):
        create_user(app, "taken@example.com")
    with app.app_context(), db.sessionmaker() as session:
        assert len(session.scalars(select(OutboxMessage)).all()) == 1


def test_a_non_admin_sees_only_itself_and_cannot_list(app: Flask) -> None:
    alice = create_user(app).user
    bob = create_user(app).user
    with app.app_context(), db.sessionmaker() as session:
        assert (
            service.user_get_visible(session=session, actor=alice, user_id=alice.id).id == alice.id
        )
        with pytest.raises(NotFound):
            service.user_get_visible(session=session, actor=alice, user_id=bob.id)
        with pytest.raises(NotFound):
            service.user_get_visible(session=session, actor=alice, public_id=bob.public_id)
        with pytest.raises(Forbidden):
            service.user_list_by_id(session=session, actor=alice, offset=0, limit=10)


def test_keyset_pages_walk_every_user_once(app: Flask) -> None:
    admin = create_user(app, role="admin").user
    for _ in range(4):
        create_user(app)
    seen: list[str] = []
    cursor: str | None = None
    with app.app_context(), db.sessionmaker() as session:
        while True:
            page, cursor = service.user_list_by_creation(
                session=session, actor=admin, limit=2, cursor=cursor, status=None, email=None
            )
            seen += [str(u.public_id) for u in page]
            if cursor is None:
                break
    assert len(seen) == len(set(seen)) == 5


def test_update_checks_role_and_precondition_then_bumps_the_version(app: Flask) -> None:
    user = create_user(app).user
    with app.app_context(), db.sessionmaker() as session:
        target = session.get_one(User, user.id)
        with pytest.raises(Forbidden):
            service.user_update(
                session=session, actor=target, user=target,
                changes=service.UserChanges(status=Status.DISABLED),
            )  # fmt: skip
        with pytest.raises(PreconditionRequired):
            service.user_update(
                session=session, actor=target, user=target,
                changes=service.UserChanges(full_name="N"), require_if_match=True,
            )  # fmt: skip
        updated = service.user_update(
            session=session, actor=target, user=target,
            changes=service.UserChanges(full_name="N", password="new-password-9"),
            if_match=target.etag, require_if_match=True,
        )  # fmt: skip
        assert (updated.full_name, updated.version) == ("N", 2)
        assert password_verify(password="new-password-9", encoded=updated.password_hash)


def test_user_changes_know_when_they_are_empty_or_admin_only() -> None:
    assert service.UserChanges().is_empty()
    assert not service.UserChanges(full_name="N").is_empty()
    assert not service.UserChanges(email="e@example.com").touches_admin_fields()
    assert service.UserChanges(role=Role.ADMIN).touches_admin_fields()
    assert service.UserChanges(status=Status.ACTIVE).touches_admin_fields()


def test_update_to_a_taken_email_is_a_conflict(app: Flask) -> None:
    first = create_user(app).user
    second = create_user(app).user
    with app.app_context(), db.sessionmaker() as session:
        target = session.get_one(User, second.id)
        with pytest.raises(Conflict):
            service.user_update(
                session=session, actor=target, user=target,
                changes=service.UserChanges(email=first.email),
            )  # fmt: skip


def test_user_delete_removes_the_row(app: Flask) -> None:
    user = create_user(app).user
    with app.app_context(), db.sessionmaker() as session:
        service.user_delete(session=session, user=session.get_one(User, user.id))
    with app.app_context(), db.sessionmaker() as session:
        assert session.get(User, user.id) is None


def test_a_write_between_the_read_and_the_lock_fails_v2_only(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write committed while the PATCH hashes (after its unlocked read, before its lock):
    the locked re-check answers v2 with 412; v1 applies on the fresh row."""
    create_user(app, ADMIN_EMAIL, role="admin")
    user_id = create_user(app, "race@example.com").user.id
    real_hash = security.password_hash

    def hash_while_another_writes(password: str) -> str:
        with db.sessionmaker() as writer:
            other = writer.get(User, user_id)
            if other is not None:
                other.full_name = "Other Writer"
                other.version += 1
                writer.commit()
        return real_hash(password)

    monkeypatch.setattr(service, "password_hash", hash_while_another_writes)
    changes = service.UserChanges(full_name="Mine", password="new-password-9")
    with app.app_context(), db.sessionmaker() as reader:
        actor = reader.scalars(select(User).where(User.email == ADMIN_EMAIL)).one()
        target = reader.get_one(User, user_id)
        with pytest.raises(PreconditionFailed):
            service.user_update(
                session=reader, actor=actor, user=target, changes=changes,
                if_match=target.etag, require_if_match=True,
            )  # fmt: skip

        target = reader.get_one(User, user_id, populate_existing=True)
        assert (target.full_name, target.version) == ("Other Writer", 2)
        updated = service.user_update(session=reader, actor=actor, user=target, changes=changes)
        assert (updated.full_name, updated.version) == ("Mine", 4)

        with db.sessionmaker() as writer:
            writer.execute(delete(User).where(User.id == user_id))
            writer.commit()
        with pytest.raises(NotFound):
            service.user_update(session=reader, actor=actor, user=updated, changes=changes)


def test_admin_ensure_creates_once_and_resets_on_request(app: Flask) -> None:
    with app.app_context(), db.sessionmaker() as session:
        admin = service.admin_ensure(
            session=session, email="Boss@Example.com", password=PASSWORD, reset=False
        )
        assert (admin.email, admin.role, admin.version) == ("boss@example.com", "admin", 1)
        admin.status = Status.DISABLED
        session.commit()
        same = service.admin_ensure(
            session=session, email="boss@example.com", password="other-password-1", reset=False
        )
        assert (same.id, same.status) == (admin.id, "disabled")
        reset = service.admin_ensure(
            session=session, email="boss@example.com", password="other-password-1", reset=True
        )
        assert (reset.id, reset.status, reset.version) == (admin.id, "active", 2)
        assert password_verify(password="other-password-1", encoded=reset.password_hash)
