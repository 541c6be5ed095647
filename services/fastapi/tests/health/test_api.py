from fastapi.testclient import TestClient


def test_health_touches_nothing(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_ready_reports_each_dependency(client: TestClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_ready_is_503_when_the_broker_is_unreachable(client: TestClient) -> None:
    client.app.state.settings.broker_url = "redis://127.0.0.1:1/0"  # type: ignore[attr-defined]
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "error"}
    assert response.headers["content-type"] == "application/problem+json"
