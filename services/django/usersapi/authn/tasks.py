from __future__ import annotations

from celery import shared_task

from usersapi.authn.services import login_failures_prune


@shared_task(ignore_result=True)
def prune_login_failures() -> int:
    return login_failures_prune()
