"""After `docker compose up`: every API is ready, and signing up lands a welcome email in Mailpit.

Usage: python3 docker/smoke.py  (standard library only; ports from `docker compose config`)
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

log = logging.getLogger("smoke")
TIMEOUT_SECONDS = 120.0


def _published_port(spec: dict[str, Any]) -> int:
    return int(spec["ports"][0]["published"])


def compose_ports() -> dict[str, int]:
    """API name -> published port, and `mailpit` -> its web UI port, as Compose resolves them."""
    config = subprocess.run(
        ["docker", "compose", "config", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    services: dict[str, dict[str, Any]] = json.loads(config.stdout)["services"]
    ports = {
        name.removesuffix("-api"): _published_port(spec)
        for name, spec in services.items()
        if name.endswith("-api")
    }
    ports["mailpit"] = _published_port(services["mailpit"])
    return ports


def request(url: str, body: dict[str, str] | None = None) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_for(what: str, check: Any) -> Any:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        try:
            result = check()
        except (OSError, ValueError) as exc:
            result = None
            log.debug("%s: %s", what, exc)
        if result:
            return result
        if time.monotonic() > deadline:
            raise SystemExit(f"smoke: gave up waiting for {what}")
        time.sleep(2)


def check_service(name: str, port: int, mailpit: str) -> None:
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{name} /ready", lambda: request(f"{base}/ready")[0] == 200)
    email = f"smoke-{name}-{uuid.uuid4().hex[:8]}@example.com"
    full_name = f"Smoke {name.title()}"
    status, body = request(
        f"{base}/api/v2/users",
        {"email": email, "name": full_name, "password": "correct-horse-battery"},
    )
    if status != 201:
        raise SystemExit(f"smoke: {name} sign-up answered {status}: {body}")
    query = urllib.parse.urlencode({"query": f"to:{email}"})

    def delivered() -> list[dict[str, Any]]:
        _, found = request(f"{mailpit}/api/v1/search?{query}")
        messages: list[dict[str, Any]] = json.loads(found).get("messages") or []
        return messages

    messages = wait_for(f"{name}'s welcome email to {email}", delivered)
    subject = messages[0].get("Subject")
    if subject != f"Welcome, {full_name}!":
        raise SystemExit(f"smoke: {name} sent the subject {subject!r}")
    log.info("%s: ready on %s, welcome email delivered", name, base)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s smoke %(message)s")
    ports = compose_ports()
    mailpit = f"http://127.0.0.1:{ports.pop('mailpit')}"
    wait_for("Mailpit", lambda: request(f"{mailpit}/readyz")[0] == 200)
    for name, port in sorted(ports.items(), key=lambda item: item[1]):
        check_service(name, port, mailpit)
    log.info("all %d services passed", len(ports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
