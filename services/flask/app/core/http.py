"""The request pipeline: request id, the contract's order of checks (§1), response headers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from flask import Flask, Response, after_this_request, current_app, g, request
from flask.globals import request_ctx
from pydantic import BaseModel
from werkzeug.exceptions import MethodNotAllowed as WerkzeugMethodNotAllowed
from werkzeug.routing import BaseConverter

from app.core import cors, requests
from app.core.context import request_id_from, request_id_var
from app.core.contract import standard_headers
from app.core.errors import NotFound, PayloadTooLarge, UnsupportedMediaType
from app.core.requests import CLOSE_CONNECTION

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Policy:
    """What an operation needs before its view runs: a body media type, a bearer token."""

    body: str | None = None
    auth: bool = False


def policy(*, body: str | None = None, auth: bool = False) -> Callable[[F], F]:
    def mark(func: F) -> F:
        func.__api_policy__ = Policy(body=body, auth=auth)  # type: ignore[attr-defined]
        return func

    return mark


def current_policy() -> Policy:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "__api_policy__", Policy())


def assign_request_id() -> None:
    request_id = request_id_from(request.headers.get("X-Request-ID", ""))
    g.request_id = request_id
    g.request_id_token = request_id_var.set(request_id)


def check_route_method_and_size() -> Response | None:
    """Steps 1-4: route (404), method (405; HEAD too), body size (413), media type (415)."""
    # The body is read (or discarded) first, whatever the answer: an early error must never
    # leave unread bytes on a keep-alive connection.
    too_large = requests.buffer_body()
    preflight = cors.preflight_response()  # a CORS preflight is answered on any path
    if preflight is not None:
        return preflight
    if request.routing_exception is not None:
        raise request.routing_exception
    if requests.request_path().startswith("//"):
        raise NotFound()  # Werkzeug routed it as if the leading slashes were one
    if request.method == "HEAD":
        adapter = request_ctx.url_adapter
        allowed = adapter.allowed_methods() if adapter is not None else []
        raise WerkzeugMethodNotAllowed(valid_methods=allowed)
    if too_large:
        raise PayloadTooLarge()
    expected = current_policy().body
    if expected is None:
        return None
    body = request.get_data(cache=True)
    if not body and "Content-Type" not in request.headers:
        return None  # nothing to type: an empty JSON body is a 400, an empty form lacks its fields
    if request.mimetype != expected:
        raise UnsupportedMediaType(f"Content-Type must be {expected}")
    return None


def parse_body() -> None:
    """Step 6 (400) and the whole-body part of step 7 (422), for the operation's media type."""
    requests.parse_body(current_policy().body)


def add_headers(response: Response) -> Response:
    request_id = g.get("request_id") or request_id_var.get()
    response.headers.update(standard_headers(requests.request_path(), request_id))
    if request.environ.get(CLOSE_CONNECTION) or response.status_code == 413:
        response.headers["Connection"] = "close"
    if response.status_code == 204:
        response.headers.pop("Content-Type", None)
        response.set_data(b"")
    return response


def reset_request_id(_exc: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        request_id_var.reset(token)


def init_app(app: Flask) -> None:
    app.json = requests.StrictJSONProvider(app)
    app.wsgi_app = requests.CloseUnreadConnections(app.wsgi_app)  # type: ignore[method-assign]
    app.url_map.merge_slashes = False
    app.url_map.converters["user_id"] = UserIdConverter
    app.before_request(assign_request_id)
    app.before_request(check_route_method_and_size)
    app.after_request(add_headers)
    app.teardown_request(reset_request_id)


class UserIdConverter(BaseConverter):
    """Any single segment but `me`: `/users/me` is its own GET-only route, so other methods on
    it answer 405 instead of falling through to `/users/{id}`."""

    regex = r"(?!me$)[^/]+"


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    if isinstance(payload, BaseModel):
        payload = payload.model_dump()
    response = cast(Response, current_app.json.response(payload))
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


def no_content() -> Response:
    return Response(status=204)


def after_response(job: Callable[[], object]) -> None:
    """Run `job` once the response has been sent: the client never waits on the broker, and
    the job's log lines (with this request's id) follow the request's own."""
    request_id = g.request_id
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        # The request's app context is gone by now; the job gets its own (db.sessionmaker).
        token = request_id_var.set(request_id)
        try:
            with app.app_context():
                job()
        finally:
            request_id_var.reset(token)

    @after_this_request
    def schedule(response: Response) -> Response:
        response.call_on_close(run)
        return response
