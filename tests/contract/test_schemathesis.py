"""Schemathesis against the live service, driven by contract/openapi.yaml with every check on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support.live import LiveService

ROOT = Path(__file__).resolve().parents[2]
MAX_EXAMPLES = os.environ.get("BAKEOFF_ST_MAX_EXAMPLES", "20")
SEED = os.environ.get("BAKEOFF_ST_SEED", "20261125")
TIMEOUT_SECONDS = 1500
LINKS = re.compile(r"API Links:\s+(\d+) covered / (\d+) selected")


def contract_links() -> int:
    spec = yaml.safe_load((ROOT / "contract" / "openapi.yaml").read_text())
    return sum(
        len(response.get("links", {}))
        for item in spec["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for response in operation.get("responses", {}).values()
    )


def test_schemathesis_finds_no_failure(service: LiveService) -> None:
    report_dir = service.log_path.parent
    junit = report_dir / "schemathesis.xml"
    argv = [
        sys.executable, "-m", "schemathesis.cli",
        "--config-file", str(ROOT / "contract" / "schemathesis.toml"),
        "run", str(ROOT / "contract" / "openapi.yaml"),
        "--url", service.base_url,
        "--checks", "all",
        "--phases", "examples,coverage,fuzzing,stateful",
        "--max-examples", MAX_EXAMPLES,
        "--seed", SEED,
        "--workers", "1",
        "--request-timeout", "10",
        "--report", "junit", "--report-junit-path", str(junit),
        "--no-color",
    ]  # fmt: skip
    env = {
        **service.env,
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "SCHEMATHESIS_HOOKS": "tests.contract.st_hooks",
        "BAKEOFF_ST_BASE_URL": service.base_url,
        "BAKEOFF_ST_SERVICE": service.name,
        "BAKEOFF_ST_DATABASE_URL": service.database_url,
        "BAKEOFF_ST_BROKER_URL": service.broker_url,
    }
    result = subprocess.run(
        argv,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    (report_dir / "schemathesis.log").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    links = LINKS.search(result.stdout)
    assert links, "schemathesis printed no link coverage: did the stateful phase run?"
    covered, selected = int(links[1]), int(links[2])
    assert selected == contract_links(), f"{selected} links selected, the contract has more"
    assert covered == selected, f"the stateful phase followed {covered} of {selected} links"
