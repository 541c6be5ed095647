"""argon2id password hashing and HS256 JWT access tokens."""

import asyncio
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from weakref import WeakKeyDictionary

import anyio
import anyio.to_thread
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.errors import NotFound
from app.users.ids import parse_v1_id

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "jti"]


@lru_cache
def password_hasher() -> PasswordHasher:
    """argon2-cffi's defaults: argon2id with the RFC 9106 low-memory parameters."""
    return PasswordHasher()


@lru_cache
def dummy_hash() -> str:
    """Verified against for unknown emails, so a miss costs as much time as a wrong password."""
    return password_hasher().hash(uuid.uuid4().hex)


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_limiters: "WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter]" = (
    WeakKeyDictionary()
)


def _hashing_limiter() -> anyio.CapacityLimiter:
    """At most one hash per usable core at a time (per event loop).

    Hashing is deliberately slow CPU work. Run off the event loop but unbounded, N concurrent
    sign-ups would each take N times longer and all time out together; queued, they finish in
    turn at the same throughput.
    """
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(_usable_cores())
    return limiter


async def _run_hashing[T](work: Callable[[], T]) -> T:
    return await anyio.to_thread.run_sync(work, limiter=_hashing_limiter())


async def password_hash(password: str) -> str:
    return await _run_hashing(lambda: password_hasher().hash(password))


async def password_verify(*, password: str, encoded: str | None) -> bool:
    """Checks a dummy hash when there is no user, so both failures take the same time."""

    def verify() -> bool:
        try:
            return password_hasher().verify(encoded or dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return False

    return await _run_hashing(verify) and encoded is not None


def password_needs_rehash(encoded: str) -> bool:
    return password_hasher().check_needs_rehash(encoded)


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
