"""Work that runs once the response has been sent (Django's request_finished), on the same thread.

Publishing a job after commit but before the response is flushed adds broker latency to every
create; deferring it to request_finished keeps the request fast and still publishes "at once".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished
from django.db import close_old_connections
from django.dispatch import receiver

log = logging.getLogger(__name__)
_local = threading.local()


def begin_request() -> None:
    _local.queue = []


def run_after_response(func: Callable[[], object]) -> None:
    """Queue `func` for after the response; outside a request (commands, worker) run it now."""
    queue: list[Callable[[], object]] | None = getattr(_local, "queue", None)
    if queue is None:
        func()
    else:
        queue.append(func)


@receiver(request_finished, dispatch_uid="usersapi.after_response")
def _drain(**_: Any) -> None:
    queue: list[Callable[[], object]] | None = getattr(_local, "queue", None)
    _local.queue = None
    if not queue:
        return
    for func in queue:
        try:
            func()
        except Exception:
            log.exception("after-response work failed")
    close_old_connections()  # hand the connection back (to the pool) until the next request
