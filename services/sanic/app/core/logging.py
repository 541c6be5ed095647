"""stdlib logging: one format for every logger (Sanic's too), the request id in every line."""

from __future__ import annotations

import logging
import logging.config
from typing import Any

from app.core.context import request_id_var


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


class AccessMessageFilter(logging.Filter):
    """Sanic's access records carry their data as extras with an empty message; spell it out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.msg and hasattr(record, "request"):
            record.msg = '%s "%s" %s %s%s'
            record.args = (
                getattr(record, "host", "-"),
                getattr(record, "request", "-"),
                getattr(record, "status", "-"),
                getattr(record, "byte", "-"),
                getattr(record, "duration", ""),
            )
        return True


TEXT_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(process)d %(name)s %(request_id)s %(message)s"


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"levelname": "level", "asctime": "time", "name": "logger"},
        }
        if fmt == "json"
        else {"format": TEXT_FORMAT}
    )
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "default",
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": RequestIdFilter},
            "access": {"()": AccessMessageFilter},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "default": handler,
            "access": handler | {"filters": ["request_id", "access"]},
        },
        "root": {"level": level.upper(), "handlers": ["default"]},
        "loggers": {
            name: {"level": level.upper(), "handlers": ["default"], "propagate": False}
            for name in ("sanic.root", "sanic.error", "sanic.server", "sanic.websockets", "celery")
        }
        | {"sanic.access": {"level": "INFO", "handlers": ["access"], "propagate": False}},
    }


def configure_logging(level: str, fmt: str) -> None:
    logging.config.dictConfig(logging_config(level, fmt))
