"""The request pipeline: the contract's order of checks and its response headers."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import create_environ, run_wsgi_app


def test_health_carries_the_common_headers(client: FlaskClient) -> None:
    resp = client.get("/health", headers={"X-Request-ID": "abc.123"})
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok"}
    assert resp.headers["X-Request-ID"] == "abc.123"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_bad_request_id_is_replaced(client: FlaskClient) -> None:
    resp = client.get("/health", headers={"X-Request-ID": "no spaces allowed"})
    assert resp.headers["X-Request-ID"] != "no spaces allowed"
    assert len(resp.headers["X-Request-ID"]) == 36


def test_unknown_route_and_trailing_slash_are_problem_404(client: FlaskClient) -> None:
    for path in ("/nope", "/api/v2/users/", "/health/", "/api//v2/users"):
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert resp.content_type == "application/problem+json"
        assert resp.get_json()["instance"] == path


def test_head_and_options_are_405_with_allow(client: FlaskClient) -> None:
    for method in ("HEAD", "OPTIONS"):
        resp = client.open("/api/v1/users", method=method)
        assert resp.status_code == 405
        assert resp.headers["Allow"] == "GET, POST"
    resp = client.open("/api/v2/users/me", method="PATCH", json={})
    assert resp.status_code == 405
    assert resp.headers["Allow"] == "GET"


def test_v1_responses_carry_deprecation_headers_even_on_errors(client: FlaskClient) -> None:
    resp = client.get("/api/v1/users/me")
    assert resp.status_code == 401
    assert resp.headers["Deprecation"] == "@1767225600"
    assert resp.headers["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"
    assert resp.headers["WWW-Authenticate"] == "Bearer"


def test_413_comes_before_415_and_401(client: FlaskClient) -> None:
    resp = client.patch("/api/v1/users/1", data=b" " * 65537, content_type="text/plain")
    assert resp.status_code == 413
    assert resp.get_json()["detail"] == "Request body exceeds 65536 bytes"


def test_415_before_401(client: FlaskClient) -> None:
    resp = client.patch("/api/v2/users/me2", data=b"{}", content_type="text/plain")
    assert resp.status_code == 415


def test_malformed_json_is_400_after_auth(client: FlaskClient) -> None:
    resp = client.post("/api/v1/users", data=b'{"email": ', content_type="application/json")
    assert resp.status_code == 400
    assert resp.get_json()["title"] == "Malformed request"
    lone = client.post("/api/v1/users", data=b'{"a": "\\ud800"}', content_type="application/json")
    assert lone.status_code == 400


def test_non_object_body_is_one_validation_error(client: FlaskClient) -> None:
    resp = client.post("/api/v2/users", json=[1, 2])
    assert resp.status_code == 422
    assert resp.get_json()["errors"][0] | {"message": ""} == {
        "in": "body",
        "field": "",
        "code": "invalid",
        "message": "",
    }


def test_token_responses_are_not_cached(client: FlaskClient) -> None:
    resp = client.post("/api/v1/auth/token", json={})
    assert resp.status_code == 415
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.get_json()["detail"] == ("Content-Type must be application/x-www-form-urlencoded")


def test_deeply_nested_json_is_400_not_500(client: FlaskClient) -> None:
    resp = client.post(
        "/api/v2/users", data=b"[" * 5000 + b"]" * 5000, content_type="application/json"
    )
    assert resp.status_code == 400
    assert resp.get_json()["detail"] == "Request body could not be parsed"


@pytest.mark.parametrize(("depth", "status"), [(32, 422), (33, 400)])
def test_json_nested_past_32_levels_is_400(client: FlaskClient, depth: int, status: int) -> None:
    nested = "[" * (depth - 1) + "]" * (depth - 1)
    body = '{"email": "deep@example.com", "name": ' + nested + ', "password": "x"}'
    resp = client.post("/api/v2/users", data=body.encode(), content_type="application/json")
    assert resp.status_code == status


def test_unread_oversized_body_closes_the_connection(client: FlaskClient) -> None:
    resp = client.post(
        "/api/v2/users", data=b"x" * (3 * 1024 * 1024), content_type="application/json"
    )
    assert resp.status_code == 413
    assert resp.headers["Connection"] == "close"


@pytest.mark.parametrize("path", ["//health", "//api/v1/users/me", "///ready"])
def test_leading_slashes_are_kept_not_merged(app: Flask, path: str) -> None:
    """gunicorn hands `//health` over as is; Werkzeug alone would route it as `/health`."""
    environ = create_environ("/")
    environ["PATH_INFO"] = path
    body, status, headers = run_wsgi_app(app.wsgi_app, environ)
    problem = json.loads(b"".join(body))
    assert status.startswith("404"), status
    assert problem["instance"] == path
    assert "Deprecation" not in dict(headers)
