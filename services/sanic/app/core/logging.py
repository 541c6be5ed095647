"""stdlib logging: one format for every logger (Sanic's too), the request id on every line,
and one request line per answered request on logger `access` (contract §8)."""

from __future__ import annotations

import datetime
import logging
import logging.config
import time
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonEncoder, JsonFormatter
from sanic import HTTPResponse, Request, Sanic

from app.core.context import bind_request, request_id_var

access_log = logging.getLogger("access")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s [%(request_id)s] %(message)s"
JSON_FORMAT = "%(levelname)s %(name)s %(message)s %(request_id)s"
JSON_RENAMES = {"levelname": "level", "name": "logger"}
# Sanic marks some debug records with a `verbosity` extra; it is not a contract key.
JSON_SKIPPED = [*RESERVED_ATTRS, "verbosity"]


class RequestIdFilter(logging.Filter):
    """Stamps `record.request_id` from the context (a request, or a worker job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


class TextFormatter(logging.Formatter):
    """The text layout, plus a request line's duration (the message already has the rest)."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        duration = getattr(record, "duration_ms", None)
        return line if duration is None else f"{line} {duration:.1f}ms"


class TimestampEncoder(JsonEncoder):
    # isoformat() drops the fraction when it is zero; the contract wants microseconds always.
    def format_datetime_obj(self, o: datetime.time | datetime.date | datetime.datetime) -> str:
        if isinstance(o, datetime.datetime):
            return o.isoformat(timespec="microseconds")
        return super().format_datetime_obj(o)


def json_formatter() -> JsonFormatter:
    """Exactly timestamp, level, logger, message, request_id (+ exc_info, + extras)."""
    return JsonFormatter(
        JSON_FORMAT,
        rename_fields=JSON_RENAMES,
        timestamp="timestamp",
        reserved_attrs=JSON_SKIPPED,
        json_encoder=TimestampEncoder,
    )


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    formatter: dict[str, Any] = (
        {"()": json_formatter} if fmt == "json" else {"()": TextFormatter, "fmt": TEXT_FORMAT}
    )
    delegated = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level.upper(), "handlers": ["default"]},
        "loggers": {
            name: delegated
            for name in ("sanic.root", "sanic.error", "sanic.server", "sanic.websockets", "celery")
        }
        # Sanic's own access line is off (ACCESS_LOG=False); `access` below replaces it.
        | {"sanic.access": {"handlers": [], "propagate": False}},
    }


def configure_logging(level: str, fmt: str) -> None:
    logging.config.dictConfig(logging_config(level, fmt))


async def _request_started(request: Request) -> None:
    request.ctx.started = time.perf_counter()
    bind_request(request)


async def _request_answered(request: Request, response: HTTPResponse) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    started = getattr(request.ctx, "started", None)
    elapsed = 0.0 if started is None else time.perf_counter() - started
    method, path, status = request.method, request.path, response.status
    access_log.info(
        "%s %s %d",
        method,
        path,
        status,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(elapsed * 1000, 3),
        },
    )


def install_request_line(app: Sanic[Any, Any]) -> None:
    """The request line from Sanic's lifecycle signals: the first thing after the head is read,
    the last before the answer is sent, so refusals before routing (431) are logged too."""
    app.signal("http.lifecycle.request", priority=20_000)(_request_started)
    app.signal("http.lifecycle.response", priority=-20_000)(_request_answered)
