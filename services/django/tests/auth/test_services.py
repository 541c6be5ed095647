"""token_issue: credentials checked against the hash, failures counted per email, then limited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from usersapi.auth.hashers import Argon2idHasher
from usersapi.auth.models import LoginFailure
from usersapi.auth.security import password_needs_rehash, token_subject
from usersapi.auth.services import MAX_FAILURES, token_issue
from usersapi.core.errors import InvalidCredentials, RateLimited
from usersapi.users.models import Status, User

from tests.factories import PASSWORD, create_user

pytestmark = pytest.mark.django_db


def subject(token: str) -> int | None:
    return token_subject(token, secret_key=settings.SECRET_KEY)


def test_a_token_is_issued_for_the_right_password_whatever_the_email_case() -> None:
    user = create_user("case@example.com")
    token = token_issue(username="  CASE@Example.com ", password=PASSWORD)
    assert subject(token.access_token) == user.pk
    assert not LoginFailure.objects.exists()


@pytest.mark.parametrize(
    ("username", "password"),
    [("known@example.com", "wrong-password"), ("nobody@example.com", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_bad_credentials_are_refused_alike_and_counted(username: str, password: str) -> None:
    create_user("known@example.com")
    with pytest.raises(InvalidCredentials) as refused:
        token_issue(username=username, password=password)
    assert refused.value.detail == "Incorrect email or password"
    assert refused.value.headers() == {"WWW-Authenticate": "Bearer"}
    assert list(LoginFailure.objects.values_list("email", flat=True)) == [username]


def test_an_inactive_user_gets_no_token_even_with_the_right_password() -> None:
    user = create_user("off@example.com")
    User.objects.filter(pk=user.pk).update(status=Status.DISABLED)
    with pytest.raises(InvalidCredentials):
        token_issue(username="off@example.com", password=PASSWORD)


def fail(email: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            token_issue(username=email, password="wrong-password")


def test_the_eleventh_attempt_within_a_minute_is_limited_even_with_the_right_password() -> None:
    create_user("limited@example.com")
    fail("limited@example.com", MAX_FAILURES)
    with pytest.raises(RateLimited) as limited:
        token_issue(username="LIMITED@example.com", password=PASSWORD)
    assert 1 <= int(limited.value.headers()["Retry-After"]) <= 60
    assert LoginFailure.objects.count() == MAX_FAILURES  # a limited attempt is not counted


def test_retry_after_counts_down_to_when_the_oldest_failure_leaves_the_window() -> None:
    now = timezone.now()
    LoginFailure.objects.bulk_create(
        LoginFailure(email="slow@example.com", failed_at=now - timedelta(seconds=45 - n))
        for n in range(MAX_FAILURES)
    )
    with pytest.raises(RateLimited) as limited:
        token_issue(username="slow@example.com", password=PASSWORD)
    assert int(limited.value.headers()["Retry-After"]) in (15, 16)


def test_failures_older_than_the_window_do_not_count() -> None:
    user = create_user("old@example.com")
    LoginFailure.objects.bulk_create(
        LoginFailure(email="old@example.com", failed_at=timezone.now() - timedelta(seconds=61))
        for _ in range(MAX_FAILURES)
    )
    assert (
        subject(token_issue(username="old@example.com", password=PASSWORD).access_token) == user.pk
    )


def test_a_failing_login_prunes_its_own_emails_old_failures_only() -> None:
    old = timezone.now() - timedelta(seconds=61)
    LoginFailure.objects.bulk_create(
        LoginFailure(email=email, failed_at=old)
        for email in ("pruned@example.com", "pruned@example.com", "other@example.com")
    )
    fail("pruned@example.com", 1)
    remaining = LoginFailure.objects.values_list("email", "failed_at")
    assert sorted(email for email, _ in remaining) == ["other@example.com", "pruned@example.com"]
    assert LoginFailure.objects.get(email="pruned@example.com").failed_at > old


def test_a_login_rehashes_a_hash_with_old_parameters() -> None:
    user = create_user("rehash@example.com")
    production = Argon2idHasher().encode(PASSWORD, Argon2idHasher().salt())
    User.objects.filter(pk=user.pk).update(password_hash=production)
    token_issue(username="rehash@example.com", password=PASSWORD)
    user.refresh_from_db()
    assert user.password_hash != production
    assert not password_needs_rehash(user.password_hash)
    assert user.version == 1  # not a change of the user: the ETag stays


def test_failures_for_one_email_do_not_limit_another() -> None:
    user = create_user("other@example.com")
    fail("attacked@example.com", MAX_FAILURES)
    token = token_issue(username="other@example.com", password=PASSWORD)
    assert subject(token.access_token) == user.pk
