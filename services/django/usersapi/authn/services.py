"""Login: the database-backed rate limit, then credentials, then a token."""

from __future__ import annotations

import math
from datetime import timedelta

from django.utils import timezone

from usersapi.authn.models import LoginFailure
from usersapi.authn.passwords import password_verify
from usersapi.authn.tokens import AccessToken, token_encode
from usersapi.core.errors import InvalidCredentials, RateLimited
from usersapi.users.models import User

MAX_FAILURES = 10
WINDOW = timedelta(seconds=60)


def token_issue(*, username: str, password: str) -> AccessToken:
    email = username.strip().lower()
    _check_rate_limit(email=email)
    user = User.objects.filter(email=email).first()
    valid = password_verify(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        LoginFailure.objects.create(email=email, failed_at=timezone.now())
        raise InvalidCredentials()
    return token_encode(user_id=user.pk)


def _check_rate_limit(*, email: str) -> None:
    now = timezone.now()
    recent = list(
        LoginFailure.objects.filter(email=email, failed_at__gt=now - WINDOW)
        .order_by("-failed_at")
        .values_list("failed_at", flat=True)[:MAX_FAILURES]
    )
    if len(recent) >= MAX_FAILURES:
        oldest = recent[-1]  # the oldest of the last MAX_FAILURES failures
        raise RateLimited(math.ceil((oldest + WINDOW - now).total_seconds()))


def login_failures_prune() -> int:
    """Rows older than the window are never read again."""
    deleted, _ = LoginFailure.objects.filter(failed_at__lte=timezone.now() - WINDOW).delete()
    return deleted
