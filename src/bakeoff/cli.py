"""`bakeoff`: migrate, serve and run the worker of any service from its manifest."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from bakeoff.mailcatcher import MailCatcher
from bakeoff.manifest import ManifestError, Service, all_services, get_service
from bakeoff.processes import (
    ProcessGroup,
    configure_logging,
    run_once,
    service_environment,
    sync_service,
    wait_ready,
)

log = logging.getLogger("bakeoff")

UP_ADMIN_EMAIL = "admin@example.com"
UP_ADMIN_PASSWORD = "change-me-admin"  # a local-only default, printed so `make up` is usable


def _overrides(args: argparse.Namespace, service: Service, port: int) -> dict[str, str]:
    env = {"PORT": str(port)}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url.format(name=service.name)
    if args.broker_url:
        env["BROKER_URL"] = args.broker_url.format(name=service.name)
    return env


def _prepare(service: Service, overrides: dict[str, str], step: str = "") -> dict[str, str]:
    log.info("%s%s: syncing its virtualenv (uv sync)", step, service.name)
    sync_service(service)
    env = service_environment(service, overrides)
    (service.directory / "var").mkdir(exist_ok=True)
    log.info("%s%s: migrating", step, service.name)
    run_once(service, "migrate", env)
    return env


def cmd_serve(args: argparse.Namespace) -> int:
    service = get_service(args.name)
    port = args.port or service.port
    env = _prepare(service, _overrides(args, service, port))
    group = ProcessGroup()
    group.start(f"{service.name}-api", service, "api", env, host=args.host, port=port)
    if not args.no_worker:
        group.start(f"{service.name}-worker", service, "worker", env, host=args.host, port=port)
    return group.wait_forever()


def cmd_worker(args: argparse.Namespace) -> int:
    service = get_service(args.name)
    env = _prepare(service, _overrides(args, service, service.port))
    group = ProcessGroup()
    group.start(
        f"{service.name}-worker", service, "worker", env, host="127.0.0.1", port=service.port
    )
    return group.wait_forever()


def cmd_migrate(args: argparse.Namespace) -> int:
    service = get_service(args.name)
    _prepare(service, _overrides(args, service, service.port))
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    service = get_service(args.name)
    overrides = _overrides(args, service, service.port)
    env = _prepare(service, overrides)
    run_once(service, "create_admin", env)
    return 0


def cmd_up(args: argparse.Namespace) -> int:
    services = all_services()
    if not services:
        log.error("no services found under services/")
        return 1
    catcher = MailCatcher(smtp_port=args.smtp_port, http_port=args.mail_ui_port)
    catcher.start()
    base = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(args.smtp_port),
        "ADMIN_EMAIL": os.environ.get("ADMIN_EMAIL", UP_ADMIN_EMAIL),
        "ADMIN_PASSWORD": os.environ.get("ADMIN_PASSWORD", UP_ADMIN_PASSWORD),
    }
    group = ProcessGroup()
    try:
        for number, service in enumerate(services, start=1):
            step = f"[{number}/{len(services)}] "
            env = _prepare(service, base | _overrides(args, service, service.port), step)
            log.info("%s%s: starting its API and worker", step, service.name)
            group.start(
                f"{service.name}-api", service, "api", env, host=args.host, port=service.port
            )
            group.start(
                f"{service.name}-worker", service, "worker", env, host=args.host, port=service.port
            )
        for number, service in enumerate(services, start=1):
            url = f"http://{args.host}:{service.port}/ready"
            if not wait_ready(url, group):
                log.error("%s did not become ready at %s; stopping everything", service.name, url)
                return 1
            log.info("[%d/%d] %s: ready", number, len(services), service.name)
        _print_table(services, args, base)
        return group.wait_forever()
    finally:
        group.stop()
        catcher.stop()


def _print_table(
    services: Sequence[Service], args: argparse.Namespace, base: dict[str, str]
) -> None:
    lines = [f"{'service':<10} {'API':<28} {'Swagger UI':<34} stack"]
    for s in services:
        api = f"http://{args.host}:{s.port}"
        lines.append(f"{s.name:<10} {api:<28} {api + '/docs':<34} {s.summary}")
    lines.append("")
    lines.append(f"mail catcher: http://127.0.0.1:{args.mail_ui_port}  (SMTP on {args.smtp_port})")
    lines.append(
        f"admin: {base['ADMIN_EMAIL']} / {base['ADMIN_PASSWORD']}   Ctrl-C stops everything"
    )
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


def cmd_list(_args: argparse.Namespace) -> int:
    for s in all_services():
        sys.stdout.write(f"{s.name}\t{s.port}\t{s.summary}\n")
    return 0


def cmd_compose(args: argparse.Namespace) -> int:
    from bakeoff import compose  # PyYAML is a dev dependency: only this command needs it

    services = all_services()
    if args.check:
        diff = compose.stale_diff(services)
        if diff:
            sys.stdout.write(diff)
            log.error("docker-compose.yml is stale: run `uv run bakeoff compose` and commit it")
            return 1
        return 0
    compose.COMPOSE_PATH.write_text(compose.render(services))
    log.info("wrote %s (%d services)", compose.COMPOSE_PATH, len(services))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bakeoff.bench import runner, targets, wrk  # wrk, PostgreSQL, Redis clients: only here

    names = [n for n in (args.services or "").split(",") if n] or None
    scenarios = tuple(s for s in args.scenarios.split(",") if s)
    unknown = [s for s in scenarios if s not in targets.SCENARIOS]
    if unknown:
        log.error("unknown scenarios %s (known: %s)", unknown, ", ".join(targets.SCENARIOS))
        return 2
    settings = targets.Settings(
        duration=args.duration,
        runs=args.runs,
        warmup=args.warmup,
        connections=args.connections,
        create_connections=args.create_connections,
        users=args.users,
        embedded=args.embedded,
        scenarios=scenarios,
        pin=not args.no_pin,
    )
    try:
        return runner.run(names, settings, Path(args.output), baselines=not args.no_baselines)
    except wrk.WrkMissingError as exc:
        log.error("%s", exc)
        return 3


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bakeoff.bench import report

    return report.write(Path(args.bench), Path(args.reports), Path(args.out))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bakeoff", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add_urls(p: argparse.ArgumentParser) -> None:
        p.add_argument("--database-url", help="driver-neutral URL; {name} becomes the service name")
        p.add_argument("--broker-url", help="Celery broker URL; {name} becomes the service name")

    serve = sub.add_parser(
        "serve", help="migrate, then run the API and its worker in the foreground"
    )
    serve.add_argument("name")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int)
    serve.add_argument("--no-worker", action="store_true", help="run the API alone")
    add_urls(serve)
    serve.set_defaults(func=cmd_serve)

    up = sub.add_parser("up", help="every service side by side, with a local mail catcher")
    up.add_argument("--host", default="127.0.0.1")
    up.add_argument("--smtp-port", type=int, default=1025)
    up.add_argument("--mail-ui-port", type=int, default=8025)
    add_urls(up)
    up.set_defaults(func=cmd_up)

    worker = sub.add_parser("worker", help="migrate, then run the service's worker alone")
    worker.add_argument("name")
    add_urls(worker)
    worker.set_defaults(func=cmd_worker)

    migrate = sub.add_parser("migrate", help="apply the service's migrations")
    migrate.add_argument("name")
    add_urls(migrate)
    migrate.set_defaults(func=cmd_migrate)

    admin = sub.add_parser("create-admin", help="run the service's create-admin command")
    admin.add_argument("name")
    add_urls(admin)
    admin.set_defaults(func=cmd_create_admin)

    sub.add_parser("list", help="the services and their ports").set_defaults(func=cmd_list)

    compose = sub.add_parser("compose", help="generate docker-compose.yml from the manifests")
    compose.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 with a diff when it is stale"
    )
    compose.set_defaults(func=cmd_compose)
    bench = sub.add_parser("bench", help="load-test every service and the two baselines (wrk)")
    bench.add_argument("--services", help="comma-separated names; default every service")
    bench.add_argument("--embedded", action="store_true", help="SQLite instead of PostgreSQL+Redis")
    bench.add_argument("--duration", type=float, default=10.0, help="seconds per run (10)")
    bench.add_argument("--runs", type=int, default=3, help="timed runs per scenario (3)")
    bench.add_argument("--warmup", type=float, default=5.0, help="warm-up seconds (5; 0 skips)")
    bench.add_argument("--connections", type=int, default=64, help="open connections (64)")
    bench.add_argument(
        "--create-connections", type=int, default=16, help="connections for `create` (16)"
    )
    bench.add_argument("--users", type=int, default=10_000, help="seeded users (10000)")
    bench.add_argument("--scenarios", default="health,get,list,create")
    bench.add_argument("--no-baselines", action="store_true", help="skip the bare ASGI/WSGI apps")
    bench.add_argument("--no-pin", action="store_true", help="do not pin server and wrk to cores")
    bench.add_argument("--output", default="reports/bench.json")
    bench.set_defaults(func=cmd_bench)

    report = sub.add_parser("report", help="render report/index.html and report/README.md")
    report.add_argument("--bench", default="reports/bench.json")
    report.add_argument("--reports", default="reports", help="where tox wrote the JUnit XML files")
    report.add_argument("--out", default="report")
    report.set_defaults(func=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    configure_logging()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ManifestError as exc:
        log.error("%s", exc)
        return 2
    except KeyboardInterrupt:
        return 130
