"""The API's side of Celery: publish by task name, fast-failing when the broker is down."""

from app.core.logging import request_id_var
from app.worker.celery_app import celery_app


def publish_task(task_name: str, message_id: int, request_id: str | None) -> None:
    """Blocking; raises when the broker does not accept the message (no retry loop)."""
    celery_app.send_task(
        task_name,
        args=[message_id],
        headers={"request_id": request_id or request_id_var.get()},
        retry=False,
    )
