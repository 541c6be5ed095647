"""argon2id hashing and HS256 tokens, through the module's public functions."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from app.auth.security import (
    password_hash,
    password_needs_rehash,
    password_verify,
    token_encode,
    token_subject,
)

KEY = "k" * 40


def test_a_password_is_stored_as_a_salted_argon2id_hash() -> None:
    first, second = password_hash("pw-12345678"), password_hash("pw-12345678")
    assert first.startswith("$argon2id$")
    assert "pw-12345678" not in first
    assert first != second  # salted
    assert not password_needs_rehash(first)
    assert password_verify(password="pw-12345678", encoded=first)
    assert password_verify(password="pw-12345678", encoded=second)


@pytest.mark.parametrize(
    ("stored", "password"),
    [
        (password_hash("pw-12345678"), "pw-12345679"),
        (password_hash("pw-12345678"), ""),
        ("not-a-hash", "pw-12345678"),
        (None, "not-a-real-password-only-equalises-timing"),  # the dummy hash's own password
    ],
    ids=["wrong", "empty", "garbage-hash", "unknown-user"],
)
def test_verify_refuses(stored: str | None, password: str) -> None:
    assert password_verify(password=password, encoded=stored) is False


def test_an_issued_token_names_its_user_and_expires_after_the_ttl() -> None:
    issued = token_encode(user_id=42, secret_key=KEY, ttl_seconds=900)
    claims = jwt.decode(issued.access_token, KEY, algorithms=["HS256"])
    assert set(claims) == {"sub", "iat", "exp", "jti"}
    assert claims["exp"] - claims["iat"] == 900 == issued.expires_in
    assert token_subject(issued.access_token, secret_key=KEY) == 42
    assert (
        token_encode(user_id=42, secret_key=KEY, ttl_seconds=900).access_token
        != issued.access_token
    )


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
        jwt.encode(claims(sub=str(2**63)), KEY, algorithm="HS256"),
        "a.b.c",
    ],
    ids=["other-key", "alg-none", "hs512", "expired", "no-jti", "sub-text", "sub-huge", "junk"],
)
def test_a_token_that_is_not_ours_or_not_valid_names_nobody(token: str) -> None:
    assert token_subject(token, secret_key=KEY) is None


def test_hashing_is_bounded_to_one_argon2_per_usable_core(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time
    from types import SimpleNamespace

    from app.auth import security

    running = peak = 0
    lock = threading.Lock()

    def slow_hash(password: str) -> str:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return "hash"

    monkeypatch.setattr(security, "_hashing", threading.BoundedSemaphore(2))
    monkeypatch.setattr(security, "_hasher", SimpleNamespace(hash=slow_hash))
    threads = [threading.Thread(target=password_hash, args=("pw-12345678",)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 2
