"""argon2id password hashing on a bounded pool, and HS256 JWT access tokens (PyJWT)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "jti"]
MAX_USER_ID = 2**63 - 1

_hasher = PasswordHasher()  # argon2-cffi defaults: argon2id
# Verified against when the email is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-equalises-timing")


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# At most one argon2 per usable core in this process: more threads hashing at once would each
# take longer and time out together; queued, they finish in turn at the same throughput.
_hashing = threading.BoundedSemaphore(_usable_cores())


def _bounded[T](work: Callable[[], T]) -> T:
    with _hashing:
        return work()


def password_hash(password: str) -> str:
    return _bounded(lambda: _hasher.hash(password))


def password_verify(*, password: str, encoded: str | None) -> bool:
    """Checks a dummy hash when there is no user, so both failures take the same time."""

    def verify() -> bool:
        try:
            return _hasher.verify(encoded or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return False

    return _bounded(verify) and encoded is not None


def password_needs_rehash(encoded: str) -> bool:
    return _hasher.check_needs_rehash(encoded)


@dataclass(frozen=True)
class AccessToken:
    access_token: str
    expires_in: int


def token_encode(*, user_id: int, secret_key: str, ttl_seconds: int) -> AccessToken:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_seconds)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return AccessToken(jwt.encode(claims, secret_key, algorithm=ALGORITHM), ttl_seconds)


def token_subject(token: str, *, secret_key: str) -> int | None:
    """The user id of a valid token, else None (any failure is the same 401)."""
    try:
        claims = jwt.decode(
            token,
            secret_key,
            algorithms=[ALGORITHM],
            options={"require": REQUIRED_CLAIMS},
            leeway=0,
        )
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub")
    if (
        not isinstance(subject, str)
        or not (subject.isascii() and subject.isdigit())
        or len(subject) > 19
    ):
        return None
    return int(subject) if int(subject) <= MAX_USER_ID else None
