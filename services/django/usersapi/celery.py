"""The Celery app, configured from Django settings (CELERY_*) with tasks autodiscovered per app."""

from __future__ import annotations

import logging.config
import os
from typing import Any

from celery import Celery, Task, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "usersapi.settings")

app = Celery("usersapi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "request_id"


@signals.setup_logging.connect
def _use_django_logging(**_: Any) -> None:
    """The worker logs through the same handlers (and request-id filter) as the API."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.task_prerun.connect
def _bind_request_id(task: Task[Any, Any] | None = None, **_: Any) -> None:
    from usersapi.core.context import request_id_var

    request_id = getattr(task.request, REQUEST_ID_HEADER, None) if task else None
    request_id_var.set(request_id or "-")


@signals.task_postrun.connect
def _unbind_request_id(**_: Any) -> None:
    from usersapi.core.context import request_id_var

    request_id_var.set("-")
