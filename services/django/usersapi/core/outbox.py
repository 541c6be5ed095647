"""The transactional outbox: write the job with the data, publish after commit, relay leftovers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

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


def outbox_publish(*, entry: Outbox) -> bool:
    """Try the broker once; on failure leave the row for the relay (the request must not fail)."""
    token = request_id_var.set(entry.request_id)
    try:
        PUBLISHERS[entry.kind](entry)
    except Exception:
        log.warning("broker unavailable; outbox %s left for the relay", entry.id, exc_info=True)
        return False
    finally:
        request_id_var.reset(token)
    Outbox.objects.filter(pk=entry.pk, published_at__isnull=True).update(
        published_at=timezone.now()
    )
    return True


def outbox_relay(*, batch: int = 100) -> int:
    """Publish rows the request could not (broker down); young rows are still being published."""
    due = Outbox.objects.filter(
        published_at__isnull=True, created_at__lte=timezone.now() - RELAY_AFTER
    ).order_by("id")[:batch]
    return sum(outbox_publish(entry=entry) for entry in due)


def outbox_mark_delivered(*, outbox_id: int) -> None:
    Outbox.objects.filter(pk=outbox_id).update(delivered_at=timezone.now())
