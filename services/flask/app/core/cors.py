"""CORS as contract/README.md §4 "CORS (decision)" says: flask-cors, plus the contract's extras.

flask-cors matches the `Origin` against `CORS_ORIGINS`, grants it (`Access-Control-Allow-Origin`,
never `*`, never credentials) with the exposed headers on every answer, error handlers included,
and adds the methods and `Max-Age` to a preflight. What it cannot do is below, one reason each.
"""

from __future__ import annotations

import re

from flask import Flask, Response, current_app, request
from flask_cors import CORS

ALLOW_METHODS = ["DELETE", "GET", "PATCH", "POST"]
ALLOW_HEADERS = ["Authorization", "Content-Type", "If-Match", "X-Request-ID"]
EXPOSE_HEADERS = [
    "Deprecation", "ETag", "Link", "Location", "Retry-After", "Sunset", "X-Request-ID",
]  # fmt: skip
MAX_AGE = 600


def init_app(app: Flask, origins: list[str]) -> None:
    if not origins:
        return  # CORS off: no Access-Control-* header, no Vary: Origin, OPTIONS stays a 405
    app.after_request(contract_headers)  # registered first, so it runs after flask-cors's hook
    CORS(
        app,
        # Compiled and anchored: matched exactly, case and all (contract §9); flask-cors compares
        # a literal origin case-insensitively.
        origins=[re.compile(re.escape(origin) + r"\Z") for origin in origins],
        methods=ALLOW_METHODS,
        allow_headers=ALLOW_HEADERS,
        expose_headers=EXPOSE_HEADERS,
        max_age=MAX_AGE,
        always_send=False,  # its default grants every listed origin to a request without Origin
    )


def _listed() -> bool:
    """The request's Origin is in CORS_ORIGINS, exactly (contract §9)."""
    origin = request.headers.get("Origin", "")
    return bool(origin) and origin in current_app.config["SETTINGS"].cors_origin_list


def is_preflight() -> bool:
    return (
        request.method == "OPTIONS"
        and "Access-Control-Request-Method" in request.headers
        and _listed()
    )


def preflight_response() -> Response | None:
    """Before routing: a preflight is a 204 on any path (flask-cors leaves it to Flask's own
    OPTIONS, which the contract turns off, so routing would answer 404 or 405)."""
    return Response(status=204) if is_preflight() else None


def contract_headers(response: Response) -> Response:
    # Every answer depends on Origin; flask-cors says so only when several origins are listed.
    response.vary.add("Origin")
    # flask-cors answers a Private Network Access request ("false"); the contract has no PNA.
    response.headers.pop("Access-Control-Allow-Private-Network", None)
    if request.method != "OPTIONS":
        return response
    if not is_preflight():
        # Not a preflight, so §1's 404/405 without grants: flask-cors would grant a listed Origin.
        for name in {k for k, _ in response.headers if k.lower().startswith("access-control-")}:
            del response.headers[name]
        return response
    # Fixed lists whatever was requested: flask-cors echoes only the requested allowed headers...
    response.headers["Access-Control-Allow-Headers"] = ", ".join(ALLOW_HEADERS)
    # ...and adds no methods or Max-Age when the requested method is not in its list.
    response.headers["Access-Control-Allow-Methods"] = ", ".join(ALLOW_METHODS)
    response.headers["Access-Control-Max-Age"] = str(MAX_AGE)
    # The contract's preflight exposes nothing; flask-cors sends the exposed list on it too.
    response.headers.pop("Access-Control-Expose-Headers", None)
    return response
