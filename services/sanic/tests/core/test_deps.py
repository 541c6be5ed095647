"""The bearer token read from the Authorization header (anything else is no token: 401)."""

from __future__ import annotations

import pytest
from app.core.deps import bearer_token


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer  ", "Basic x", "Bearerx"])
def test_an_unusable_authorization_header_has_no_token(authorization: str | None) -> None:
    assert bearer_token(authorization) is None


@pytest.mark.parametrize("authorization", ["Bearer abc", "bearer abc", "BEARER  abc "])
def test_the_scheme_is_case_insensitive(authorization: str) -> None:
    assert bearer_token(authorization) == "abc"
