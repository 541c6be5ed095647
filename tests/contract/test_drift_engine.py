"""The drift comparison itself: silent on the contract, loud on each kind of drift."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.contract.drift import differences

CONTRACT = Path(__file__).resolve().parents[2] / "contract" / "openapi.yaml"


@pytest.fixture(scope="module")
def contract() -> Any:
    return yaml.safe_load(CONTRACT.read_text())


def test_contract_matches_itself(contract: Any) -> None:
    assert differences(contract, contract) == []


def test_annotations_and_nullable_spellings_do_not_count(contract: Any) -> None:
    generated = copy.deepcopy(contract)
    schema = generated["components"]["schemas"]["UserV2Page"]["properties"]["next_cursor"]
    schema.clear()
    schema.update({"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Next Cursor"})
    generated["components"]["schemas"]["UserV1"]["description"] = "something else"
    assert differences(contract, generated) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["paths"].pop("/api/v1/users/me"), "GET /api/v1/users/me: missing"),
        (lambda d: d["paths"]["/api/v2/users"]["post"]["responses"].pop("409"), "status codes"),
        (
            lambda d: d["components"]["schemas"]["UserV1Create"].pop("additionalProperties"),
            "closed",
        ),
        (
            lambda d: d["components"]["schemas"]["UserV2"]["properties"].pop("role"),
            "missing 'role'",
        ),
        (
            lambda d: d["paths"]["/api/v2/users/{id}"]["patch"]["parameters"].clear(),
            "('header', 'if-match')",
        ),
        (
            lambda d: d["components"]["schemas"]["Status"]["enum"].append("banned"),
            "enum",
        ),
        (
            lambda d: d["paths"].update({"/api/v3/users": {"get": {"responses": {"200": {}}}}}),
            "not in the contract",
        ),
        # Security: every operation public, one operation public, a public one guarded, and a
        # different kind of scheme.
        (lambda d: d.pop("security"), "GET /api/v2/users/me security"),
        (
            lambda d: d["paths"]["/api/v2/users/{id}"]["delete"].update({"security": []}),
            "DELETE /api/v2/users/{id} security: contract ['oauth2(",
        ),
        (
            lambda d: d["paths"]["/api/v2/users"]["post"].pop("security"),
            "POST /api/v2/users security: contract ['anonymous']",
        ),
        (
            lambda d: d["components"]["securitySchemes"].update(
                {"OAuth2Password": {"type": "http", "scheme": "bearer"}}
            ),
            "http(bearer)",
        ),
        (
            lambda d: d["components"]["securitySchemes"]["OAuth2Password"]["flows"][
                "password"
            ].update({"tokenUrl": "/api/v1/auth/token"}),
            "tokenUrl=/api/v1/auth/token",
        ),
        # requestBody.required
        (
            lambda d: d["paths"]["/api/v2/users/{id}"]["patch"]["requestBody"].update(
                {"required": False}
            ),
            "PATCH /api/v2/users/{id} requestBody.required: contract True != service False",
        ),
        (
            lambda d: d["components"]["requestBodies"]["TokenForm"].pop("required"),
            "POST /api/v2/auth/token requestBody.required",
        ),
        # Bounds, formats, patterns, defaults.
        (
            lambda d: d["paths"]["/api/v2/users"]["get"]["parameters"][0]["schema"].update(
                {"maximum": 1000}
            ),
            "('query', 'limit').schema.maximum: contract 100 != service 1000",
        ),
        (
            lambda d: d["paths"]["/api/v2/users"]["get"]["parameters"][0]["schema"].update(
                {"default": 50}
            ),
            "('query', 'limit').schema.default: contract 20 != service 50",
        ),
        (
            lambda d: d["paths"]["/api/v1/users"]["get"]["parameters"][0]["schema"].pop("default"),
            "('query', 'offset').schema: missing 'default'",
        ),
        (lambda d: d["components"]["schemas"]["Name"].pop("minLength"), "missing 'minLength'"),
        (
            lambda d: d["components"]["schemas"]["Password"].update({"maxLength": 1024}),
            "password.maxLength: contract 128 != service 1024",
        ),
        (
            lambda d: d["components"]["schemas"]["Token"]["properties"]["expires_in"].update(
                {"minimum": 0}
            ),
            "expires_in.minimum: contract 1 != service 0",
        ),
        (
            lambda d: d["components"]["schemas"]["ValidationProblem"]["allOf"][1]["properties"][
                "errors"
            ].pop("minItems"),
            "errors: missing 'minItems'",
        ),
        (
            lambda d: d["components"]["schemas"]["UserV2Page"]["properties"]["data"].update(
                {"maxItems": 100}
            ),
            "data: unexpected 'maxItems'",
        ),
        (
            lambda d: d["components"]["schemas"]["UserV2"]["properties"]["id"].pop("format"),
            "id: missing 'format'",
        ),
        (
            lambda d: d["components"]["schemas"]["Email"].update({"format": "email"}),
            "email: unexpected 'format'",
        ),
        (
            lambda d: d["components"]["parameters"]["V2UserId"]["schema"].update(
                {"pattern": "^.+$"}
            ),
            "('path', 'id').schema.pattern",
        ),
        (
            lambda d: d["components"]["schemas"]["Timestamp"].pop("pattern"),
            "created_at: missing 'pattern'",
        ),
        # Response headers: missing, no longer required, a different value, one too many.
        (
            lambda d: d["components"]["responses"]["V2User"]["headers"].pop("ETag"),
            "GET /api/v2/users/{id} 200 headers: missing 'etag'",
        ),
        (
            lambda d: d["components"]["headers"]["X-Request-ID"].update({"required": False}),
            "GET /health 200 headers.x-request-id.required: contract True != service False",
        ),
        (
            lambda d: d["components"]["headers"]["Sunset"]["schema"].update(
                {"const": "Fri, 01 Jan 2027 00:00:00 GMT"}
            ),
            "headers.sunset.schema.enum",
        ),
        (
            lambda d: d["paths"]["/api/v2/users"]["post"]["responses"]["201"]["headers"][
                "Location"
            ]["schema"].pop("pattern"),
            "POST /api/v2/users 201 headers.location.schema: missing 'pattern'",
        ),
        (
            lambda d: d["paths"]["/health"]["get"]["responses"]["200"]["headers"].update(
                {"Cache-Control": {"$ref": "#/components/headers/Cache-Control"}}
            ),
            "GET /health 200 headers: unexpected 'cache-control'",
        ),
    ],
)
def test_each_kind_of_drift_is_reported(contract: Any, mutate: Any, expected: str) -> None:
    generated = copy.deepcopy(contract)
    mutate(generated)
    problems = differences(contract, generated)
    assert any(expected in problem for problem in problems), problems


def test_equivalent_spellings_do_not_count(contract: Any) -> None:
    """Security scheme names, header-name case, 3.0 boolean exclusive bounds, a `default: null`
    on a property that cannot be null, and `uniqueItems: false` say the same as the contract."""
    expected = copy.deepcopy(contract)
    expires_in = expected["components"]["schemas"]["Token"]["properties"]["expires_in"]
    expires_in.pop("minimum")
    expires_in["exclusiveMinimum"] = 0
    generated = copy.deepcopy(expected)
    generated_expires_in = generated["components"]["schemas"]["Token"]["properties"]["expires_in"]
    generated_expires_in.pop("exclusiveMinimum")
    generated_expires_in.update({"minimum": 0, "exclusiveMinimum": True})
    schemes = generated["components"]["securitySchemes"]
    schemes["BearerJWT"] = schemes.pop("OAuth2Password")
    generated["security"] = [{"BearerJWT": []}]
    health_headers = generated["paths"]["/health"]["get"]["responses"]["200"]["headers"]
    health_headers["x-request-id"] = health_headers.pop("X-Request-ID")
    update = generated["components"]["schemas"]["UserV2Update"]["properties"]
    update["name"] = {"$ref": "#/components/schemas/Name", "default": None}
    generated["components"]["schemas"]["UserV2Page"]["properties"]["data"]["uniqueItems"] = False
    assert differences(expected, generated) == []


def test_a_usable_default_null_still_counts(contract: Any) -> None:
    generated = copy.deepcopy(contract)
    generated["components"]["schemas"]["UserV2Page"]["properties"]["next_cursor"]["default"] = None
    problems = differences(contract, generated)
    assert any("next_cursor: unexpected 'default'" in problem for problem in problems), problems
