"""token_issue: credentials checked against the hash, failures counted per email, then limited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from usersapi.authn.models import LoginFailure
from usersapi.authn.services import MAX_FAILURES, login_failures_prune, token_issue
from usersapi.authn.tokens import token_subject
from usersapi.core.errors import InvalidCredentials, RateLimited
from usersapi.users.models import User

from tests.factories import PASSWORD, create_user

pytestmark = pytest.mark.django_db


def test_a_token_is_issued_for_the_right_password_whatever_the_email_case() -> None:
    user = create_user("case@example.com")
    token = token_issue(username="  CASE@Example.com ", password=PASSWORD)
    assert token_subject(token.value) == user.pk
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
    User.objects.filter(pk=user.pk).update(status=User.Status.DISABLED)
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


def test_failures_older_than_the_window_do_not_count_and_are_pruned() -> None:
    user = create_user("old@example.com")
    LoginFailure.objects.bulk_create(
        LoginFailure(email="old@example.com", failed_at=timezone.now() - timedelta(seconds=61))
        for _ in range(MAX_FAILURES)
    )
    assert (
        token_subject(token_issue(username="old@example.com", password=PASSWORD).value) == user.pk
    )
    assert login_failures_prune() == MAX_FAILURES
    assert not LoginFailure.objects.exists()


def test_failures_for_one_email_do_not_limit_another() -> None:
    user = create_user("other@example.com")
    fail("attacked@example.com", MAX_FAILURES)
    token = token_issue(username="other@example.com", password=PASSWORD)
    assert token_subject(token.value) == user.pk
