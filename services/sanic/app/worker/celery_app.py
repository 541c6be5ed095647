"""The Celery application: producer side (API) and worker side share this configuration."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import setup_logging

from app.core.config import Settings, get_settings
from app.core.logging import configure_logging

log = logging.getLogger("app.worker")
RELAY_EVERY_SECONDS = 5.0


def create_celery(settings: Settings) -> Celery:
    celery = Celery("users_api_sanic", broker=settings.broker_url, include=["app.worker.tasks"])
    if settings.broker_url.startswith("sqla+sqlite:///"):
        path = Path(settings.broker_url.removeprefix("sqla+sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
    transport_options: dict[str, Any] = {"max_retries": 0}
    if settings.broker_url.startswith(("redis://", "rediss://")):
        transport_options |= {"socket_connect_timeout": 1, "socket_timeout": 2}
    celery.conf.update(
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=True,
        broker_transport_options=transport_options,
        worker_hijack_root_logger=False,
        beat_schedule={
            "outbox-relay": {
                "task": "outbox.relay",
                "schedule": RELAY_EVERY_SECONDS,
            }
        },
    )
    return celery


def broker_reachable(celery: Celery, timeout: float) -> bool:
    try:
        with celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=max(1, int(timeout)))
    except Exception as exc:
        log.warning("readiness: broker check failed: %r", exc)
        return False
    return True


@setup_logging.connect
def _logging(**_: Any) -> None:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)


celery_app = create_celery(get_settings())
