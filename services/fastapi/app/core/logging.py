"""stdlib logging with the current request id on every record (text or JSON lines)."""

import logging
import logging.config

from app.core.context import request_id_var

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamps `record.request_id` from the context (a request, or a worker job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


def configure_logging(*, level: str, fmt: str) -> None:
    formatter: dict[str, object] = (
        {"()": "pythonjsonlogger.json.JsonFormatter", "format": JSON_FORMAT}
        if fmt == "json"
        else {"format": TEXT_FORMAT}
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
                "uvicorn.access": delegated,
                "celery": delegated,
            },
        }
    )
