import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings, get_settings
from app.core.context import request_id_var
from app.core.contract import MAX_HEADER_FIELDS
from app.core.logging import RequestIdFilter, configure_logging, json_formatter
from app.main import create_app


def test_filter_stamps_the_current_request_id() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
    token = request_id_var.set("req-7")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    assert record.request_id == "req-7"  # type: ignore[attr-defined]


def test_json_lines_carry_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(level="INFO", fmt="json")
    token = request_id_var.set("req-8")
    try:
        logging.getLogger("app.test").info("hello %s", "world")
    finally:
        request_id_var.reset(token)
        configure_logging(level="INFO", fmt="text")
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert (line["request_id"], line["message"]) == ("req-8", "hello world")


CONTRACT_KEYS = {"timestamp", "level", "logger", "message", "request_id"}
REQUEST_LINE_KEYS = {"method", "path", "status", "duration_ms"}


def json_lines(err: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


@contextmanager
def json_logging_app(settings: Settings, **changes: str) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"log_format": "json", **changes}))
    app.dependency_overrides[get_settings] = lambda: settings
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client
    finally:
        configure_logging(level="INFO", fmt="text")


def request_lines(err: str) -> list[dict[str, Any]]:
    return [line for line in json_lines(err) if line["logger"] == "access"]


def test_a_json_line_has_exactly_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(level="INFO", fmt="json")
    try:
        # Extras that libraries add (uvicorn, Celery) stay out of the line.
        logging.getLogger("app.test").info("plain", extra={"color_message": "x", "data": {}})
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("app.test").exception("failed")
    finally:
        configure_logging(level="INFO", fmt="text")
    plain, failed = json_lines(capsys.readouterr().err)[-2:]
    assert set(plain) == CONTRACT_KEYS
    assert set(failed) == CONTRACT_KEYS | {"exc_info"}
    assert (plain["level"], plain["logger"], plain["request_id"]) == ("INFO", "app.test", "-")
    assert "ValueError: boom" in failed["exc_info"]
    # ISO 8601 UTC with microseconds, always.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", plain["timestamp"])
    assert datetime.fromisoformat(plain["timestamp"]).utcoffset() == timedelta(0)


def test_timestamps_keep_a_zero_fraction() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
    record.created = 1_800_000_000.0
    record.request_id = "-"
    line = json.loads(json_formatter().format(record))
    assert line["timestamp"] == "2027-01-15T08:00:00.000000+00:00"


@pytest.mark.usefixtures("published")
def test_one_request_line_per_answer(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    with json_logging_app(settings) as client:
        capsys.readouterr()
        client.get("/api/v2/users/me?x=1", headers={"X-Request-ID": "req-9"})
    [line] = request_lines(capsys.readouterr().err)
    assert set(line) == CONTRACT_KEYS | REQUEST_LINE_KEYS
    assert line["message"] == "GET /api/v2/users/me 401"
    assert (line["level"], line["request_id"]) == ("INFO", "req-9")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v2/users/me", 401)
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0


@pytest.mark.usefixtures("published")
def test_a_refused_header_flood_has_its_request_line(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    flood = {f"X-Flood-{i}": "x" for i in range(MAX_HEADER_FIELDS + 1)}
    with json_logging_app(settings) as client:
        capsys.readouterr()
        assert client.get("/health", headers=flood).status_code == 431
    assert [line["status"] for line in request_lines(capsys.readouterr().err)] == [431]


@pytest.mark.usefixtures("published")
def test_no_request_line_below_info(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    with json_logging_app(settings, log_level="WARNING") as client:
        client.get("/health")
    assert request_lines(capsys.readouterr().err) == []


def test_uvicorn_access_log_is_off() -> None:
    configure_logging(level="INFO", fmt="json")
    try:
        assert not logging.getLogger("uvicorn.access").hasHandlers()
    finally:
        configure_logging(level="INFO", fmt="text")


@pytest.mark.usefixtures("published")
def test_an_unhandled_error_has_one_request_line(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom() -> None:
        raise RuntimeError("boom")

    with json_logging_app(settings) as client:
        client.app.router.add_api_route("/boom", boom)  # type: ignore[attr-defined]
        capsys.readouterr()
        assert client.get("/boom").status_code == 500
    assert [line["message"] for line in request_lines(capsys.readouterr().err)] == ["GET /boom 500"]
