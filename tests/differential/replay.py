"""Send one probe to one live service, exactly as written, and normalise the answer the way the
parity suite does (plus the set of header names)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs

from tests.differential.probes import Probe, curl
from tests.parity.corpus import Step
from tests.parity.replay import Replayer
from tests.support.rawhttp import exchange

# Contract §9: persistence is fixed only for these answers; elsewhere it is the server's choice.
CLOSING_DETAILS = {"Request header fields are ambiguous"}
CLOSING_STATUSES = {413, 431}


def wire(replayer: Replayer, probe: Probe) -> tuple[str, list[tuple[str, str]], bytes]:
    path = replayer.fill(probe.path)
    fields = [("Host", f"127.0.0.1:{replayer.live.port}")]
    fields += [(name, replayer.fill(value)) for name, value in probe.headers]
    if probe.auth is not None:
        token = replayer.token_for(probe.auth)
        fields.append(("Authorization", probe.auth_format.replace("{token}", token)))
    body = probe.body or b""
    if probe.templated_body:
        body = replayer.fill(body.decode()).encode()
    if probe.body is not None or probe.method in ("POST", "PATCH", "PUT"):
        fields.append(("Content-Length", str(len(body))))
    return path, fields, body


def answer(replayer: Replayer, probe: Probe) -> dict[str, Any]:
    path, fields, body = wire(replayer, probe)
    try:
        sent = exchange(
            replayer.live.port, probe.method, path, fields, body, timeout=30.0, linger=0.001
        )
    except OSError as exc:
        return {"transport_error": f"{type(exc).__name__}: {exc}"}
    response = sent.response
    if response is None:
        return {"transport_error": f"no complete answer: {sent.raw[:200]!r}"}
    rid = probe.header("X-Request-ID")
    step = Step(
        "fuzz",
        probe.method,
        path,
        headers={"X-Request-ID": rid} if rid is not None else {},
        save=probe.save,
        login=probe.login,
    )
    normalised, body = replayer.normalise(step, response)
    detail = body.get("detail") if isinstance(body, dict) else None
    if response.status_code not in CLOSING_STATUSES and detail not in CLOSING_DETAILS:
        normalised["headers"]["connection"] = "<server's choice>"
    return normalised


def as_curl(replayer: Replayer, probe: Probe) -> str:
    path, fields, body = wire(replayer, probe)
    return curl(probe.method, f"{replayer.live.base_url}{path}", fields, body)


class LoginWindow:
    """Keeps each generated login clear of the edge of the failed-login window (contract §5:
    10 failures per email in 60 s). The four receive a request milliseconds apart, so a failure
    about to leave the window could still count in one service and not in another."""

    WINDOW = 60.0
    MARGIN = 1.0

    def __init__(self) -> None:
        self.sent: dict[str, list[float]] = {}

    @staticmethod
    def email(probe: Probe) -> str | None:
        if not probe.body:
            return None
        try:
            names = parse_qs(probe.body.decode("utf-8"), keep_blank_values=True).get("username")
        except (UnicodeDecodeError, ValueError):
            return None
        return names[0].strip().lower() if names else None

    def wait(self, probe: Probe) -> None:
        email = self.email(probe)
        while email is not None:
            now = time.monotonic()
            edges = [t + self.WINDOW for t in self.sent.get(email, ())]
            near = [e for e in edges if abs(e - now) < self.MARGIN]
            if not near:
                return
            time.sleep(max(near) + self.MARGIN - now)

    def record(self, probe: Probe) -> None:
        email = self.email(probe)
        if email is not None:
            self.sent.setdefault(email, []).append(time.monotonic())
