"""docker-compose.yml: generated from the manifests, valid Compose, wired as the manifests say."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bakeoff import compose as generator
from bakeoff.manifest import REPO_ROOT, SERVICES_DIR
from tests.static.support import (
    COMPOSE_FILE,
    ENV_EXAMPLE,
    EXPECTED_SERVICES,
    ROLES,
    check_jsonschema,
    compose,
    compose_services,
    manifests,
)

INFRASTRUCTURE = {"postgres", "redis", "mailpit"}


def _service_of(container: str) -> str:
    name, _, role = container.rpartition("-")
    assert name, f"compose service {container!r} has no service name"
    assert role in ROLES, f"compose service {container!r} is not <name>-{{{'|'.join(ROLES)}}}"
    return name


def _app_containers() -> dict[str, dict[str, Any]]:
    return {k: v for k, v in compose_services().items() if k not in INFRASTRUCTURE}


def test_compose_file_is_generated_from_the_current_manifests() -> None:
    diff = generator.stale_diff(list(manifests().values()), COMPOSE_FILE)
    assert not diff, f"docker-compose.yml is stale; run `uv run bakeoff compose`:\n{diff}"


def test_compose_file_matches_the_compose_specification() -> None:
    result = check_jsonschema("vendor.compose-spec", COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_schema_check_rejects_an_invalid_file(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(
        "services:\n  api:\n    image: x\n    ports: 8001\n    restart_policy: always\n"
    )
    result = check_jsonschema("vendor.compose-spec", broken)
    assert result.returncode != 0, "the compose-spec check accepted a broken file"


@pytest.mark.parametrize("name", EXPECTED_SERVICES)
def test_every_expected_service_is_in_compose(name: str) -> None:
    assert name in manifests(), f"services/{name}/service.toml does not exist"
    containers = compose_services()
    missing = [f"{name}-{role}" for role in ROLES if f"{name}-{role}" not in containers]
    assert not missing, f"docker-compose.yml lacks {missing}"


def test_every_compose_service_exists() -> None:
    known = manifests()
    for container, spec in _app_containers().items():
        name = _service_of(container)
        assert name in known, f"{container}: services/{name}/service.toml does not exist"
        context = REPO_ROOT / spec["build"]["context"]
        assert context.resolve() == (SERVICES_DIR / name).resolve(), (
            f"{container}: builds {context}"
        )
        dockerfile = context / spec["build"].get("dockerfile", "Dockerfile")
        assert dockerfile.is_file(), (
            f"{container}: {dockerfile.relative_to(REPO_ROOT)} does not exist"
        )


def test_published_ports_equal_the_manifest_ports() -> None:
    containers = compose_services()
    for name, service in manifests().items():
        api = containers[f"{name}-api"]
        published = [(int(p["published"]), int(p["target"])) for p in api["ports"]]
        assert published == [(service.port, service.port)], (
            f"{name}-api publishes {published}; services/{name}/service.toml says {service.port}"
        )
        for role in ROLES:
            env = containers[f"{name}-{role}"]["environment"]
            assert env["PORT"] == str(service.port), f"{name}-{role}: PORT={env['PORT']}"
        probe = " ".join(api["healthcheck"]["test"])
        assert f":{service.port}/health" in probe, f"{name}-api health check probes {probe}"


def test_no_two_containers_publish_the_same_port() -> None:
    seen: dict[str, str] = {}
    for container, spec in compose_services().items():
        for port in spec.get("ports", []):
            key = str(port["published"])
            assert key not in seen, f"{container} and {seen[key]} both publish {key}"
            seen[key] = container


def test_commands_are_the_manifest_commands() -> None:
    containers = compose_services()
    for name, service in manifests().items():
        for role in ROLES:
            wanted = [p.format(host="0.0.0.0", port=service.port) for p in service.commands[role]]
            got = containers[f"{name}-{role}"]["command"]
            assert got == wanted, f"{name}-{role} runs {got}; the manifest says {wanted}"


def test_containers_of_a_service_share_one_image() -> None:
    containers = compose_services()
    for name in manifests():
        images = {containers[f"{name}-{role}"]["image"] for role in ROLES}
        builds = {str(containers[f"{name}-{role}"]["build"]) for role in ROLES}
        assert len(images) == 1, f"{name}: several images {images}"
        assert len(builds) == 1, f"{name}: several builds {builds}"


def test_start_order_uses_health_and_completion() -> None:
    containers = compose_services()
    for name in manifests():
        migrate, api, worker = (containers[f"{name}-{role}"] for role in ROLES)
        assert migrate["depends_on"]["postgres"] == {"condition": "service_healthy"}
        done = {"condition": "service_completed_successfully"}
        assert api["depends_on"][f"{name}-migrate"] == done
        assert worker["depends_on"][f"{name}-migrate"] == done
        assert api["depends_on"]["redis"] == {"condition": "service_healthy"}
        assert worker["depends_on"]["mailpit"] == {"condition": "service_healthy"}
        assert migrate["restart"] == "no", f"{name}-migrate must run once"


def test_waited_for_containers_have_health_checks() -> None:
    containers = compose_services()
    for container, spec in containers.items():
        for target, rule in spec.get("depends_on", {}).items():
            assert target in containers, f"{container} depends on unknown {target}"
            if rule["condition"] == "service_healthy":
                check = containers[target].get("healthcheck", {})
                assert not check.get("disable"), f"{target}'s health check is disabled"
                assert check.get("test"), (
                    f"{container} waits for {target} to be healthy, but it has no health check"
                )


def test_each_service_has_its_own_database_and_broker() -> None:
    containers = compose_services()
    created = containers["postgres"]["environment"]["BAKEOFF_DATABASES"].split()
    assert created == list(manifests()), "the init script must create one database per manifest"
    brokers: dict[str, str] = {}
    for name in manifests():
        env = containers[f"{name}-api"]["environment"]
        assert env["DATABASE_URL"].rsplit("/", 1)[1] == name, f"{name}: {env['DATABASE_URL']}"
        broker = env["BROKER_URL"]
        assert broker not in brokers, f"{name} and {brokers[broker]} share the broker {broker}"
        brokers[broker] = name
        for role in ROLES:
            assert containers[f"{name}-{role}"]["environment"] == env, (
                f"{name}-{role} settings differ"
            )


def test_named_volumes_are_declared() -> None:
    declared = set(compose().get("volumes", {}))
    for container, spec in compose_services().items():
        for volume in spec.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{container} mounts undeclared volume {source}"
            else:
                assert (REPO_ROOT / source).exists(), f"{container} mounts missing {source}"


def test_env_example_documents_every_setting() -> None:
    text = (REPO_ROOT / "docker-compose.yml").read_text()
    interpolated = set(re.findall(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)", text))
    passed_through = {
        key
        for spec in compose_services().values()
        for key, value in spec.get("environment", {}).items()
        if value is None
    }
    documented = set(re.findall(r"^#?\s*([A-Z_][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))
    missing = sorted((interpolated | passed_through) - documented)
    assert not missing, f".env.example does not mention {missing}"


def test_compose_command_writes_and_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bakeoff.cli import main

    target = tmp_path / "docker-compose.yml"
    target.write_text(COMPOSE_FILE.read_text().replace("redis:6379/1", "redis:6379/9"))
    monkeypatch.setattr(generator, "COMPOSE_PATH", target)
    assert main(["compose", "--check"]) == 1
    assert "-      BROKER_URL: redis://redis:6379/9" in capsys.readouterr().out
    assert main(["compose"]) == 0
    assert main(["compose", "--check"]) == 0
    assert target.read_text() == generator.render(list(manifests().values()))
