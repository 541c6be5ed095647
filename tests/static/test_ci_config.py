"""The GitHub Actions workflow and the pre-commit hooks: valid, and covering every tox env."""

from __future__ import annotations

import configparser
from pathlib import Path
from typing import Any

from bakeoff.manifest import REPO_ROOT
from tests.static.support import (
    PRE_COMMIT_FILE,
    WORKFLOW_FILE,
    check_jsonschema,
    load_yaml,
)

TOX_INI = REPO_ROOT / "tox.ini"


def _tox_envs() -> list[str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(TOX_INI)
    raw = parser.get("tox", "env_list", fallback="") or parser.get("tox", "envlist", fallback="")
    return [env.strip() for env in raw.replace("\n", ",").split(",") if env.strip()]


def _workflow() -> dict[Any, Any]:
    data = load_yaml(WORKFLOW_FILE)
    assert isinstance(data, dict)
    return data


def test_workflow_matches_the_github_workflow_schema() -> None:
    result = check_jsonschema("vendor.github-workflows", WORKFLOW_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_schema_check_rejects_an_invalid_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "ci.yml"
    broken.write_text("on: push\njobs:\n  test:\n    steps:\n      - run: true\n")  # no runs-on
    result = check_jsonschema("vendor.github-workflows", broken)
    assert result.returncode != 0, "the workflow schema check accepted a job without runs-on"


def test_workflow_runs_every_tox_env_with_postgres_and_redis() -> None:
    envs = _tox_envs()
    assert envs, "tox.ini declares no env_list"
    job = _workflow()["jobs"]["tox"]
    assert job["strategy"]["matrix"]["env"] == envs, "the CI matrix must be tox's env_list"
    assert "${{ matrix.env }}" in " ".join(str(step.get("run", "")) for step in job["steps"])
    services = job["services"]
    assert {"postgres", "redis"} <= set(services)
    assert services["postgres"]["ports"] == ["5432:5432"]
    assert services["redis"]["ports"] == ["6379:6379"]


def test_workflow_starts_the_compose_stack() -> None:
    runs = " ".join(str(s.get("run", "")) for s in _workflow()["jobs"]["compose"]["steps"])
    for command in ("docker compose build", "docker compose up", "docker/smoke.py"):
        assert command in runs, f"the compose job does not run `{command}`"
    assert (REPO_ROOT / "docker" / "smoke.py").is_file()


def test_pre_commit_runs_the_same_checks() -> None:
    config = load_yaml(PRE_COMMIT_FILE)
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    for needed in ("ruff", "mypy", "check-compose-spec", "check-github-workflows", "hadolint"):
        assert needed in hooks, f".pre-commit-config.yaml lacks the {needed} hook"
    assert "bakeoff compose --check" in hooks["compose-generated"]["entry"]
    for repo in config["repos"]:
        assert repo["repo"] == "local" or repo.get("rev"), f"{repo['repo']} is not pinned"
