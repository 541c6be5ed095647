from typing import Any

from fastapi.testclient import TestClient


def test_openapi_lists_every_contract_operation(client: TestClient) -> None:
    document: dict[str, Any] = client.get("/openapi.json").json()
    operations = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert operations == {
        "health", "ready", "v1_token", "v2_token",
        "v1_user_create", "v1_user_list", "v1_user_me", "v1_user_get", "v1_user_update",
        "v1_user_delete", "v2_user_create", "v2_user_list", "v2_user_me",
        "v2_user_get", "v2_user_update", "v2_user_delete",
    }  # fmt: skip
    patch = document["paths"]["/api/v2/users/{id}"]["patch"]
    assert {"name": "If-Match", "in": "header"}.items() <= patch["parameters"][-1].items()
    assert "428" in patch["responses"]
    create = document["components"]["schemas"]["UserV2Create"]
    assert create["additionalProperties"] is False
    assert create["required"] == ["email", "name", "password"]


def test_docs_are_self_hosted(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/static/swagger-ui/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    asset = client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert asset.status_code == 200
