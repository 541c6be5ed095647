from collections.abc import Iterator

from fastapi.testclient import TestClient

from app.core.contract import MAX_BODY_BYTES


def test_request_id_is_adopted_when_well_formed(client: TestClient) -> None:
    response = client.get("/health", headers={"X-Request-ID": "abc.DEF_1-2"})
    assert response.headers["X-Request-ID"] == "abc.DEF_1-2"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_request_id_is_replaced_when_malformed(client: TestClient) -> None:
    response = client.get("/health", headers={"X-Request-ID": "no spaces allowed"})
    assert response.headers["X-Request-ID"] != "no spaces allowed"
    assert len(response.headers["X-Request-ID"]) == 36


def test_v1_responses_carry_deprecation_headers_even_on_errors(client: TestClient) -> None:
    response = client.get("/api/v1/users/me")
    assert response.status_code == 401
    assert response.headers["Deprecation"] == "@1767225600"
    assert response.headers["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"
    assert response.headers["Link"] == '</api/v2/users>; rel="successor-version"'
    assert "Deprecation" not in client.get("/api/v2/users/me").headers


def test_declared_oversized_body_is_413_before_content_type_check(client: TestClient) -> None:
    response = client.post(
        "/api/v2/users", content=b"x" * (MAX_BODY_BYTES + 1), headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "Request body exceeds 65536 bytes"
    assert response.headers["Connection"] == "close"


def test_chunked_oversized_body_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 1024 + 1):
            yield b"x" * 1024

    response = client.post(
        "/api/v2/users", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["Connection"] == "close"


def test_oversized_body_to_unknown_path_is_still_404(client: TestClient) -> None:
    response = client.post("/nowhere", content=b"x" * (MAX_BODY_BYTES + 1))
    assert response.status_code == 404


def test_body_at_the_limit_is_accepted_for_parsing(client: TestClient) -> None:
    response = client.post(
        "/api/v2/users",
        content=b" " * MAX_BODY_BYTES,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
