"""Log lines (contract §8): exactly the contract's JSON keys, and one request line per answer."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from app.core.config import Settings
from app.core.context import request_id_var
from app.core.contract import MAX_HEADER_FIELDS
from app.core.logging import RequestIdFilter, configure_logging, json_formatter
from app.main import create_app
from sanic import Sanic

CONTRACT_KEYS = {"timestamp", "level", "logger", "message", "request_id"}
REQUEST_LINE_KEYS = {"method", "path", "status", "duration_ms"}


def json_lines(err: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


def request_lines(err: str) -> list[dict[str, Any]]:
    return [line for line in json_lines(err) if line["logger"] == "access"]


@contextmanager
def json_logs() -> Iterator[None]:
    """Inside the test body, where capsys owns stderr (the handler binds it when configured)."""
    configure_logging("INFO", "json")
    try:
        yield
    finally:
        configure_logging("INFO", "text")


def json_app(settings: Settings, **changes: str) -> Sanic[Any, Any]:
    Sanic.test_mode = True
    app = create_app(settings=settings.model_copy(update={"log_format": "json", **changes}))
    configure_logging(changes.get("log_level", "INFO"), "json")
    return app


def test_filter_stamps_the_current_request_id() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
    token = request_id_var.set("req-7")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    assert record.request_id == "req-7"  # type: ignore[attr-defined]


def test_a_json_line_has_exactly_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    with json_logs():
        logging.getLogger("app.test").info("plain %s", "line")
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("app.test").exception("failed")
    plain, failed = json_lines(capsys.readouterr().err)[-2:]
    assert set(plain) == CONTRACT_KEYS
    assert set(failed) == CONTRACT_KEYS | {"exc_info"}
    assert (plain["level"], plain["logger"], plain["request_id"]) == ("INFO", "app.test", "-")
    assert plain["message"] == "plain line"
    assert "ValueError: boom" in failed["exc_info"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", plain["timestamp"])
    assert datetime.fromisoformat(plain["timestamp"]).utcoffset() == timedelta(0)


def test_timestamps_keep_a_zero_fraction() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
    record.created = 1_800_000_000.0
    record.request_id = "-"
    line = json.loads(json_formatter().format(record))
    assert line["timestamp"] == "2027-01-15T08:00:00.000000+00:00"


async def test_one_request_line_per_answer(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    app = json_app(settings)
    try:
        capsys.readouterr()
        await app.asgi_client.get("/api/v2/users/me?x=1", headers={"X-Request-ID": "req-9"})
        [line] = request_lines(capsys.readouterr().err)
    finally:
        configure_logging("INFO", "text")
    assert set(line) == CONTRACT_KEYS | REQUEST_LINE_KEYS
    assert line["message"] == "GET /api/v2/users/me 401"
    assert (line["level"], line["request_id"]) == ("INFO", "req-9")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v2/users/me", 401)
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0


def test_a_refused_header_flood_has_its_request_line(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    flood = {f"x-flood-{i}": "x" for i in range(MAX_HEADER_FIELDS + 1)}
    app = json_app(settings)
    try:
        capsys.readouterr()
        _, resp = app.test_client.get("/health", headers=flood)
        assert resp.status == 431
        lines = request_lines(capsys.readouterr().err)
    finally:
        configure_logging("INFO", "text")
    assert [line["status"] for line in lines] == [431]


async def test_no_request_line_below_info(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    app = json_app(settings, log_level="WARNING")
    try:
        capsys.readouterr()
        await app.asgi_client.get("/health")
        assert request_lines(capsys.readouterr().err) == []
    finally:
        configure_logging("INFO", "text")


def test_sanics_own_access_log_is_off(settings: Settings) -> None:
    app = json_app(settings)
    configure_logging("INFO", "text")
    assert app.config.ACCESS_LOG is False
    assert not logging.getLogger("sanic.access").hasHandlers()
