"""The transactional outbox: write the job with the data, publish after commit, relay leftovers.

A published job can still be lost by the broker (Redis without persistence drops its queues on a
restart), so the relay also publishes again a row still undelivered `OUTBOX_REDELIVER_AFTER` after
it was last handed to the broker. The task locks the row and skips delivered rows, so a second
copy never sends a second email.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from usersapi.core.after_response import run_after_response
from usersapi.core.context import request_id_var
from usersapi.core.models import Outbox

log = logging.getLogger(__name__)

# kind -> function that hands one outbox row to the broker (registered by the feature's tasks).
PUBLISHERS: dict[str, Callable[[Outbox], None]] = {}
RELAY_AFTER = timedelta(seconds=5)


def outbox_enqueue(*, kind: str, payload: dict[str, Any], request_id: str) -> Outbox:
    """Call inside the transaction that makes the job necessary; publishing waits for its commit."""
    entry = Outbox.objects.create(
        kind=kind, payload=payload, request_id=request_id, created_at=timezone.now()
    )
    transaction.on_commit(
        lambda: run_after_response(lambda: outbox_publish(entry=entry)), robust=True
    )
    return entry


def outbox_publish(*, entry: Outbox, again: bool = False) -> bool:
    """Try the broker once; on failure leave the row for the relay (the request must not fail).

    `again`: the row was published before; its `published_at` restarts the redelivery clock.
    """
    token = request_id_var.set(entry.request_id)
    try:
        PUBLISHERS[entry.kind](entry)
    except Exception:
        log.warning("broker unavailable; outbox %s left for the relay", entry.id, exc_info=True)
        return False
    finally:
        request_id_var.reset(token)
    if again:
        outbox_mark_republished(outbox_id=entry.pk)
    else:
        Outbox.objects.filter(pk=entry.pk, published_at__isnull=True).update(
            published_at=timezone.now()
        )
    return True


def outbox_relay(*, batch: int = 100) -> int:
    """Publish rows the request could not (broker down); young rows are still being published.
    Then publish again rows published long ago and still undelivered: the broker lost them."""
    now = timezone.now()
    unpublished = Outbox.objects.filter(
        published_at__isnull=True, created_at__lte=now - RELAY_AFTER
    ).order_by("id")[:batch]
    published = 0
    for entry in unpublished:
        if not outbox_publish(entry=entry):
            return published  # the broker is down: the next run tries again
        published += 1
    lost = Outbox.objects.filter(
        delivered_at__isnull=True, published_at__lte=now - settings.OUTBOX_REDELIVER_AFTER
    ).order_by("id")[:batch]
    for entry in lost:
        if not outbox_publish(entry=entry, again=True):
            break
        published += 1
        log.warning(
            "outbox %s published at %s is still undelivered (lost by the broker?); "
            "published it again",
            entry.pk,
            entry.published_at.isoformat() if entry.published_at else None,
        )
    return published


def outbox_mark_republished(*, outbox_id: int) -> None:
    """The job is in the broker again (relayed again, or a Celery retry): restart its clock."""
    Outbox.objects.filter(pk=outbox_id, delivered_at__isnull=True).update(
        published_at=timezone.now()
    )


def outbox_mark_delivered(*, outbox_id: int) -> None:
    Outbox.objects.filter(pk=outbox_id).update(delivered_at=timezone.now())
