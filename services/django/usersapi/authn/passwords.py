"""Password hashing through Django's hashers (PASSWORD_HASHERS: Argon2id first and only)."""

from __future__ import annotations

from functools import lru_cache

from django.contrib.auth.hashers import check_password, make_password


def password_hash(password: str) -> str:
    return make_password(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return make_password("not-a-real-password-only-for-timing")


def password_verify(password: str, encoded: str | None) -> bool:
    """Verify against a dummy hash when there is no user, so unknown emails cost the same time."""
    if encoded is None:
        check_password(password, _dummy_hash())
        return False
    return check_password(password, encoded)
