"""HS256 access tokens: the claims they carry and every token that names nobody."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from django.conf import settings
from usersapi.authn.tokens import token_encode, token_subject


def test_a_token_names_its_user_and_carries_the_contracts_claims() -> None:
    token = token_encode(user_id=42)
    assert token_subject(token.value) == 42
    claims = jwt.decode(token.value, settings.SECRET_KEY, ["HS256"])
    assert claims["sub"] == "42"
    assert claims["exp"] - claims["iat"] == token.expires_in == settings.ACCESS_TOKEN_TTL.seconds
    assert token_encode(user_id=42).value != token.value  # a fresh jti each time


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
    assert token_subject(token) is None
