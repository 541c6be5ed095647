import json
import logging

import pytest

from app.core.context import request_id_var
from app.core.logging import RequestIdFilter, configure_logging


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
