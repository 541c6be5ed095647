"""CORS as contract/README.md §4 "CORS (decision)" says: Starlette's CORSMiddleware, adjusted.

Starlette matches origins, builds the header values and adds `Vary: Origin`; the overrides below
are only where its answers differ from the contract's exact ones.
"""

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

ALLOW_METHODS = ("DELETE", "GET", "PATCH", "POST")
ALLOW_HEADERS = ("Authorization", "Content-Type", "If-Match", "X-Request-ID")
EXPOSE_HEADERS = (
    "Deprecation",
    "ETag",
    "Link",
    "Location",
    "Retry-After",
    "Sunset",
    "X-Request-ID",
)
MAX_AGE = 600
NO_ORIGIN = Headers()


class ContractCORSMiddleware(CORSMiddleware):
    def __init__(self, app: ASGIApp, allow_origins: list[str]) -> None:
        super().__init__(
            app,
            allow_origins=allow_origins,
            allow_methods=ALLOW_METHODS,
            allow_headers=ALLOW_HEADERS,
            expose_headers=EXPOSE_HEADERS,
            max_age=MAX_AGE,
        )
        # Exactly the contract's list: Starlette adds the CORS-safelisted Accept, Accept-Language...
        self.preflight_headers["Access-Control-Allow-Headers"] = ", ".join(ALLOW_HEADERS)
        # The lists are fixed, so a preflight's answer depends on its Origin alone.
        self.preflight_headers["Vary"] = "Origin"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if (
                origin
                and "access-control-request-method" in headers
                and self.is_allowed_origin(origin)
            ):
                await self.preflight_response(request_headers=headers)(scope, receive, send)
                return
            # Starlette answers every OPTIONS + Origin + method itself (400 for another origin);
            # the contract routes any other OPTIONS as usual (404/405), granting nothing.
            await super().simple_response(scope, receive, send, request_headers=NO_ORIGIN)
            return
        await super().__call__(scope, receive, send)

    def preflight_response(self, request_headers: Headers) -> Response:
        # 204 without a body and never a 400 for an unlisted method or header: the fixed lists
        # are sent whatever was requested and the browser compares them itself.
        headers = {
            **self.preflight_headers,
            "Access-Control-Allow-Origin": request_headers["origin"],
        }
        return Response(status_code=204, headers=headers)

    async def simple_response(
        self, scope: Scope, receive: Receive, send: Send, request_headers: Headers
    ) -> None:
        # Starlette sends Access-Control-Expose-Headers to any Origin; only a listed one gets it.
        origin = request_headers.get("origin")
        if origin is not None and not self.is_allowed_origin(origin):
            request_headers = NO_ORIGIN
        await super().simple_response(scope, receive, send, request_headers=request_headers)


def unhandled_error_cors_headers(request: Request) -> dict[str, str]:
    """What the middleware would add to a 500, which Starlette sends from outside all of them."""
    origins: list[str] = request.app.state.settings.cors_origins
    if not origins:
        return {}
    origin = request.headers.get("origin")
    if origin in origins and request.method != "OPTIONS":
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Expose-Headers": ", ".join(EXPOSE_HEADERS),
            "Vary": "Origin",
        }
    return {"Vary": "Origin"}
