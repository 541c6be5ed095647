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
    ],
)
def test_each_kind_of_drift_is_reported(contract: Any, mutate: Any, expected: str) -> None:
    generated = copy.deepcopy(contract)
    mutate(generated)
    problems = differences(contract, generated)
    assert any(expected in problem for problem in problems), problems
