"""stdlib logging with the request id on every line, as text or as contract §8's JSON lines."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from gunicorn import glogging
from pythonjsonlogger import json as jsonlogger

from usersapi.core.context import request_id_var

# Contract §8: every line has the first five; `exc_info` with an exception; the rest on the
# `access` request line.
JSON_KEYS = frozenset(
    {"timestamp", "level", "logger", "message", "request_id", "exc_info"}
    | {"method", "path", "status", "duration_ms"}
)
JSON_FORMAT = "%(levelname)s %(name)s %(message)s %(request_id)s"
JSON_RENAMES = {"levelname": "level", "name": "logger"}
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(name)s] request_id=%(request_id)s %(message)s"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class TextFormatter(logging.Formatter):
    """The text layout, plus a request line's duration (its message already has the rest)."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        duration = getattr(record, "duration_ms", None)
        return line if duration is None else f"{line} {duration:.1f}ms"


class JsonFormatter(jsonlogger.JsonFormatter):
    """python-json-logger held to the contract's keys: other libraries' `extra` (Celery's `data`,
    Django's `request`) stay out, and the timestamp keeps its microseconds even when they are 0
    (`datetime.isoformat()` drops them)."""

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        for key in log_data.keys() - JSON_KEYS:
            del log_data[key]
        log_data["timestamp"] = datetime.fromtimestamp(record.created, UTC).isoformat(
            timespec="microseconds"
        )


def json_formatter() -> JsonFormatter:
    return JsonFormatter(JSON_FORMAT, rename_fields=JSON_RENAMES, timestamp=True)


class GunicornLogger(glogging.Logger):  # type: ignore[misc]
    """gunicorn's own lines (the master's and the workers') as JSON when LOG_FORMAT=json
    (gunicorn.conf.py `logger_class`); its access log stays off."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        from usersapi.core.config import get_settings

        if get_settings().log_format != "json":
            return
        for handler in self.error_log.handlers:
            handler.setFormatter(json_formatter())
            handler.addFilter(RequestIdFilter())


def logging_config(*, level: str, fmt: str) -> dict[str, Any]:
    """The LOGGING dict for Django; the Celery worker reuses it (see usersapi/celery.py)."""
    formatter: dict[str, Any] = (
        {"()": json_formatter} if fmt == "json" else {"()": TextFormatter, "fmt": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level.upper()},
        "loggers": {
            # Error responses are logged once by our own handlers, with the request id.
            "django.request": {"level": "CRITICAL"},
            # runserver's access lines: AccessLogMiddleware writes the one request line.
            "django.server": {"handlers": [], "propagate": False},
        },
    }
