"""HS256 JWT access tokens (PyJWT) with the contract's claims: sub, iat, exp, jti."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from django.conf import settings

ALGORITHM = "HS256"


@dataclass(frozen=True)
class AccessToken:
    value: str
    expires_in: int


def token_encode(*, user_id: int) -> AccessToken:
    now = datetime.now(UTC)
    ttl = settings.ACCESS_TOKEN_TTL
    claims = {"sub": str(user_id), "iat": now, "exp": now + ttl, "jti": uuid.uuid4().hex}
    return AccessToken(
        jwt.encode(claims, settings.SECRET_KEY, algorithm=ALGORITHM), int(ttl.total_seconds())
    )


def token_subject(token: str) -> int | None:
    """The user id a valid token names, or None for anything else (expired, forged, alg=none...)."""
    try:
        claims = jwt.decode(
            token,
            settings.SECRET_KEY,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "iat", "exp", "jti"]},
            leeway=0,
        )
    except jwt.InvalidTokenError:
        return None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isascii() or not subject.isdigit():
        return None
    user_id = int(subject)
    return user_id if 0 < user_id <= 2**63 - 1 else None
