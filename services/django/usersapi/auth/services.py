"""Password login with a database-backed failed-login limit."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from usersapi.auth.models import LoginFailure
from usersapi.auth.security import (
    AccessToken,
    password_hash,
    password_needs_rehash,
    password_verify,
    token_encode,
    token_subject,
)
from usersapi.core.errors import InvalidCredentials, RateLimited, Unauthorized
from usersapi.users.models import User
from usersapi.users.selectors import user_get_active

MAX_FAILURES = 10
WINDOW = timedelta(seconds=60)


def token_issue(*, username: str, password: str) -> AccessToken:
    email = username.strip().lower()
    now = timezone.now()
    recent = LoginFailure.objects.recent(email, now - WINDOW, limit=MAX_FAILURES)
    if len(recent) >= MAX_FAILURES:
        oldest = recent[-1]  # the oldest of the last MAX_FAILURES failures
        raise RateLimited(math.ceil((oldest + WINDOW - now).total_seconds()))
    user = User.objects.filter(email=email).first()
    # Autocommit: no transaction (or SQLite write lock) is open during the slow check.
    valid = password_verify(password=password, encoded=user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        failed_at = timezone.now()
        with transaction.atomic():
            LoginFailure.objects.prune(email, failed_at - WINDOW)
            LoginFailure.objects.add(email, failed_at)
        raise InvalidCredentials()
    if password_needs_rehash(user.password_hash):
        # Only if no one changed the password meanwhile; not a change of the user (no version).
        User.objects.filter(pk=user.pk, password_hash=user.password_hash).update(
            password_hash=password_hash(password)
        )
    return token_encode(
        user_id=user.pk,
        secret_key=settings.SECRET_KEY,
        ttl_seconds=int(settings.ACCESS_TOKEN_TTL.total_seconds()),
    )


def user_from_token(*, token: str | None, secret_key: str) -> User:
    """The active user a bearer token names; anything else is 401."""
    user_id = token_subject(token, secret_key=secret_key) if token else None
    user = user_get_active(user_id=user_id) if user_id is not None else None
    if user is None:
        raise Unauthorized()
    return user
