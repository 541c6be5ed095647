"""Celery bound to Flask the way Flask's "Background Tasks with Celery" page does it."""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask

from app.core.context import request_id_var

RELAY_EVERY_SECONDS = 5.0


def celery_config(broker_url: str) -> dict[str, Any]:
    transport_options: dict[str, Any] = {}
    if broker_url.startswith(("redis://", "rediss://")):
        # A sign-up must not wait on a dead broker: connect fast, let the relay retry later.
        # An unacknowledged job (worker died mid-job) is redelivered after the visibility timeout.
        transport_options = {
            "socket_connect_timeout": 1,
            "socket_timeout": 2,
            "visibility_timeout": 120,
        }
    return {
        "broker_url": broker_url,
        "broker_connection_timeout": 2,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": transport_options,
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,
        "imports": ["app.worker.tasks"],
        "beat_schedule": {
            "outbox-relay": {"task": "outbox.relay", "schedule": RELAY_EVERY_SECONDS},
        },
    }


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):  # type: ignore[type-arg]
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            token = request_id_var.set(str(kwargs.get("request_id") or "-"))
            try:
                with app.app_context():
                    return self.run(*args, **kwargs)
            finally:
                request_id_var.reset(token)

    celery_app: Celery = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(celery_config(app.config["SETTINGS"].broker_url))
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
