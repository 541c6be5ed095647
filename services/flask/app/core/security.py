"""argon2id password hashing and HS256 JWTs (PyJWT)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2-cffi defaults: argon2id
# Verified against when the email is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-equalises-timing")

ALGORITHM = "HS256"


def password_hash(password: str) -> str:
    return _hasher.hash(password)


def password_verify(*, password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int


def token_issue(*, user_id: int, secret: str, ttl_seconds: int) -> IssuedToken:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_seconds)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return IssuedToken(jwt.encode(claims, secret, algorithm=ALGORITHM), ttl_seconds)


def token_subject(*, token: str, secret: str) -> int | None:
    """The user id of a valid token, else None (any failure is the same 401)."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "iat", "exp", "jti"]},
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
    return int(subject) if int(subject) <= 2**63 - 1 else None
