"""argon2id password hashing on a bounded pool, and HS256 JWTs (nothing else is accepted)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2-cffi defaults: argon2id
# Verified against when the email is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = _hasher.hash("not-a-real-password-but-same-cost")
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "jti"]


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _HashingPool:
    """At most one argon2 per usable core in this process, never on the loop's shared default
    executor: N concurrent sign-ups then finish in turn instead of all slowing down together."""

    executor: ThreadPoolExecutor | None = None

    @classmethod
    def get(cls) -> ThreadPoolExecutor:
        if cls.executor is None:
            cls.executor = ThreadPoolExecutor(usable_cores(), thread_name_prefix="argon2")
        return cls.executor


def hashing_pool_open() -> None:
    _HashingPool.get()


def hashing_pool_close() -> None:
    executor, _HashingPool.executor = _HashingPool.executor, None
    if executor is not None:
        executor.shutdown(wait=True)


async def _run_hashing[T](work: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(_HashingPool.get(), work)


async def password_hash(password: str) -> str:
    return await _run_hashing(lambda: _hasher.hash(password))


async def password_verify(*, password: str, encoded: str | None) -> bool:
    """Checks a dummy hash when there is no user, so both failures take the same time."""

    def verify() -> bool:
        try:
            return _hasher.verify(encoded or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return False

    return await _run_hashing(verify) and encoded is not None


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
    """The user id a valid token names, or None for anything malformed, expired or forged."""
    try:
        claims = jwt.decode(
            token, secret_key, algorithms=[ALGORITHM], options={"require": REQUIRED_CLAIMS}
        )
    except jwt.PyJWTError:
        return None
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.isascii() or not sub.isdigit():
        return None
    value = int(sub)
    return value if 0 < value < 2**63 else None
