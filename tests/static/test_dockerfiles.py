"""Each service's Dockerfile: hadolint-clean and built as the brief asks (read, never built)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from bakeoff.manifest import SERVICES_DIR
from tests.static.dockerfile import Instruction, Stage, env_keys, env_values, read_stages
from tests.static.support import hadolint_binary, service_names

SERVICES = service_names()
DEPENDENCY_FILES = {"pyproject.toml", "uv.lock", "README.md", ".python-version"}
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_KEY", re.IGNORECASE)
ROOT_USERS = {"root", "0"}
INIT_WRAPPERS = {"tini", "dumb-init"}


def dockerfile(name: str) -> Path:
    path = SERVICES_DIR / name / "Dockerfile"
    assert path.is_file(), f"services/{name}/Dockerfile does not exist"
    return path


def final_stage(name: str) -> Stage:
    stages = read_stages(dockerfile(name))
    assert stages, f"services/{name}/Dockerfile has no FROM"
    return stages[-1]


def where(name: str, instruction: Instruction) -> str:
    return (
        f"services/{name}/Dockerfile:{instruction.line}: {instruction.keyword} {instruction.args}"
    )


@pytest.mark.parametrize("name", SERVICES)
def test_hadolint_passes(name: str) -> None:
    path = dockerfile(name)
    result = subprocess.run(
        [hadolint_binary(), "--no-color", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"hadolint services/{name}/Dockerfile:\n{result.stdout}{result.stderr}"
    )


@pytest.mark.parametrize("name", SERVICES)
def test_runs_as_a_non_root_user(name: str) -> None:
    user = final_stage(name).last("USER")
    assert user is not None, (
        f"services/{name}/Dockerfile: the final stage sets no USER (runs as root)"
    )
    account = user.args.split(":", 1)[0].strip()
    assert account not in ROOT_USERS, f"{where(name, user)} runs as root"


@pytest.mark.parametrize("name", SERVICES)
def test_healthcheck_probes_health(name: str) -> None:
    check = final_stage(name).last("HEALTHCHECK")
    assert check is not None, f"services/{name}/Dockerfile: the final stage has no HEALTHCHECK"
    _, rest = check.flags_and_rest()
    assert rest.upper().startswith("CMD"), f"{where(name, check)}: HEALTHCHECK must run a CMD"
    assert "/health" in rest, f"{where(name, check)}: HEALTHCHECK must probe /health"


@pytest.mark.parametrize("name", SERVICES)
def test_command_is_exec_form(name: str) -> None:
    stage = final_stage(name)
    starts = stage.all("CMD") + stage.all("ENTRYPOINT")
    assert starts, f"services/{name}/Dockerfile: the final stage has no CMD"
    for instruction in starts:
        assert instruction.exec_form() is not None, (
            f"{where(name, instruction)}: use the exec (JSON array) form, so SIGTERM reaches it"
        )


@pytest.mark.parametrize("name", SERVICES)
def test_entrypoint_does_not_wrap_compose_commands(name: str) -> None:
    # docker-compose.yml runs the manifest's argv as `command:`, which an ENTRYPOINT would prefix.
    entrypoint = final_stage(name).last("ENTRYPOINT")
    if entrypoint is not None:
        argv = entrypoint.exec_form() or [""]
        assert Path(argv[0]).name in INIT_WRAPPERS, (
            f"{where(name, entrypoint)}: compose passes the manifest commands as CMD; "
            "drop the ENTRYPOINT (or use an init wrapper such as tini)"
        )


@pytest.mark.parametrize("name", SERVICES)
def test_multi_stage_on_python_312_slim(name: str) -> None:
    stages = read_stages(dockerfile(name))
    assert len(stages) >= 2, f"services/{name}/Dockerfile: build in one stage, run in another"
    base = stages[-1].base
    assert re.match(r"^(docker\.io/(library/)?)?python:3\.12(\.\d+)?-slim", base), (
        f"services/{name}/Dockerfile: the final stage is FROM {base}, not python:3.12-slim"
    )


@pytest.mark.parametrize("name", SERVICES)
def test_dependencies_installed_with_uv_before_the_code(name: str) -> None:
    stages = read_stages(dockerfile(name))
    for stage in stages:
        syncs = [i for i, ins in enumerate(stage.instructions) if _runs_uv_install(ins)]
        if not syncs:
            continue
        first_sync = syncs[0]
        for ins in stage.instructions[:first_sync]:
            if ins.keyword not in ("COPY", "ADD"):
                continue
            flags, rest = ins.flags_and_rest()
            if any(f.startswith("--from") for f in flags):
                continue
            sources = _copy_sources(rest)
            extra = [s for s in sources if Path(s).name not in DEPENDENCY_FILES]
            assert not extra, (
                f"{where(name, ins)}: copies {extra} before the dependency layer "
                f"(stage {stage.name or stage.base}); copy only {sorted(DEPENDENCY_FILES)} first"
            )
        return
    pytest.fail(f"services/{name}/Dockerfile: no stage installs the dependencies with `uv sync`")


@pytest.mark.parametrize("name", SERVICES)
def test_manifest_commands_resolve_in_the_image(name: str) -> None:
    stage = final_stage(name)
    workdir = stage.last("WORKDIR")
    assert workdir is not None, f"services/{name}/Dockerfile: the final stage sets no WORKDIR"
    paths = [env_values(i).get("PATH", "") for i in stage.all("ENV")]
    assert any("venv" in p and "/bin" in p for p in paths), (
        f"services/{name}/Dockerfile: the final stage must put the virtualenv's bin on PATH "
        "so the manifest's commands (alembic, celery, ...) run as docker-compose.yml gives them"
    )


@pytest.mark.parametrize("name", SERVICES)
def test_image_creates_var_dir(name: str) -> None:
    # Each service keeps its beat schedule (and embedded SQLite files) under var/, which
    # .dockerignore keeps out of the context; Celery beat does not create the folder itself.
    made = any(
        re.search(r"\bmkdir\b.*(?:^|[\s/])var\b", ins.args) for ins in final_stage(name).all("RUN")
    )
    assert made, (
        f"services/{name}/Dockerfile: the final stage never creates var/ for the worker's beat "
        "schedule (RUN mkdir -p /app/var && chown <uid>:<gid> /app/var)"
    )


@pytest.mark.parametrize("name", SERVICES)
def test_no_secret_baked_in(name: str) -> None:
    for stage in read_stages(dockerfile(name)):
        for ins in stage.all("ENV") + stage.all("ARG"):
            leaked = [k for k in env_keys(ins) if SECRET_NAME.search(k)]
            assert not leaked, f"{where(name, ins)}: secrets come from the environment at run time"


@pytest.mark.parametrize("name", SERVICES)
def test_dockerignore_keeps_local_state_out(name: str) -> None:
    path = SERVICES_DIR / name / ".dockerignore"
    assert path.is_file(), f"services/{name}/.dockerignore does not exist"
    patterns = {
        line.strip().removeprefix("/").removeprefix("**/").rstrip("/")
        for line in path.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    for needed in (".venv", ".env", "var"):
        assert needed in patterns, f"services/{name}/.dockerignore must exclude {needed}"


def _runs_uv_install(instruction: Instruction) -> bool:
    return instruction.keyword == "RUN" and bool(
        re.search(r"\buv\s+(sync|pip\s+install)\b", instruction.args)
    )


def _copy_sources(rest: str) -> list[str]:
    words = Instruction("COPY", rest, 0).exec_form() or rest.split()
    return words[:-1]
