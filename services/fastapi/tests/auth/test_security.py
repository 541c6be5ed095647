import time

import jwt
import pytest

from app.auth import security
from app.auth.security import token_encode, token_subject

KEY = "k" * 40


def test_token_carries_the_required_claims() -> None:
    token = token_encode(user_id=7, secret_key=KEY, ttl_seconds=900)
    claims = jwt.decode(token.access_token, KEY, algorithms=["HS256"])
    assert set(claims) == {"sub", "iat", "exp", "jti"}
    assert claims["exp"] - claims["iat"] == 900
    assert token_subject(token.access_token, secret_key=KEY) == 7


def test_alg_none_wrong_key_expired_and_missing_claims_are_rejected() -> None:
    now = int(time.time())
    claims = {"sub": "1", "iat": now, "exp": now + 60, "jti": "j"}
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert token_subject(unsigned, secret_key=KEY) is None
    assert token_subject(jwt.encode(claims, "x" * 40, "HS256"), secret_key=KEY) is None
    expired = claims | {"exp": now - 1}
    assert token_subject(jwt.encode(expired, KEY, "HS256"), secret_key=KEY) is None
    no_jti = {k: v for k, v in claims.items() if k != "jti"}
    assert token_subject(jwt.encode(no_jti, KEY, "HS256"), secret_key=KEY) is None
    hs512 = jwt.encode(claims, KEY * 2, "HS512")
    assert token_subject(hs512, secret_key=KEY * 2) is None


@pytest.mark.anyio
async def test_hashing_runs_at_most_one_per_usable_core() -> None:
    assert security._hashing_limiter().total_tokens == security._usable_cores()
    stored = await security.password_hash("pw-12345678")
    assert stored.startswith("$argon2id$")
    assert await security.password_verify(password="pw-12345678", encoded=stored)
    assert not await security.password_verify(password="wrong-password", encoded=stored)
    assert not await security.password_verify(password="pw-12345678", encoded=None)
