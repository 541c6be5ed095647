"""Passwords (argon2id through Django's hashers) and HS256 access tokens."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import jwt
import pytest
from argon2 import PasswordHasher
from django.conf import settings
from usersapi.auth import security
from usersapi.auth.hashers import Argon2idHasher
from usersapi.auth.security import (
    AccessToken,
    password_hash,
    password_needs_rehash,
    password_verify,
    token_encode,
    token_subject,
)


def test_a_hash_verifies_its_password_and_nothing_else() -> None:
    encoded = password_hash("correct-horse")
    assert "correct-horse" not in encoded
    assert password_verify(password="correct-horse", encoded=encoded)
    assert not password_verify(password="correct-horsf", encoded=encoded)
    assert not password_verify(password="", encoded=encoded)


def test_hashes_are_salted_argon2id() -> None:
    first, second = password_hash("same-password"), password_hash("same-password")
    assert first != second
    assert first.startswith("argon2$argon2id$")


def test_no_user_never_verifies() -> None:
    assert not password_verify(password="anything", encoded=None)
    assert not password_verify(password="not-a-real-password-only-for-timing", encoded=None)


def test_the_service_hasher_writes_hashes_argon2_cffi_verifies() -> None:
    """The production hasher (not the tests' cheap one) writes a standard argon2id PHC string."""
    encoded = Argon2idHasher().encode("correct-horse", Argon2idHasher().salt())
    algorithm, phc = encoded.split("$", 1)
    assert algorithm == "argon2"
    assert PasswordHasher().verify("$" + phc, "correct-horse")


def test_a_hash_with_other_parameters_needs_rehashing() -> None:
    assert not password_needs_rehash(password_hash("pw-123456"))
    production = Argon2idHasher().encode("pw-123456", Argon2idHasher().salt())
    assert password_needs_rehash(production)  # the tests' hasher is the cheap one
    assert password_needs_rehash("md5$abc$def")


def encode(user_id: int) -> AccessToken:
    ttl = int(settings.ACCESS_TOKEN_TTL.total_seconds())
    return token_encode(user_id=user_id, secret_key=settings.SECRET_KEY, ttl_seconds=ttl)


def subject(token: str) -> int | None:
    return token_subject(token, secret_key=settings.SECRET_KEY)


def test_a_token_names_its_user_and_carries_the_contracts_claims() -> None:
    token = encode(42)
    assert subject(token.access_token) == 42
    claims = jwt.decode(token.access_token, settings.SECRET_KEY, ["HS256"])
    assert claims["sub"] == "42"
    assert claims["exp"] - claims["iat"] == token.expires_in == settings.ACCESS_TOKEN_TTL.seconds
    assert encode(42).access_token != token.access_token  # a fresh jti each time


def signed(claims: dict[str, Any], key: str | None = None, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key if key is not None else settings.SECRET_KEY, algorithm=algorithm)


NOW = int(time.time())
VALID = {"sub": "7", "iat": NOW, "exp": NOW + 60, "jti": "x"}


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode(VALID, None, algorithm="none"),
        signed(VALID, key="another-key-that-is-long-enough-for-hs256!"),
        signed({**VALID, "exp": NOW - 1}),
        signed({k: v for k, v in VALID.items() if k != "jti"}),
        signed({**VALID, "sub": "0"}),
        signed({**VALID, "sub": str(2**63)}),
        signed({**VALID, "sub": "٣"}),
        signed({**VALID, "sub": 7}),
        "not-a-jwt",
    ],
    ids=["alg-none", "other-key", "expired", "no-jti", "sub-0", "sub-too-big", "sub-non-ascii",
         "sub-int", "garbage"],
)  # fmt: skip
def test_tokens_naming_nobody(token: str) -> None:
    assert subject(token) is None


def test_hashing_runs_at_most_one_per_usable_core(monkeypatch: pytest.MonkeyPatch) -> None:
    cores = len(os.sched_getaffinity(0))
    running, peak, lock = 0, 0, threading.Lock()

    def slow_hash(password: str) -> str:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return "argon2$x"

    monkeypatch.setattr(security, "make_password", slow_hash)
    threads = [threading.Thread(target=password_hash, args=("pw",)) for _ in range(cores * 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == cores
