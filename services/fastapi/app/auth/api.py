"""POST /api/v{1,2}/auth/token: the OAuth2 password grant, identical on both versions."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from app.auth import service
from app.auth.schemas import Token, TokenRequest
from app.core.deps import SessionDep, SettingsDep
from app.core.openapi import problem_responses, standard_response_headers
from app.core.requests import FORM, FORM_MEDIA_TYPE, body_openapi, form_body

router = APIRouter(tags=["auth"])


async def token_issue(
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[TokenRequest, Depends(form_body(TokenRequest))],
) -> Token:
    token = await service.token_issue(
        session=session, settings=settings, username=form.username, password=form.password
    )
    return Token(access_token=token.access_token, token_type="bearer", expires_in=token.expires_in)


def _route(version: str) -> None:
    v1 = version == "v1"
    responses: dict[int | str, Any] = {
        200: {
            "description": "A bearer token.",
            "headers": standard_response_headers(v1=v1, token=True),
        },
        **problem_responses(400, 401, 413, 415, 422, 429, 503, v1=v1, token=True),
    }
    router.add_api_route(
        f"/api/{version}/auth/token",
        token_issue,
        methods=["POST"],
        operation_id=f"{version}_token",
        summary="Exchange email and password for an access token" + (" (v1 path)." if v1 else "."),
        deprecated=v1 or None,
        response_model=Token,
        dependencies=[FORM_MEDIA_TYPE],
        responses=responses,
        openapi_extra=body_openapi(TokenRequest, FORM),
    )


_route("v1")
_route("v2")
