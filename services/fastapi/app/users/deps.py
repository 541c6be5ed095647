"""`UserSignUp`: create a user, then hand its welcome email to the outbox after the response."""

from typing import Annotated

from fastapi import Depends

from app.core.context import request_id_var
from app.core.deps import SessionDep
from app.outbox.deps import OutboxPublisher
from app.users import service
from app.users.models import User


class SignUp:
    def __init__(self, session: SessionDep, publish: OutboxPublisher) -> None:
        self.session = session
        self.publish = publish

    async def __call__(self, data: service.NewUser) -> User:
        created = await service.user_create(
            session=self.session, data=data, request_id=request_id_var.get()
        )
        self.publish(created.outbox_id, service.WELCOME_EMAIL)
        return created.user


UserSignUp = Annotated[SignUp, Depends()]
