"""Contract §8: JSON lines with exactly the contract's keys, one `access` line per answer."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import logging.config
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from gunicorn.config import Config
from usersapi.core.config import get_settings
from usersapi.core.logging import GunicornLogger, logging_config

pytestmark = pytest.mark.django_db

EVERY_LINE = {"timestamp", "level", "logger", "message", "request_id"}
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00")


@contextlib.contextmanager
def captured(fmt: str) -> Iterator[io.StringIO]:
    """The service's logging in `fmt`, written to a buffer; the previous config afterwards."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    logging.config.dictConfig(logging_config(level="INFO", fmt=fmt))
    stream = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    try:
        yield stream
    finally:
        root.handlers, root.level = saved[0], saved[1]


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    with captured("json") as stream:
        yield stream


def lines(stream: io.StringIO, logger: str) -> list[dict[str, object]]:
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [entry for entry in entries if entry["logger"] == logger]


def test_one_request_line_with_exactly_the_contracts_keys(
    client: Client, json_lines: io.StringIO
) -> None:
    resp = client.get("/api/v2/users/me?x=1", headers={"X-Request-ID": "req-log-1"})
    assert resp.status_code == 401
    [line] = lines(json_lines, "access")
    assert set(line) == EVERY_LINE | {"method", "path", "status", "duration_ms"}
    assert line["level"] == "INFO"
    assert line["message"] == "GET /api/v2/users/me 401"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v2/users/me", 401)
    assert line["request_id"] == "req-log-1"
    assert isinstance(line["duration_ms"], float)
    assert TIMESTAMP.fullmatch(str(line["timestamp"]))


def test_a_plain_line_has_the_five_keys_and_exc_info_on_an_exception(
    json_lines: io.StringIO,
) -> None:
    log = logging.getLogger("usersapi.test")
    log.warning("plain %s", "line", extra={"data": {"celery": "extra"}})
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        log.exception("failed")
    plain, failed = lines(json_lines, "usersapi.test")
    assert set(plain) == EVERY_LINE
    assert (plain["message"], plain["level"], plain["request_id"]) == ("plain line", "WARNING", "-")
    assert set(failed) == EVERY_LINE | {"exc_info"}
    assert "RuntimeError: boom" in str(failed["exc_info"])


def test_no_request_line_below_info(client: Client, json_lines: io.StringIO) -> None:
    logging.getLogger("access").setLevel(logging.WARNING)
    try:
        client.get("/health")
    finally:
        logging.getLogger("access").setLevel(logging.NOTSET)
    assert lines(json_lines, "access") == []


def test_a_text_request_line_carries_the_duration_too(client: Client) -> None:
    with captured("text") as stream:
        client.get("/health", headers={"X-Request-ID": "req-text"})
    [line] = [line for line in stream.getvalue().splitlines() if "[access]" in line]
    assert re.search(r" INFO \[access\] request_id=req-text GET /health 200 \d+\.\dms$", line)


def test_gunicorns_own_lines_are_json_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    get_settings.cache_clear()
    stream = io.StringIO()
    try:
        logger = GunicornLogger(Config())
        [handler] = logger.error_log.handlers
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(stream)
        logger.error_log.warning("Booting worker with pid: %s", 42)
    finally:
        get_settings.cache_clear()
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert set(line) == EVERY_LINE
    assert (line["logger"], line["message"]) == ("gunicorn.error", "Booting worker with pid: 42")
