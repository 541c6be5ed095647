"""Reads of users: active lookups, who may see whom, offset and keyset pages."""

from __future__ import annotations

import pytest
from usersapi.core.errors import Forbidden, InvalidCursor, NotFound
from usersapi.users.models import Role, Status, User
from usersapi.users.selectors import (
    user_get_active,
    user_get_visible,
    user_list_by_creation,
    user_list_by_id,
)

from tests.factories import create_user

pytestmark = pytest.mark.django_db


def test_user_get_active_skips_disabled_and_missing_users() -> None:
    user = create_user()
    assert user_get_active(user_id=user.pk) == user
    User.objects.filter(pk=user.pk).update(status=Status.DISABLED)
    assert user_get_active(user_id=user.pk) is None
    assert user_get_active(user_id=user.pk + 1000) is None


def test_a_user_sees_itself_only_and_others_are_not_found() -> None:
    alice, bob = create_user(), create_user()
    assert user_get_visible(actor=alice, user_id=alice.pk) == alice
    assert user_get_visible(actor=alice, public_id=alice.public_id) == alice
    with pytest.raises(NotFound):
        user_get_visible(actor=alice, user_id=bob.pk)
    with pytest.raises(NotFound):
        user_get_visible(actor=alice, public_id=bob.public_id)


def test_an_admin_sees_anyone_and_missing_users_are_not_found() -> None:
    admin, bob = create_user(role=Role.ADMIN), create_user()
    assert user_get_visible(actor=admin, public_id=bob.public_id) == bob
    with pytest.raises(NotFound):
        user_get_visible(actor=admin, user_id=bob.pk + 1000)


def test_offset_pages_are_ordered_by_id_with_the_total_for_admins_only() -> None:
    admin = create_user(role=Role.ADMIN)
    ids = [admin.pk] + [create_user().pk for _ in range(4)]
    page, total = user_list_by_id(actor=admin, offset=1, limit=2)
    assert [u.pk for u in page] == ids[1:3]
    assert total == 5
    with pytest.raises(Forbidden):
        user_list_by_id(actor=User.objects.get(pk=ids[1]), offset=0, limit=1)


def test_keyset_pages_walk_every_user_once_and_filter() -> None:
    admin = create_user(role=Role.ADMIN)
    users = [admin] + [create_user() for _ in range(4)]
    User.objects.filter(pk=users[1].pk).update(status=Status.DISABLED)
    seen: list[User] = []
    cursor = None
    while True:
        page, cursor = user_list_by_creation(
            actor=admin, limit=2, cursor=cursor, status=None, email=None
        )
        seen += page
        if cursor is None:
            break
    assert sorted(u.pk for u in seen) == sorted(u.pk for u in users)
    assert len(seen) == 5
    active, _ = user_list_by_creation(
        actor=admin, limit=10, cursor=None, status="active", email=None
    )
    assert users[1] not in active
    assert len(active) == 4
    one = user_list_by_creation(
        actor=admin, limit=10, cursor=None, status=None, email=users[2].email
    )
    assert one == ([users[2]], None)


def test_a_bad_cursor_is_400_before_the_403() -> None:
    with pytest.raises(InvalidCursor):
        user_list_by_creation(actor=create_user(), limit=1, cursor="!!", status=None, email=None)
