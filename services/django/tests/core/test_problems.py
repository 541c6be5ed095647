"""problem+json for every failure; an unexpected error never shows its text to the client."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from usersapi.core.errors import Conflict
from usersapi.core.views import ApiView

from tests.factories import JSON, access_token

pytestmark = pytest.mark.django_db

SECRET_TEXT = "password=hunter2 at db.internal:5432"


class FailingView(ApiView):
    """A DRF view: its errors go through REST_FRAMEWORK["EXCEPTION_HANDLER"]."""

    authentication_classes = []
    permission_classes = []

    def get(self, request: Request, kind: str) -> Response:
        if kind == "boom":
            raise RuntimeError(SECRET_TEXT)
        if kind == "database-down":
            raise OperationalError(SECRET_TEXT)
        raise Conflict()


class DrfWaySerializer(serializers.Serializer[dict[str, object]]):
    email = serializers.EmailField()
    age = serializers.IntegerField(min_value=0)


class DrfWayView(ApiView):
    """A view that validates the DRF way: `is_valid(raise_exception=True)`."""

    authentication_classes = []
    permission_classes = []

    def post(self, request: Request) -> Response:
        DrfWaySerializer(data=request.data).is_valid(raise_exception=True)
        return Response(status=204)


def plain_django_view(request: HttpRequest) -> HttpResponse:
    """Outside DRF: RequestContextMiddleware.process_exception answers."""
    raise RuntimeError(SECRET_TEXT)


# This module is the URLconf of the tests marked `urls(__name__)`: the service's routes plus three.
urlpatterns = [
    path("test/drf/<str:kind>", FailingView.as_view()),
    path("test/plain", plain_django_view),
    path("test/drf-way", DrfWayView.as_view()),
    path("", include("usersapi.urls")),
]
handler400 = "usersapi.core.problems.bad_request"
handler404 = "usersapi.core.problems.not_found"
handler500 = "usersapi.core.problems.server_error"
failing_routes = pytest.mark.urls(__name__)


@pytest.fixture
def quiet_client() -> Client:
    """Answers what the service answers instead of re-raising the view's exception."""
    return Client(raise_request_exception=False)


@failing_routes
@pytest.mark.parametrize("path", ["/test/drf/boom", "/test/plain"])
def test_an_unexpected_error_is_a_bare_500_and_the_traceback_goes_to_the_log(
    quiet_client: Client, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    with caplog.at_level(logging.ERROR, logger="usersapi.core.problems"):
        resp = quiet_client.get(path, headers={"X-Request-ID": "req-500"})
    assert resp.status_code == 500
    assert resp["Content-Type"] == "application/problem+json"
    assert resp.json() == {
        "type": "/problems/internal-error",
        "title": "Internal server error",
        "status": 500,
        "detail": "An unexpected error occurred",
        "instance": path,
        "request_id": "req-500",
    }
    assert b"hunter2" not in resp.content
    assert any(r.exc_info and SECRET_TEXT in str(r.exc_info[1]) for r in caplog.records)


@failing_routes
def test_a_database_error_is_503_without_the_drivers_message(
    quiet_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="usersapi.core.problems"):
        resp = quiet_client.get("/test/drf/database-down")
    assert resp.status_code == 503
    assert resp.json()["type"] == "/problems/service-unavailable"
    assert resp.json()["detail"] == "A dependency is unavailable"
    assert b"hunter2" not in resp.content
    # Not even the log repeats the driver's message (it may carry a DSN): only the class name.
    assert "hunter2" not in caplog.text
    assert "OperationalError" in caplog.text


@failing_routes
def test_a_domain_error_keeps_its_own_status_and_detail(quiet_client: Client) -> None:
    resp = quiet_client.get("/test/drf/conflict")
    assert resp.status_code == 409
    assert resp.json()["detail"] == "Email already registered"


@failing_routes
def test_a_drf_validation_error_is_the_contracts_422(quiet_client: Client) -> None:
    resp = quiet_client.post(
        "/test/drf-way", {"email": "not-an-email"}, content_type=JSON, headers={"X-Request-ID": "v"}
    )
    assert resp.status_code == 422
    assert resp["Content-Type"] == "application/problem+json"
    assert resp.json() == {
        "type": "/problems/validation-error",
        "title": "Validation failed",
        "status": 422,
        "detail": "2 fields are invalid",
        "instance": "/test/drf-way",
        "request_id": "v",
        "errors": [
            {
                "in": "body",
                "field": "age",
                "code": "required",
                "message": "This field is required.",
            },
            {
                "in": "body",
                "field": "email",
                "code": "invalid",
                "message": "Enter a valid email address.",
            },
        ],
    }


@pytest.mark.usefixtures("unreachable_database")
def test_a_real_database_outage_is_503_and_names_neither_host_nor_password(
    quiet_client: Client,
) -> None:
    token = access_token(1)
    me = quiet_client.get("/api/v2/users/me", headers={"Authorization": f"Bearer {token}"})
    create = quiet_client.post(
        "/api/v1/users",
        {"email": "down@example.com", "full_name": "Down", "password": "12345678"},
        content_type=JSON,
    )
    for resp in (me, create):
        assert resp.status_code == 503, resp.content
        assert resp["Content-Type"] == "application/problem+json"
        text = resp.content.decode()
        for leak in ("127.0.0.1", "s3cret", "refused"):
            assert leak not in text


def test_unknown_route_and_trailing_slash_are_problem_404(client: Client) -> None:
    for route in ("/nope", "/api/v1/users/"):
        resp = client.get(route)
        assert resp.status_code == 404
        assert resp["Content-Type"] == "application/problem+json"
        body = resp.json()
        assert body["type"] == "/problems/not-found"
        assert body["instance"] == route
        assert body["request_id"] == resp["X-Request-ID"]


def test_bytes_that_are_not_utf8_show_as_replacement_characters(client: Client) -> None:
    """gunicorn passes the request target as RAW_URI; Django re-encodes the broken bytes."""
    path = "/api/v2/users/%C3%28"
    resp = client.get(path, RAW_URI=f"{path}?x=1")
    assert resp.status_code == 401  # a routed path: authentication comes first
    assert resp.json()["instance"] == "/api/v2/users/\ufffd("
    euro = "/nope/%E2%82%AC%2541"
    assert client.get(euro, RAW_URI=euro).json()["instance"] == "/nope/\u20ac%41"
