import time

import jwt
import pytest

from app.auth import security
from app.auth.security import create_access_token, decode_access_token

KEY = "k" * 40


def test_token_carries_the_required_claims() -> None:
    token = create_access_token(subject="7", secret_key=KEY, ttl_seconds=900)
    claims = jwt.decode(token.token, KEY, algorithms=["HS256"])
    assert set(claims) == {"sub", "iat", "exp", "jti"}
    assert claims["exp"] - claims["iat"] == 900
    assert decode_access_token(token.token, secret_key=KEY) == "7"


def test_alg_none_wrong_key_expired_and_missing_claims_are_rejected() -> None:
    now = int(time.time())
    claims = {"sub": "1", "iat": now, "exp": now + 60, "jti": "j"}
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert decode_access_token(unsigned, secret_key=KEY) is None
    assert decode_access_token(jwt.encode(claims, "x" * 40, "HS256"), secret_key=KEY) is None
    expired = claims | {"exp": now - 1}
    assert decode_access_token(jwt.encode(expired, KEY, "HS256"), secret_key=KEY) is None
    no_jti = {k: v for k, v in claims.items() if k != "jti"}
    assert decode_access_token(jwt.encode(no_jti, KEY, "HS256"), secret_key=KEY) is None
    hs512 = jwt.encode(claims, KEY * 2, "HS512")
    assert decode_access_token(hs512, secret_key=KEY * 2) is None


@pytest.mark.anyio
async def test_hashing_runs_at_most_one_per_usable_core() -> None:
    assert security._hashing_limiter().total_tokens == security._usable_cores()
    stored = await security.hash_password("pw-12345678")
    assert stored.startswith("$argon2id$")
    assert await security.verify_password(stored, "pw-12345678")
    assert not await security.verify_password(stored, "wrong-password")
    assert not await security.verify_password(None, "pw-12345678")
