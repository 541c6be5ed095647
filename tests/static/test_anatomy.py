"""Every service keeps the common anatomy (docs/anatomy.md): the same feature modules, the same
Celery task names, and a README table from each operation down to its model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("fastapi", "django", "flask", "sanic")
PACKAGE = {"fastapi": "app", "django": "usersapi", "flask": "app", "sanic": "app"}
GUNICORN = {"django", "flask"}

# Module names in the common spelling; django spells some the Django way.
COMMON = [
    "core/config.py",
    "core/context.py",
    "core/logging.py",
    "core/errors.py",
    "core/contract.py",
    "core/cors.py",
    "core/openapi.py",
    "core/validation.py",
    "users/models.py",
    "users/ids.py",
    "users/schemas.py",
    "users/repository.py",
    "users/service.py",
    "users/api_v1.py",
    "users/api_v2.py",
    "users/bootstrap.py",
    "auth/models.py",
    "auth/schemas.py",
    "auth/security.py",
    "auth/service.py",
    "auth/api.py",
    "outbox/models.py",
    "outbox/service.py",
    "outbox/repository.py",
    "health/api.py",
    "worker/celery_app.py",
    "worker/tasks.py",
    "worker/mail.py",
]
DJANGO_SPELLING = {
    "users/schemas.py": "users/serializers.py",
    "users/repository.py": "users/selectors.py",
    "users/service.py": "users/services.py",
    "users/api_v1.py": "users/views_v1.py",
    "users/api_v2.py": "users/views_v2.py",
    "auth/schemas.py": "auth/serializers.py",
    "auth/service.py": "auth/services.py",
    "auth/api.py": "auth/views.py",
    "outbox/service.py": "outbox/services.py",
    "outbox/repository.py": None,  # the ORM manager is the repository
    "health/api.py": "health/views.py",
    "worker/celery_app.py": "celery.py",
    "worker/tasks.py": "users/tasks.py",
    "worker/mail.py": "users/mail.py",
}
TASK_NAMES = ("users.send_welcome_email", "outbox.relay")
COLUMNS = "| operationId | route | handler | service | repository | model |"
LINK = re.compile(r"\[`([^`]+)`\]\(([^)]+)\)")


def expected_modules(service: str) -> list[str]:
    modules = []
    for module in COMMON:
        spelled = DJANGO_SPELLING.get(module, module) if service == "django" else module
        if spelled is not None:
            modules.append(spelled)
    if service == "django":
        modules.append("outbox/tasks.py")
    else:
        modules.append("core/db.py")
    if service in GUNICORN:
        modules.append("core/gunicorn_worker.py")
    return modules


def operations() -> dict[str, str]:
    spec = yaml.safe_load((ROOT / "contract" / "openapi.yaml").read_text())
    found = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                found[operation["operationId"]] = f"{method.upper()} {path}"
    return found


def endpoint_table(service: str) -> list[list[str]]:
    text = (ROOT / "services" / service / "README.md").read_text()
    section = text.partition("\n## Endpoints\n")[2].split("\n## ", 1)[0]
    lines = [ln.strip() for ln in section.splitlines() if ln.strip().startswith("|")]
    assert lines, f"{service}/README.md: no `## Endpoints` table"
    assert lines[0] == COLUMNS, f"{service}/README.md: the table's columns are not {COLUMNS}"
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]


def defines(path: Path, symbol: str) -> bool:
    name = symbol.split(".")[-1]
    pattern = rf"^\s*(async\s+def|def|class)\s+{re.escape(name)}\b"
    return re.search(pattern, path.read_text(), re.MULTILINE) is not None


@pytest.mark.parametrize("service", SERVICES)
def test_feature_modules_exist(service: str) -> None:
    package = ROOT / "services" / service / PACKAGE[service]
    missing = [m for m in expected_modules(service) if not (package / m).is_file()]
    assert not missing, f"{service}: missing {missing} (docs/anatomy.md §1)"


@pytest.mark.parametrize("service", SERVICES)
def test_celery_task_names(service: str) -> None:
    package = ROOT / "services" / service / PACKAGE[service]
    code = "\n".join(p.read_text() for p in package.rglob("*.py"))
    for name in TASK_NAMES:
        assert re.search(rf"name\s*=\s*[\"']{re.escape(name)}[\"']", code), (
            f"{service}: no task declared with name={name!r}"
        )


@pytest.mark.parametrize("service", SERVICES)
def test_readme_maps_every_operation_to_its_code(service: str) -> None:
    rows = endpoint_table(service)
    wanted = operations()
    assert sorted(r[0].strip("`") for r in rows) == sorted(wanted), f"{service}: rows != operations"
    base = ROOT / "services" / service
    for row in rows:
        op_id = row[0].strip("`")
        assert row[1].strip("`") == wanted[op_id], f"{service} {op_id}: route {row[1]}"
        assert LINK.search(row[2]), f"{service} {op_id}: no handler link"
        for cell in row[2:]:
            if cell in ("—", "-"):
                continue
            links = LINK.findall(cell)
            assert links, f"{service} {op_id}: cell {cell!r} is neither a link nor —"
            for symbol, target in links:
                path = base / target
                assert path.is_file(), f"{service} {op_id}: {target} does not exist"
                assert defines(path, symbol), f"{service} {op_id}: {target} defines no {symbol}"


def test_the_table_check_catches_a_broken_link(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("class Repo:\n    async def get(self): ...\n\ndef user_get(): ...\n")
    assert defines(module, "Repo.get")
    assert defines(module, "user_get")
    assert not defines(module, "user_gone")
