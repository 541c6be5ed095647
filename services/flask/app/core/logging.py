"""stdlib logging; every line carries the request id of the request (or job) it belongs to, and
each answered request writes one line on the `access` logger (contract §8)."""

from __future__ import annotations

import datetime
import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from gunicorn import glogging
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonEncoder, JsonFormatter

from app.core.config import Settings, get_settings
from app.core.context import request_id_var

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FORMAT = "%(levelname)s %(name)s %(message)s %(request_id)s"
JSON_RENAMES = {"levelname": "level", "name": "logger"}

access_log = logging.getLogger("access")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
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
    """Exactly timestamp, level, logger, message, request_id (+ exc_info, + a request line's)."""
    return JsonFormatter(
        JSON_FORMAT,
        rename_fields=JSON_RENAMES,
        timestamp="timestamp",
        reserved_attrs=list(RESERVED_ATTRS),
        json_encoder=TimestampEncoder,
    )


def configure_logging(settings: Settings) -> None:
    """Idempotent: the factory runs once per process, tests call it many times."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if settings.log_format == "json":
        handler.setFormatter(json_formatter())
    else:
        handler.setFormatter(TextFormatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_users_api", False)]:
        root.removeHandler(old)
    handler._users_api = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())


class GunicornLogger(glogging.Logger):  # type: ignore[misc]
    """gunicorn's own lines (the master's and the workers') in the service's format, JSON with
    LOG_FORMAT=json (gunicorn.conf.py `logger_class`); its access log stays off."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        if get_settings().log_format != "json":
            return
        for handler in self.error_log.handlers:
            handler.setFormatter(json_formatter())
            handler.addFilter(RequestIdFilter())


class AccessLog:
    """The outermost WSGI middleware: one `access` line per answer, once its body has left.

    Logged when the server closes the answer, before the after-response work (the outbox
    publish) that closing runs. Skipped without any work when `access` is not enabled for INFO.
    """

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if not access_log.isEnabledFor(logging.INFO):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        answer = _Answer(start_response)
        body = self.wsgi_app(environ, answer.start_response)
        return _Logged(body, lambda: _log(environ, answer, started))


class _Answer:
    """Notes the status and request id of the answer as it starts."""

    def __init__(self, server_start_response: Any) -> None:
        self.server_start_response = server_start_response
        self.status = 500
        self.request_id = "-"

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Any:
        self.status = int(status.split(" ", 1)[0])
        self.request_id = next((v for k, v in headers if k == "X-Request-ID"), "-")
        return self.server_start_response(status, headers, exc_info)

    def force_close(self) -> None:
        """gunicorn's, for the inner middlewares that close a connection (they look it up on
        `start_response.__self__`)."""
        force_close = getattr(
            getattr(self.server_start_response, "__self__", None), "force_close", None
        )
        if callable(force_close):
            force_close()


class _Logged:
    """The answer's body, logging once the server has sent it (close), before closing it."""

    def __init__(self, body: Iterable[bytes], log: Callable[[], None]) -> None:
        self.body = body
        self.log = log

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            self.log()
        finally:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()


def _log(environ: dict[str, Any], answer: _Answer, started: float) -> None:
    method, status = environ["REQUEST_METHOD"], answer.status
    path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")  # as Flask
    # The app's request context (and its request id) has ended; the answer still names it.
    token = request_id_var.set(answer.request_id)
    try:
        access_log.info(
            "%s %s %d",
            method,
            path,
            status,
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            },
        )
    finally:
        request_id_var.reset(token)
