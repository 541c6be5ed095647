import pytest
from fastapi.testclient import TestClient

from app.core.contract import MAX_HEADER_BYTES, MAX_HEADER_FIELDS
from app.core.header_limits import header_section_size
from tests.factories import create_user

PROBLEM = {
    "type": "/problems/header-fields-too-large",
    "title": "Request header fields too large",
    "status": 431,
    "detail": "Request header section exceeds 100 fields or 16384 bytes",
    "instance": "",
}
# What the test client sends on its own: host, accept, accept-encoding, connection, user-agent.
CLIENT_FIELDS = 5


def fields(count: int, value: str = "1") -> dict[str, str]:
    return {f"x-f{i}": value for i in range(count)}


def assert_refused(response_headers: dict[str, str], body: dict[str, str], sent_id: str) -> None:
    assert body == {**PROBLEM, "request_id": response_headers["x-request-id"]}
    assert response_headers["x-request-id"] != sent_id
    assert response_headers["content-type"] == "application/problem+json"
    assert response_headers["x-content-type-options"] == "nosniff"
    assert response_headers["connection"] == "close"
    assert "deprecation" not in response_headers


@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v2/users", "/nowhere"])
def test_more_than_100_fields_is_431_before_routing(client: TestClient, path: str) -> None:
    sent = {**fields(MAX_HEADER_FIELDS), "X-Request-ID": "flood-1"}
    response = client.post(path, headers=sent, json={})
    assert response.status_code == 431
    assert_refused(dict(response.headers), response.json(), "flood-1")


@pytest.mark.parametrize(
    ("count", "status"), [(MAX_HEADER_FIELDS, 200), (MAX_HEADER_FIELDS + 1, 431)]
)
def test_up_to_100_fields_reach_the_app(client: TestClient, count: int, status: int) -> None:
    response = client.get("/health", headers=fields(count - CLIENT_FIELDS))
    assert response.status_code == status


def test_more_than_16_kib_in_all_is_431(client: TestClient) -> None:
    response = client.get("/health", headers=fields(20, "v" * 1000))
    assert response.status_code == 431
    assert_refused(dict(response.headers), response.json(), "")


def test_one_field_alone_over_the_total_is_431(client: TestClient) -> None:
    response = client.get("/health", headers={"x-big": "b" * MAX_HEADER_BYTES})
    assert response.status_code == 431


def test_a_single_field_under_the_total_reaches_the_app(client: TestClient) -> None:
    response = client.get("/health", headers={"x-big": "b" * (MAX_HEADER_BYTES // 2)})
    assert response.status_code == 200


def test_section_size_counts_name_value_and_line_ending() -> None:
    assert header_section_size([(b"host", b"a"), (b"x-y", b"")]) == 4 + 1 + 2 + 3 + 2


AMBIGUOUS = {
    "type": "/problems/malformed-request",
    "title": "Malformed request",
    "status": 400,
    "detail": "Request header fields are ambiguous",
    "instance": "",
}


@pytest.mark.parametrize("field", ["Content-Type", "Host"])
def test_a_repeated_singleton_field_is_400_before_routing(client: TestClient, field: str) -> None:
    sent = [(field, "application/json"), (field, "text/plain"), ("X-Request-ID", "twice-1")]
    response = client.post("/api/v1/users", headers=sent, content=b"{}")
    assert response.status_code == 400
    assert response.json() == {**AMBIGUOUS, "request_id": response.headers["x-request-id"]}
    assert response.headers["x-request-id"] != "twice-1"
    assert response.headers["connection"] == "close"
    assert "deprecation" not in response.headers


def test_repeated_other_fields_reach_the_app(client: TestClient) -> None:
    response = client.get("/health", headers=[("Accept", "a/b"), ("Accept", "c/d")])
    assert response.status_code == 200


def test_a_repeated_request_id_is_one_invalid_value(client: TestClient) -> None:
    response = client.get("/health", headers=[("X-Request-ID", "abc"), ("X-Request-ID", "abc")])
    assert response.status_code == 200
    assert response.headers["x-request-id"] not in ("abc", "abc, abc")


def test_a_repeated_authorization_is_one_invalid_value(client: TestClient) -> None:
    bearer = f"Bearer {create_user(client).token}"
    once = client.get("/api/v2/users/me", headers={"Authorization": bearer})
    assert once.status_code == 200
    twice = client.get("/api/v2/users/me", headers=[("Authorization", bearer)] * 2)
    assert twice.status_code == 401
