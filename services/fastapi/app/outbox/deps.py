"""`OutboxPublisher`: publish committed outbox rows once the response has been sent."""

from typing import Annotated

from fastapi import BackgroundTasks, Depends

from app.core.context import request_id_var
from app.core.deps import SessionMakerDep
from app.outbox.service import outbox_publish


class AfterResponsePublisher:
    def __init__(self, background: BackgroundTasks, sessions: SessionMakerDep) -> None:
        self.background = background
        self.sessions = sessions

    def __call__(self, message_id: int | None, kind: str) -> None:
        if message_id is None:
            return
        self.background.add_task(
            outbox_publish,
            sessions=self.sessions,
            message_id=message_id,
            kind=kind,
            request_id=request_id_var.get(),
        )


OutboxPublisher = Annotated[AfterResponsePublisher, Depends()]
