"""The contract itself is a valid OpenAPI 3.1 document."""

from pathlib import Path

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

CONTRACT = Path(__file__).resolve().parents[2] / "contract" / "openapi.yaml"


def test_contract_is_valid_openapi_31() -> None:
    spec, _ = read_from_filename(str(CONTRACT))
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_every_operation_has_a_unique_operation_id() -> None:
    spec = yaml.safe_load(CONTRACT.read_text())
    ids = [
        op["operationId"]
        for item in spec["paths"].values()
        for method, op in item.items()
        if method != "parameters"
    ]
    assert len(ids) == len(set(ids)), sorted(ids)
