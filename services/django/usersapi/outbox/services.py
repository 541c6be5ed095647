"""The transactional outbox: write the job with the data, publish after commit, relay leftovers.

A published job can still be lost by the broker (Redis without persistence drops its queues on a
restart), so the relay also publishes again a row still undelivered `OUTBOX_REDELIVER_AFTER` after
it was last handed to the broker. The task locks the row and skips delivered rows, so a second
copy never sends a second email.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from usersapi.celery import REQUEST_ID_HEADER
from usersapi.celery import app as celery_app
from usersapi.core.after_response import run_after_response
from usersapi.core.context import request_id_var
from usersapi.outbox.models import OutboxMessage

log = logging.getLogger(__name__)

# Published by task name: the outbox never imports a feature's tasks.
TASK_FOR_KIND = {"welcome_email": "users.send_welcome_email"}
RELAY_AFTER = timedelta(seconds=5)


def publish_task(message: OutboxMessage) -> None:
    """Hand one row's job to the broker (once: a failure is the relay's to retry)."""
    celery_app.send_task(
        TASK_FOR_KIND[message.kind],
        args=(message.pk,),
        headers={REQUEST_ID_HEADER: message.request_id},
        retry=False,
    )


def outbox_enqueue(*, kind: str, payload: dict[str, Any], request_id: str) -> OutboxMessage:
    """Call inside the transaction that makes the job necessary; publishing waits for its commit."""
    message = OutboxMessage.objects.create(
        kind=kind, payload=payload, request_id=request_id, created_at=timezone.now()
    )
    transaction.on_commit(
        lambda: run_after_response(lambda: outbox_publish(message=message)), robust=True
    )
    return message


def outbox_publish(*, message: OutboxMessage, again: bool = False) -> bool:
    """Try the broker once; on failure leave the row for the relay (the request must not fail).

    `again`: the row was published before; its `published_at` restarts the redelivery clock.
    """
    token = request_id_var.set(message.request_id)
    try:
        publish_task(message)
    except Exception:
        log.warning("broker unavailable; outbox %s left for the relay", message.pk, exc_info=True)
        return False
    finally:
        request_id_var.reset(token)
    if again:
        outbox_mark_republished(outbox_id=message.pk)
    else:
        OutboxMessage.objects.filter(pk=message.pk, published_at__isnull=True).update(
            published_at=timezone.now()
        )
    return True


def outbox_relay(*, batch: int = 100) -> int:
    """Publish rows the request could not (broker down); young rows are still being published.
    Then publish again rows published long ago and still undelivered: the broker lost them."""
    now = timezone.now()
    unpublished = OutboxMessage.objects.filter(
        published_at__isnull=True, created_at__lte=now - RELAY_AFTER
    ).order_by("id")[:batch]
    published = 0
    for message in unpublished:
        if not outbox_publish(message=message):
            return published  # the broker is down: the next run tries again
        published += 1
    lost = OutboxMessage.objects.filter(
        delivered_at__isnull=True, published_at__lte=now - settings.OUTBOX_REDELIVER_AFTER
    ).order_by("id")[:batch]
    for message in lost:
        if not outbox_publish(message=message, again=True):
            break
        published += 1
        log.warning(
            "outbox %s published at %s is still undelivered (lost by the broker?); "
            "published it again",
            message.pk,
            message.published_at.isoformat() if message.published_at else None,
        )
    return published


def outbox_mark_republished(*, outbox_id: int) -> None:
    """The job is in the broker again (relayed again, or a Celery retry): restart its clock."""
    OutboxMessage.objects.filter(pk=outbox_id, delivered_at__isnull=True).update(
        published_at=timezone.now()
    )


def outbox_mark_delivered(*, outbox_id: int) -> None:
    OutboxMessage.objects.filter(pk=outbox_id).update(delivered_at=timezone.now())
