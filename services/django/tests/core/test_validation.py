"""Validation maps to the contract's codes: one error per field, ordered by (in, field)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.exceptions import ErrorDetail
from usersapi.core.errors import FieldError
from usersapi.core.validation import field_errors

from tests.factories import JSON

pytestmark = pytest.mark.django_db


def errors(resp: Any) -> list[tuple[str, str, str]]:
    assert resp.status_code == 422, resp.content
    return [(e["in"], e["field"], e["code"]) for e in resp.json()["errors"]]


def test_every_rule_reports_once_in_order(client: Client) -> None:
    body = {"email": 5, "full_name": " \t", "password": "short", "is_admin": True, "id": 1}
    resp = client.post("/api/v1/users", body, content_type=JSON)
    assert errors(resp) == [
        ("body", "email", "invalid"),
        ("body", "full_name", "invalid"),
        ("body", "id", "unknown_field"),
        ("body", "is_admin", "unknown_field"),
        ("body", "password", "too_short"),
    ]
    assert resp.json()["detail"] == "5 fields are invalid"


@pytest.mark.parametrize(
    ("email", "code"),
    [("a" * 250 + "@b.co", "too_long"), ("no-at-sign", "invalid"), (None, "invalid")],
)
def test_email_rules(client: Client, email: object, code: str) -> None:
    body = {"email": email, "name": "N", "password": "12345678"}
    assert errors(client.post("/api/v2/users", body, content_type=JSON)) == [
        ("body", "email", code)
    ]


def test_non_object_body_is_one_body_error(client: Client) -> None:
    assert errors(client.post("/api/v2/users", [1], content_type=JSON)) == [("body", "", "invalid")]


def test_query_rules(client: Client, admin_token: str) -> None:
    auth = {"Authorization": f"Bearer {admin_token}"}
    resp = client.get("/api/v1/users?limit=0&offset=x&offset=1&unknown=1", headers=auth)
    assert errors(resp) == [("query", "limit", "out_of_range"), ("query", "offset", "invalid")]
    resp = client.get("/api/v2/users?status=gone&limit=1.5", headers=auth)
    assert errors(resp) == [("query", "limit", "invalid"), ("query", "status", "invalid")]


def test_token_form_rules(client: Client) -> None:
    resp = client.post(
        "/api/v2/auth/token",
        "username=a&username=b&grant_type=code&extra=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert errors(resp) == [
        ("body", "extra", "unknown_field"),
        ("body", "grant_type", "invalid"),
        ("body", "password", "required"),
        ("body", "username", "invalid"),
    ]


def test_a_bare_list_of_errors_is_one_entry_for_the_whole_object() -> None:
    detail = [ErrorDetail("Passwords differ.", code="invalid")]
    assert field_errors("body", detail) == [FieldError("body", "", "invalid", "Passwords differ.")]
