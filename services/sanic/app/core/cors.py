"""CORS as contract/README.md "CORS (decision)" says: sanic-ext's CORS plus what it does not do.

sanic-ext (configured by `sanic_ext_config`) matches the `Origin` against `CORS_ORIGINS` and, when
it matches, adds `Access-Control-Allow-Origin`, `Access-Control-Expose-Headers` and `Vary`, plus
`Access-Control-Max-Age` on preflights; it never sends `*` nor `Allow-Credentials`, and adds
nothing to an `OPTIONS` without `Access-Control-Request-Method`. Each hook below is a deviation
from its defaults, and says why.
"""

from __future__ import annotations

from typing import Any

from sanic import HTTPResponse, Request, Sanic
from sanic.exceptions import MethodNotAllowed
from sanic.response import empty

from app.core.header_limits import refused_head

ALLOW_METHODS = "DELETE, GET, PATCH, POST"
ALLOW_HEADERS = "Authorization, Content-Type, If-Match, X-Request-ID"
EXPOSE_HEADERS = "Deprecation, ETag, Link, Location, Retry-After, Sunset, X-Request-ID"
MAX_AGE = 600


def sanic_ext_config(origins: list[str]) -> dict[str, Any]:
    """sanic-ext's `CORS_*` settings (its `Config` keywords); CORS is off without origins."""
    return {
        "cors": bool(origins),
        "cors_origins": origins,  # a list: exact matches, never "*"
        "cors_expose_headers": EXPOSE_HEADERS.replace(" ", ""),
        "cors_methods": ALLOW_METHODS.replace(" ", ""),
        "cors_allow_headers": ALLOW_HEADERS.replace(" ", ""),
        "cors_max_age": MAX_AGE,
        "cors_always_send": False,  # no Allow-Origin for a request without Origin
        "cors_supports_credentials": False,
        "cors_send_wildcard": False,
        # Its preflight headers need its automatic OPTIONS routes; none without CORS (OPTIONS 405).
        "cors_automatic_options": bool(origins),
        "http_auto_options": bool(origins),
    }


def is_preflight(request: Request) -> bool:
    return (
        request.method == "OPTIONS"
        and request.headers.getone("origin", None) in request.app.config.CORS_ORIGINS
        and "access-control-request-method" in request.headers
    )


async def refuse_other_options(request: Request, **_: Any) -> None:
    """`http.routing.after`: sanic-ext's OPTIONS routes answer every OPTIONS; only a preflight
    from a listed origin is one, any other is a 405 with the route's `Allow` (contract §1)."""
    if request.method == "OPTIONS" and not is_preflight(request):
        raise MethodNotAllowed("Method not allowed", "OPTIONS")


async def answer_preflight(request: Request) -> HTTPResponse | None:
    """Request middleware, which Sanic also runs when routing failed: sanic-ext's OPTIONS routes
    exist only where a route does (and add `Allow`), the contract answers preflights on any path."""
    return empty() if is_preflight(request) else None


async def contract_cors_headers(request: Request, response: HTTPResponse) -> None:
    """Runs after sanic-ext's response hook."""
    if response.status == 431 or refused_head(request):
        return  # refused before there is a request to apply CORS to (contract §3, §9)
    # sanic-ext varies only the answers that grant an origin; every answer depends on it.
    vary = [t.strip() for t in response.headers.get("vary", "").split(",") if t.strip()]
    response.headers["Vary"] = ", ".join([t for t in vary if t.lower() != "origin"] + ["Origin"])
    # sanic-ext sends its lists as lower-cased sets in hash order; the contract fixes the order.
    if "access-control-expose-headers" in response.headers:
        response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    if is_preflight(request):
        # sanic-ext narrows them to the route's methods and the requested headers; the contract
        # sends the fixed lists and lets the browser compare.
        response.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        # sanic-ext exposes headers on preflights too; the contract's preflight names no such list.
        response.headers.pop("access-control-expose-headers", None)


def install(app: Sanic[Any, Any]) -> None:
    if not app.config.CORS:
        return
    # Before sanic-ext's dependency injection and the body-size check.
    app.signal("http.routing.after", priority=20_000)(refuse_other_options)
    app.on_request(answer_preflight, priority=20_000)
    # Sanic runs response middleware from the lowest priority up: this one after sanic-ext's (0).
    app.on_response(contract_cors_headers, priority=5_000)  # type: ignore[no-untyped-call]
