from __future__ import annotations

import pytest
from app.core.settings import Settings
from flask.testing import FlaskClient
from pydantic import ValidationError


def test_production_without_secret_key_fails_naming_it() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(_env_file=None, environment="production", secret_key="")


def test_openapi_is_generated_with_the_contracts_details(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    patch = spec["paths"]["/api/v2/users/{id}"]["patch"]
    params = {(p["in"], p["name"]): p for p in patch["parameters"]}
    assert params[("header", "If-Match")]["required"] is True
    assert sorted(patch["responses"]) == sorted(
        ["200", "400", "401", "403", "404", "409", "412", "413", "415", "422", "428", "503"]
    )
    assert "422" not in spec["paths"]["/health"]["get"]["responses"]
    assert spec["paths"]["/api/v1/users"]["post"]["security"] == []


def test_swagger_ui_is_served_locally(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert b"/docs/assets/js/swagger-ui-bundle.js" in page.data
    assert b"http" not in page.data.split(b"<script>")[1].split(b"</script>")[0]
    asset = client.get("/docs/assets/js/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()
