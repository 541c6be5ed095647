"""argon2id password hashing (Django's PASSWORD_HASHERS) and HS256 JWT access tokens."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher, make_password

from usersapi.core.errors import NotFound
from usersapi.users.ids import parse_v1_id

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "jti"]


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# At most one hash per usable core at a time in this process. Hashing is deliberately slow CPU
# work: unbounded, gunicorn's threads would each take N times longer and time out together;
# queued, they finish in turn at the same throughput.
_hashing = threading.BoundedSemaphore(_usable_cores())


def _run_hashing[T](work: Callable[[], T]) -> T:
    with _hashing:
        return work()


def password_hash(password: str) -> str:
    return _run_hashing(lambda: make_password(password))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return make_password(uuid.uuid4().hex)


def password_verify(*, password: str, encoded: str | None) -> bool:
    """Checks a dummy hash when there is no user, so both failures take the same time."""
    valid = _run_hashing(lambda: check_password(password, encoded or _dummy_hash()))
    return valid and encoded is not None


def password_needs_rehash(encoded: str) -> bool:
    """True when the hash was written by another hasher or with other parameters."""
    preferred = get_hasher("default")
    try:
        hasher = identify_hasher(encoded)
    except ValueError:
        return True
    return hasher.algorithm != preferred.algorithm or preferred.must_update(encoded)


@dataclass(frozen=True)
class AccessToken:
    access_token: str
    expires_in: int


def token_encode(*, user_id: int, secret_key: str, ttl_seconds: int) -> AccessToken:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
        "jti": uuid.uuid4().hex,
    }
    return AccessToken(jwt.encode(claims, secret_key, algorithm=ALGORITHM), ttl_seconds)


def token_subject(token: str, *, secret_key: str) -> int | None:
    """The token's user id, or None for anything not a valid, unexpired HS256 token of ours."""
    try:
        claims = jwt.decode(
            token, secret_key, algorithms=[ALGORITHM], options={"require": REQUIRED_CLAIMS}
        )
    except jwt.InvalidTokenError:
        return None
    subject = claims.get("sub")
    if not isinstance(subject, str):
        return None
    try:
        return parse_v1_id(subject)
    except NotFound:
        return None
