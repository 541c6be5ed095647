"""The Celery app: broker from settings, at-least-once delivery, the outbox relay on beat."""

from typing import Any

from celery import Celery, signals

from app.core.config import get_settings
from app.core.context import request_id_var
from app.core.logging import configure_logging

RELAY_INTERVAL_SECONDS = 5.0
BROKER_TIMEOUT_SECONDS = 2

settings = get_settings()


def _transport_options(broker_url: str) -> dict[str, Any]:
    # Fail fast on a dead Redis so a publish in a request never hangs; the outbox relay retries.
    if broker_url.startswith(("redis://", "rediss://")):
        return {
            "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
            "socket_timeout": BROKER_TIMEOUT_SECONDS,
        }
    return {}


celery_app = Celery("users_api", broker=settings.broker_url, include=["app.worker.tasks"])
celery_app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    broker_connection_timeout=BROKER_TIMEOUT_SECONDS,
    broker_connection_retry_on_startup=True,
    broker_transport_options=_transport_options(settings.broker_url),
    worker_hijack_root_logger=False,
    beat_schedule={
        "outbox-relay": {"task": "outbox.relay", "schedule": RELAY_INTERVAL_SECONDS},
    },
)


@signals.setup_logging.connect
def _setup_logging(**_: Any) -> None:
    # Connecting this signal stops Celery from installing its own logging configuration.
    configure_logging(level=settings.log_level, fmt=settings.log_format)


@signals.task_prerun.connect
def _bind_request_id(task: Any = None, **_: Any) -> None:
    request_id = getattr(task.request, "request_id", None) if task is not None else None
    request_id_var.set(request_id)


@signals.task_postrun.connect
def _unbind_request_id(**_: Any) -> None:
    request_id_var.set(None)
