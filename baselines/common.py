"""What both baselines share: settings, the JWT check, the user representation, the cursor."""

from __future__ import annotations

import base64
import os
import uuid
from datetime import UTC, datetime
from typing import Any

import jwt
import orjson
from argon2 import PasswordHasher

SECRET_KEY = os.environ.get("SECRET_KEY", "baseline-development-secret")
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
HASHER = PasswordHasher()
JSON = b"application/json"
PROBLEM = b"application/problem+json"

AUTH_SQL = "SELECT role, status FROM users WHERE id = %s"
GET_SQL = (
    "SELECT public_id, email, full_name, role, status, version, created_at, updated_at"
    " FROM users WHERE public_id = %s"
)
LIST_SQL = (
    "SELECT public_id, email, full_name, role, status, version, created_at, updated_at"
    " FROM users ORDER BY created_at, public_id LIMIT %s"
)
INSERT_SQL = (
    "INSERT INTO users (public_id, email, full_name, password_hash, role, status, version,"
    " created_at, updated_at) VALUES (%s, %s, %s, %s, 'user', 'active', 1, %s, %s)"
    " RETURNING public_id, email, full_name, role, status, version, created_at, updated_at"
)


def numbered(sql: str) -> str:
    """`%s` placeholders as asyncpg's `$1, $2, ...`."""
    parts = sql.split("%s")
    return "".join(f"{p}${i}" if i < len(parts) else p for i, p in enumerate(parts, 1))


def token_subject(authorization: str | None) -> int | None:
    """The user id of a valid HS256 bearer token, else None."""
    if not authorization or not authorization.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(
            authorization[7:],
            SECRET_KEY,
            algorithms=["HS256"],
            options={"require": ["sub", "iat", "exp", "jti"]},
        )
        return int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError):
        return None


def timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def user_v2(row: Any) -> dict[str, Any]:
    public_id, email, name, role, status, _version, created, updated = row
    return {
        "id": str(public_id),
        "email": email,
        "name": name,
        "role": role,
        "status": status,
        "created_at": timestamp(created),
        "updated_at": timestamp(updated),
    }


def etag(row: Any) -> bytes:
    return f'"{row[0]}.{row[5]}"'.encode()


def page(rows: list[Any], limit: int) -> bytes:
    cursor = None
    if len(rows) == limit:
        last = rows[-1]
        raw = f"{timestamp(last[6])}|{last[0]}".encode()
        cursor = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return orjson.dumps({"data": [user_v2(r) for r in rows], "next_cursor": cursor})


def parse_create(body: bytes) -> tuple[str, str, str] | None:
    """(email, name, password) of a well-formed create body, else None (answered 422)."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict) or set(data) != {"email", "name", "password"}:
        return None
    email, name, password = data["email"], data["name"], data["password"]
    if not all(isinstance(v, str) for v in (email, name, password)):
        return None
    if "@" not in email or not 8 <= len(password) <= 128 or not 0 < len(name.strip()) <= 100:
        return None
    return email.strip().lower(), name.strip(), password


def new_user_values(email: str, name: str, password: str) -> tuple[Any, ...]:
    now = datetime.now(UTC)
    return (uuid.uuid4(), email, name, HASHER.hash(password), now, now)


def problem(status: int, title: str, instance: str, request_id: str) -> bytes:
    return orjson.dumps(
        {
            "type": f"/problems/{title.lower().replace(' ', '-')}",
            "title": title,
            "status": status,
            "detail": title,
            "instance": instance,
            "request_id": request_id,
        }
    )
