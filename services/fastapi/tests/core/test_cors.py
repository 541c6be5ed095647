from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app

PREFLIGHT = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST"}


def test_preflight_is_answered_only_when_origins_are_configured(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.options("/api/v2/users", headers=PREFLIGHT).status_code == 405
    configured = settings.model_copy(update={"cors_origins": ["https://app.example"]})
    with TestClient(create_app(configured)) as client:
        response = client.options("/api/v2/users", headers=PREFLIGHT)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "https://app.example"
        assert response.headers["X-Request-ID"]
        assert client.options("/api/v2/users").status_code == 405
