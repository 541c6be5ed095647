"""POST /api/v{1,2}/auth/token: OAuth2 password grant, form-encoded."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from usersapi.auth.serializers import TokenRequestSerializer, TokenSerializer
from usersapi.auth.services import token_issue
from usersapi.core.openapi import problems
from usersapi.core.validation import validate_multi
from usersapi.core.views import FormView

RESPONSES = {200: TokenSerializer, **problems(400, 401, 413, 415, 422, 429, 503)}
# Set by RequestContextMiddleware on the token paths; the contract documents it on these answers.
CACHE_CONTROL_HEADER = OpenApiParameter(
    "Cache-Control",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    enum=["no-store"],
    response=[200, 401, 429],
)


class TokenView(FormView):
    public_methods = frozenset({"POST"})

    def post(self, request: Request) -> Response:
        form = validate_multi(TokenRequestSerializer, request.data, "body")
        token = token_issue(username=form["username"], password=form["password"])
        return Response(
            {
                "access_token": token.access_token,
                "token_type": "bearer",
                "expires_in": token.expires_in,
            }
        )


def token_schema(version: int, summary: str) -> Any:
    """The token operation's documentation; only its id, summary and deprecation differ."""
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"v{version}_token",
            tags=["auth"],
            deprecated=version == 1 or None,
            auth=[],
            summary=summary,
            parameters=[CACHE_CONTROL_HEADER],
            request=TokenRequestSerializer,
            responses=RESPONSES,
        )
    )


@token_schema(1, "Exchange email and password for an access token (v1 path).")
class TokenV1View(TokenView):
    pass


@token_schema(2, "Exchange email and password for an access token.")
class TokenV2View(TokenView):
    pass
