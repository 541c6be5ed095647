from fastapi.testclient import TestClient

from tests.factories import create_user, unique_email


def test_token_response_is_bearer_and_not_cached(client: TestClient) -> None:
    alice = create_user(client)
    response = client.post(
        "/api/v1/auth/token",
        data={
            "username": f" {alice.email.upper()} ",
            "password": alice.password,
            "grant_type": "password",
        },
    )
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"
    assert response.json()["expires_in"] == 900
    assert response.headers["Cache-Control"] == "no-store"


def test_wrong_password_and_unknown_email_look_the_same(client: TestClient) -> None:
    alice = create_user(client)
    wrong = client.post(
        "/api/v2/auth/token", data={"username": alice.email, "password": "nope-nope"}
    )
    unknown = client.post("/api/v2/auth/token", data={"username": unique_email(), "password": "x"})
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["detail"] == "Incorrect email or password"


def test_form_rules(client: TestClient) -> None:
    response = client.post(
        "/api/v2/auth/token",
        content=b"username=a&password=b&password=c&grant_type=client_credentials&x=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    errors = [(e["field"], e["code"]) for e in response.json()["errors"]]
    assert errors == [("grant_type", "invalid"), ("password", "invalid"), ("x", "unknown_field")]
    json_body = client.post("/api/v2/auth/token", json={"username": "a", "password": "b"})
    assert json_body.status_code == 415


def test_ten_failures_a_minute_lock_the_email(client: TestClient) -> None:
    alice = create_user(client)
    for _ in range(10):
        client.post("/api/v2/auth/token", data={"username": alice.email, "password": "bad-bad-bad"})
    response = client.post(
        "/api/v2/auth/token", data={"username": alice.email, "password": alice.password}
    )
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.headers["Cache-Control"] == "no-store"


def test_broken_percent_escapes_are_unparseable(client: TestClient) -> None:
    for raw in (b"username=a%zz&password=x", b"username=a%4&password=x", b"username=%ff"):
        response = client.post(
            "/api/v2/auth/token",
            content=raw,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 400, raw
