"""argon2id hashing and HS256 tokens, through the module's public functions."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from app.auth.security import hash_password, issue_token, token_subject, verify_password

KEY = "k" * 40


def test_a_password_is_stored_as_a_salted_argon2id_hash() -> None:
    first, second = hash_password("pw-12345678"), hash_password("pw-12345678")
    assert first.startswith("$argon2id$")
    assert "pw-12345678" not in first
    assert first != second
    assert verify_password(first, "pw-12345678")
    assert verify_password(second, "pw-12345678")


@pytest.mark.parametrize(
    ("stored", "password"),
    [
        (hash_password("pw-12345678"), "pw-12345679"),
        (hash_password("pw-12345678"), ""),
        ("not-a-hash", "pw-12345678"),
        (None, "pw-12345678"),
    ],
    ids=["wrong", "empty", "garbage-hash", "unknown-user"],
)
def test_verify_refuses(stored: str | None, password: str) -> None:
    assert verify_password(stored, password) is False


def test_an_issued_token_names_its_user_and_expires_after_the_ttl() -> None:
    token = issue_token(user_id=42, secret_key=KEY, ttl_seconds=900)
    claims = jwt.decode(token, KEY, algorithms=["HS256"])
    assert set(claims) == {"sub", "iat", "exp", "jti"}
    assert claims["exp"] - claims["iat"] == 900
    assert token_subject(token, secret_key=KEY) == 42


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
