"""argon2id hashing and HS256 tokens, through the module's public functions."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from app.auth.security import (
    _HashingPool,
    hashing_pool_close,
    password_hash,
    password_needs_rehash,
    password_verify,
    token_encode,
    token_subject,
    usable_cores,
)

KEY = "k" * 40


async def test_a_password_is_stored_as_a_salted_argon2id_hash() -> None:
    first, second = await password_hash("pw-12345678"), await password_hash("pw-12345678")
    assert first.startswith("$argon2id$")
    assert "pw-12345678" not in first
    assert first != second
    assert await password_verify(password="pw-12345678", encoded=first)
    assert await password_verify(password="pw-12345678", encoded=second)
    assert not password_needs_rehash(first)


@pytest.mark.parametrize(
    ("stored", "password"),
    [
        ("$argon2id$", "pw-12345679"),
        ("$argon2id$", ""),
        ("not-a-hash", "pw-12345678"),
        (None, "pw-12345678"),
    ],
    ids=["wrong", "empty", "garbage-hash", "unknown-user"],
)
async def test_verify_refuses(stored: str | None, password: str) -> None:
    if stored == "$argon2id$":
        stored = await password_hash("pw-12345678")
    assert await password_verify(password=password, encoded=stored) is False


async def test_hashing_runs_on_the_bounded_pool_not_the_default_executor() -> None:
    hashing_pool_close()
    await password_hash("pw-12345678")
    executor = _HashingPool.executor
    assert executor is not None
    assert executor._max_workers == usable_cores()
    hashing_pool_close()
    assert _HashingPool.executor is None


def test_an_issued_token_names_its_user_and_expires_after_the_ttl() -> None:
    token = token_encode(user_id=42, secret_key=KEY, ttl_seconds=900)
    assert token.expires_in == 900
    claims = jwt.decode(token.access_token, KEY, algorithms=["HS256"])
    assert set(claims) == {"sub", "iat", "exp", "jti"}
    assert claims["exp"] - claims["iat"] == 900
    assert token_subject(token.access_token, secret_key=KEY) == 42


def claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    return {"sub": "7", "iat": now, "exp": now + 60, "jti": uuid.uuid4().hex} | overrides


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode(claims(), "x" * 40, algorithm="HS256"),
        jwt.encode(claims(), None, algorithm="none"),
        jwt.encode(claims(), KEY * 2, algorithm="HS512"),
        jwt.encode(claims(exp=int(time.time()) - 1), KEY, algorithm="HS256"),
        jwt.encode({k: v for k, v in claims().items() if k != "jti"}, KEY, algorithm="HS256"),
        jwt.encode(claims(sub="abc"), KEY, algorithm="HS256"),
        jwt.encode(claims(sub="0"), KEY, algorithm="HS256"),
        jwt.encode(claims(sub=str(2**63)), KEY, algorithm="HS256"),
        "a.b.c",
    ],
    ids=[
        "other-key",
        "alg-none",
        "hs512",
        "expired",
        "no-jti",
        "sub-text",
        "sub-0",
        "huge",
        "junk",
    ],
)
def test_a_token_that_is_not_ours_or_not_valid_names_nobody(token: str) -> None:
    assert token_subject(token, secret_key=KEY) is None
