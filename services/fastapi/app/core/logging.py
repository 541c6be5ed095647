"""stdlib logging with the current request id on every record (text or JSON lines, contract §8)."""

import datetime
import logging
import logging.config
from typing import Any

from pythonjsonlogger.json import JsonEncoder, JsonFormatter

from app.core.context import request_id_var

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FORMAT = "%(levelname)s %(name)s %(message)s %(request_id)s"
JSON_RENAMES = {"levelname": "level", "name": "logger"}
# Contract §8's keys, and no others: libraries log extras of their own (uvicorn's
# `color_message`, Celery's `data`) that are not part of the schema.
JSON_KEYS = frozenset(
    {"timestamp", "level", "logger", "message", "request_id", "exc_info"}
    | {"method", "path", "status", "duration_ms"}
)


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


class ContractJsonFormatter(JsonFormatter):
    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in log_data.items() if key in JSON_KEYS}


def json_formatter() -> JsonFormatter:
    """Exactly timestamp, level, logger, message, request_id (+ exc_info, + request-line keys)."""
    return ContractJsonFormatter(
        JSON_FORMAT,
        rename_fields=JSON_RENAMES,
        timestamp="timestamp",
        json_encoder=TimestampEncoder,
    )


def configure_logging(*, level: str, fmt: str) -> None:
    formatter: dict[str, Any] = (
        {"()": json_formatter} if fmt == "json" else {"()": TextFormatter, "fmt": TEXT_FORMAT}
    )
    # uvicorn and celery loggers lose their own handlers and propagate to ours.
    delegated = {"handlers": [], "propagate": True}
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"request_id": {"()": RequestIdFilter}},
            "formatters": {"default": formatter},
            "handlers": {
                "stderr": {
                    "class": "logging.StreamHandler",
                    "formatter": "default",
                    "filters": ["request_id"],
                }
            },
            "root": {"level": level.upper(), "handlers": ["stderr"]},
            "loggers": {
                "uvicorn": delegated,
                "uvicorn.error": delegated,
                # Off whatever started uvicorn (`--no-access-log` does the same; `fastapi run`
                # has no such flag): with no handler anywhere uvicorn skips its access line.
                # The `access` logger (app.core.middleware) writes the one request line.
                "uvicorn.access": {"handlers": [], "propagate": False},
                "celery": delegated,
            },
        }
    )
