"""Log lines (contract §8): the exact JSON keys, and one `access` line per answered request."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from app import create_app
from app.core.config import Settings
from app.core.db import Base
from app.extensions import db
from flask import Flask

BASE_KEYS = {"timestamp", "level", "logger", "message", "request_id"}
REQUEST_LINE_KEYS = BASE_KEYS | {"method", "path", "status", "duration_ms"}
TIMESTAMP_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


def json_app(settings: Settings, level: str = "INFO") -> Flask:
    settings.log_format, settings.log_level = "json", level
    app = create_app(settings, TESTING=True)
    with app.app_context():
        Base.metadata.create_all(db.engine)
    return app


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_one_request_line_per_answer_with_exactly_the_contract_keys(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    app = json_app(settings)
    capsys.readouterr()
    resp = app.test_client().get("/api/v2/users/me?x=1", headers={"X-Request-ID": "req-log-1"})
    resp.close()  # the server closes the answer once sent: the line is written then
    assert resp.status_code == 401
    [line] = [entry for entry in json_lines(capsys.readouterr().err) if entry["logger"] == "access"]
    assert set(line) == REQUEST_LINE_KEYS
    assert line["message"] == "GET /api/v2/users/me 401"
    assert (line["level"], line["request_id"]) == ("INFO", "req-log-1")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v2/users/me", 401)
    assert isinstance(line["duration_ms"], float)
    assert TIMESTAMP_RE.match(line["timestamp"])


def test_other_lines_have_the_base_keys_and_exc_info_on_exceptions(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    json_app(settings)
    capsys.readouterr()
    log = logging.getLogger("app.test")
    log.warning("plain %s", "line")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        log.exception("failed")
    plain, failed = json_lines(capsys.readouterr().err)
    assert set(plain) == BASE_KEYS
    assert (plain["message"], plain["level"], plain["request_id"]) == ("plain line", "WARNING", "-")
    assert set(failed) == BASE_KEYS | {"exc_info"}
    assert "RuntimeError: boom" in failed["exc_info"]


def test_no_request_line_below_info(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    app = json_app(settings, level="WARNING")
    capsys.readouterr()
    app.test_client().get("/health").close()
    assert [e for e in json_lines(capsys.readouterr().err) if e["logger"] == "access"] == []


def test_the_access_log_middleware_keeps_the_servers_force_close_reachable() -> None:
    """Inner middlewares close a connection (413, 431) through start_response.__self__."""
    from app.core.logging import AccessLog

    class ServerResponse:
        closed = False

        def start_response(self, status: str, headers: Any, exc_info: Any = None) -> None:
            return None

        def force_close(self) -> None:
            self.closed = True

    def inner(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response.__self__.force_close()
        start_response("413 Payload Too Large", [("X-Request-ID", "r")])
        return [b""]

    server = ServerResponse()
    AccessLog(inner)({"REQUEST_METHOD": "POST", "PATH_INFO": "/x"}, server.start_response)
    assert server.closed


def test_gunicorns_own_lines_are_json_with_log_format_json(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core import logging as app_logging
    from gunicorn.config import Config
    from pythonjsonlogger.json import JsonFormatter

    json_settings = Settings(_env_file=None, log_format="json", secret_key="k" * 40)
    monkeypatch.setattr(app_logging, "get_settings", lambda: json_settings)
    logger = app_logging.GunicornLogger(Config())
    assert logger.error_log.handlers
    assert all(isinstance(h.formatter, JsonFormatter) for h in logger.error_log.handlers)
