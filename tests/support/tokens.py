"""Hand-made JWTs: the valid shape the services issue, and every way to get one wrong."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterable
from typing import Any

import jwt

CLAIMS = ("sub", "iat", "exp", "jti")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims_for(sub: int | str, *, ttl: int = 900, omit: Iterable[str] = ()) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": str(sub),
        "iat": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
    }
    for name in omit:
        claims.pop(name)
    return claims


def make_token(
    secret: str,
    sub: int | str,
    *,
    ttl: int = 900,
    omit: Iterable[str] = (),
    algorithm: str = "HS256",
    extra: dict[str, Any] | None = None,
) -> str:
    """A token signed with `secret`; valid when the defaults are kept and `sub` is a live user."""
    claims = claims_for(sub, ttl=ttl, omit=omit) | (extra or {})
    return jwt.encode(claims, secret, algorithm=algorithm)


def expired_token(secret: str, sub: int | str) -> str:
    now = int(time.time())
    claims = {"sub": str(sub), "iat": now - 120, "exp": now - 5, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, secret, algorithm="HS256")


def wrong_key_token(sub: int | str) -> str:
    return make_token("not-the-service-secret-" + uuid.uuid4().hex, sub)


def alg_none_token(sub: int | str) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(claims_for(sub)).encode())
    return f"{header}.{payload}."


def tampered_token(token: str, sub: int | str) -> str:
    """`token`'s header and signature around a payload naming another subject."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(sub)
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def decode(secret: str, token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(
        token, secret, algorithms=["HS256"], options={"require": list(CLAIMS)}
    )
    return claims
