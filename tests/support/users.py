"""Creating users through the public API: unique emails, ready-made tokens and both ids."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

from tests.support.assertions import describe
from tests.support.tokens import bearer, make_token

DEFAULT_PASSWORD = "correct-horse-battery"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}@example.com"


@dataclass
class ApiUser:
    email: str
    password: str
    name: str
    token: str
    id: int
    uuid: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


def stored_emails(client: httpx.Client, admin_headers: dict[str, str], email: str) -> list[str]:
    """The emails the admin list finds for `email`: [] proves a refused sign-up stored nothing."""
    resp = client.get("/api/v2/users", params={"email": email}, headers=admin_headers)
    assert resp.status_code == 200, describe(resp)
    return [u["email"] for u in resp.json()["data"]]


def login(client: httpx.Client, email: str, password: str) -> str:
    resp = client.post("/api/v2/auth/token", data={"username": email, "password": password})
    assert resp.status_code == 200, describe(resp)
    token: str = resp.json()["access_token"]
    return token


class UserFactory:
    """Signs users up through v1 or v2 and gets them a token; every email is new.

    A v1 sign-up answers the internal id, so its token is minted with the service's secret
    (what the token endpoint would issue) and saves an argon2 verification per user; a v2
    sign-up logs in. The token endpoint itself is covered by the auth tests.
    """

    def __init__(self, client: httpx.Client, secret_key: str) -> None:
        self.client = client
        self.secret_key = secret_key

    def create(
        self,
        *,
        version: int = 1,
        prefix: str = "user",
        name: str = "Test User",
        password: str = DEFAULT_PASSWORD,
        email: str | None = None,
    ) -> ApiUser:
        email = email or unique_email(prefix)
        if version == 1:
            body = {"email": email, "full_name": name, "password": password}
        else:
            body = {"email": email, "name": name, "password": password}
        resp = self.client.post(f"/api/v{version}/users", json=body)
        assert resp.status_code == 201, describe(resp)
        if version == 1:
            token = make_token(self.secret_key, resp.json()["id"])
        else:
            token = login(self.client, email, password)
        v1 = self.client.get("/api/v1/users/me", headers=bearer(token))
        v2 = self.client.get("/api/v2/users/me", headers=bearer(token))
        assert v1.status_code == 200, describe(v1)
        assert v2.status_code == 200, describe(v2)
        return ApiUser(
            email=email.strip().lower(),
            password=password,
            name=name.strip(),
            token=token,
            id=int(v1.json()["id"]),
            uuid=str(v2.json()["id"]),
        )
