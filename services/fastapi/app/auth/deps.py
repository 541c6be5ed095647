"""`CurrentUser`: bearer-token authentication as a dependency (admin checks are in the service)."""

from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from app.auth.service import user_from_token
from app.core.deps import SessionDep, SettingsDep
from app.users.models import User

oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/v2/auth/token", scheme_name="OAuth2Password", auto_error=False
)


async def get_current_user(
    session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User:
    return await user_from_token(session=session, token=token, secret_key=settings.jwt_key)


CurrentUser = Annotated[User, Depends(get_current_user)]
