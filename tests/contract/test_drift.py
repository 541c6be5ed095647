"""The service's own generated /openapi.json stays compatible with contract/openapi.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import yaml

from tests.contract.drift import differences
from tests.support.live import LiveService

CONTRACT = Path(__file__).resolve().parents[2] / "contract" / "openapi.yaml"


def test_generated_openapi_matches_the_contract(service: LiveService) -> None:
    response = httpx.get(f"{service.base_url}/openapi.json", timeout=10)
    assert response.status_code == 200
    generated = response.json()
    # Kept beside the service log, so a failure can be read against the whole document.
    (service.log_path.parent / "openapi.generated.json").write_text(json.dumps(generated, indent=2))
    assert str(generated.get("openapi", "")).startswith("3."), generated.get("openapi")
    problems = differences(yaml.safe_load(CONTRACT.read_text()), generated)
    assert not problems, f"{len(problems)} difference(s):\n" + "\n".join(problems)
