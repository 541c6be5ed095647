"""`CurrentUser` and `AdminUser`: bearer-token authentication as dependencies."""

from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from app.auth.security import decode_access_token
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Forbidden, Unauthorized
from app.users.ids import parse_internal_id
from app.users.models import User
from app.users.repository import UserRepository

oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/v2/auth/token", scheme_name="OAuth2Password", auto_error=False
)


async def get_current_user(
    session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User:
    subject = decode_access_token(token, secret_key=settings.jwt_key) if token else None
    user_id = parse_internal_id(subject) if subject else None
    if user_id is None:
        raise Unauthorized()
    user = await UserRepository(session).get(user_id)
    if user is None or not user.is_active:
        raise Unauthorized()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_admin_user(user: CurrentUser) -> User:
    if not user.is_admin:
        raise Forbidden()
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]
