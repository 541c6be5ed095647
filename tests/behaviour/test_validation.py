"""Body validation: exactly one error per field, the contract's codes, ordered by (in, field)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.support.assertions import assert_json, assert_user_v1, assert_validation
from tests.support.users import ApiUser, UserFactory, unique_email

PASSWORD = "correct-horse-battery"
Errors = list[tuple[str, str, str]]
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def erin(users: UserFactory) -> ApiUser:
    return users.create(prefix="validation")


def v1_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": unique_email("val"),
        "full_name": "Val Idator",
        "password": PASSWORD,
    }
    for key, value in changes.items():
        if value is ...:
            body.pop(key)
        else:
            body[key] = value
    return body


def v2_body(**changes: Any) -> dict[str, Any]:
    if "name" in changes:
        changes["full_name"] = changes.pop("name")
    body = v1_body(**changes)
    if "full_name" in body:
        body["name"] = body.pop("full_name")
    return body


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("payload", [[], "a string", None, 42, True, [{"email": "a@b.c"}]])
def test_body_that_is_not_an_object(api: httpx.Client, version: int, payload: Any) -> None:
    resp = api.post(f"/api/v{version}/users", content=json.dumps(payload), headers=JSON)
    assert_validation(resp, [("body", "", "invalid")])


def test_empty_object_lists_every_required_field(api: httpx.Client) -> None:
    expected = [
        ("body", "email", "required"),
        ("body", "full_name", "required"),
        ("body", "password", "required"),
    ]
    body = assert_validation(api.post("/api/v1/users", json={}), expected)
    assert body["detail"] == "3 fields are invalid"
    v2 = [
        ("body", "email", "required"),
        ("body", "name", "required"),
        ("body", "password", "required"),
    ]
    assert_validation(api.post("/api/v2/users", json={}), v2)


def test_unknown_and_missing_fields_are_interleaved_by_name(api: httpx.Client) -> None:
    resp = api.post("/api/v1/users", json={"foo": 1, "zzz": None, "name": "x"})
    assert_validation(
        resp,
        [
            ("body", "email", "required"),
            ("body", "foo", "unknown_field"),
            ("body", "full_name", "required"),
            ("body", "name", "unknown_field"),
            ("body", "password", "required"),
            ("body", "zzz", "unknown_field"),
        ],
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"email": None}, [("body", "email", "invalid")]),
        ({"email": 5}, [("body", "email", "invalid")]),
        ({"email": True}, [("body", "email", "invalid")]),
        ({"email": ["a@example.com"]}, [("body", "email", "invalid")]),
        ({"full_name": None}, [("body", "full_name", "invalid")]),
        ({"full_name": 3.5}, [("body", "full_name", "invalid")]),
        ({"full_name": {"first": "A"}}, [("body", "full_name", "invalid")]),
        ({"password": None}, [("body", "password", "invalid")]),
        ({"password": 12345678}, [("body", "password", "invalid")]),
        ({"password": False}, [("body", "password", "invalid")]),
        (
            {"email": 1, "full_name": None, "password": True},
            [
                ("body", "email", "invalid"),
                ("body", "full_name", "invalid"),
                ("body", "password", "invalid"),
            ],
        ),
    ],
)
def test_wrong_json_types(api: httpx.Client, changes: dict[str, Any], expected: Errors) -> None:
    assert_validation(api.post("/api/v1/users", json=v1_body(**changes)), expected)


@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("not-an-email", "invalid"),
        ("a@", "invalid"),
        ("@example.com", "invalid"),
        ("a b@example.com", "invalid"),
        ("a@exa mple.com", "invalid"),
        ("ädä@example.com", "invalid"),
        ("a@-example.com", "invalid"),
        ("", "invalid"),
        ("   ", "invalid"),
        ("a@b@example.com", "invalid"),
        ("a" * 243 + "@example.com", "too_long"),
        ("not an email but far too long " * 10, "too_long"),
        (" " * 10 + "a" * 233 + "@example.com", "too_long"),
    ],
)
def test_email_rules(api: httpx.Client, email: str, code: str) -> None:
    assert_validation(
        api.post("/api/v1/users", json=v1_body(email=email)), [("body", "email", code)]
    )
    assert_validation(
        api.post("/api/v2/users", json=v2_body(email=email)), [("body", "email", code)]
    )


def test_longest_email_is_accepted_and_normalised(api: httpx.Client) -> None:
    local = unique_email("long").split("@")[0]
    email = local + "x" * (254 - len(local) - len("@example.com")) + "@EXAMPLE.com"
    assert len(email) == 254
    body = assert_json(api.post("/api/v1/users", json=v1_body(email=email)), 201)
    assert body["email"] == email.lower()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "too_short"),
        ("   ", "too_short"),
        ("\u2003\u00a0", "too_short"),
        ("a" * 101, "too_long"),
        (" " * 99 + "ab", "too_long"),
        ("a\x00b", "invalid"),
        ("Ada\nLovelace", "invalid"),
        ("\tAda", "invalid"),
        ("Ada\x7f", "invalid"),
        ("Ada\u0085", "invalid"),
        ("Ada\u009f", "invalid"),
        ("\x01" * 101, "too_long"),
        ("\n", "invalid"),
    ],
)
def test_name_rules(api: httpx.Client, name: str, code: str) -> None:
    resp = api.post("/api/v1/users", json=v1_body(full_name=name))
    assert_validation(resp, [("body", "full_name", code)])
    assert_validation(api.post("/api/v2/users", json=v2_body(name=name)), [("body", "name", code)])


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("a" * 100, "a" * 100),
        ("  Ada Lovelace  ", "Ada Lovelace"),
        ("\u2003Ada\u3000", "Ada"),
        ("Zoë 李 😀", "Zoë 李 😀"),
        ("😀" * 100, "😀" * 100),
    ],
)
def test_names_accepted(api: httpx.Client, erin: ApiUser, name: str, stored: str) -> None:
    resp = api.patch(f"/api/v1/users/{erin.id}", json={"full_name": name}, headers=erin.headers)
    assert assert_json(resp, 200)["full_name"] == stored


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("", "too_short"),
        ("1234567", "too_short"),
        ("x" * 129, "too_long"),
        ("😀" * 129, "too_long"),
    ],
)
def test_password_rules(api: httpx.Client, password: str, code: str) -> None:
    resp = api.post("/api/v1/users", json=v1_body(password=password))
    assert_validation(resp, [("body", "password", code)])


@pytest.mark.parametrize("password", ["12345678", "😀" * 128, "       a"])
def test_passwords_accepted(api: httpx.Client, password: str) -> None:
    body = v1_body(password=password)
    created = assert_json(api.post("/api/v1/users", json=body), 201)
    assert_user_v1(created, email=body["email"], full_name="Val Idator")


def test_representative_body_with_several_errors(api: httpx.Client) -> None:
    resp = api.post(
        "/api/v1/users",
        json={"email": "bad", "full_name": " ", "password": "short", "is_admin": True},
    )
    body = assert_validation(
        resp,
        [
            ("body", "email", "invalid"),
            ("body", "full_name", "too_short"),
            ("body", "is_admin", "unknown_field"),
            ("body", "password", "too_short"),
        ],
    )
    assert body["detail"] == "4 fields are invalid"


def test_patch_validation_v1(api: httpx.Client, erin: ApiUser) -> None:
    url = f"/api/v1/users/{erin.id}"
    cases: list[tuple[Any, Errors]] = [
        ({"is_active": "true"}, [("body", "is_active", "invalid")]),
        ({"is_active": 1}, [("body", "is_active", "invalid")]),
        ({"is_active": None}, [("body", "is_active", "invalid")]),
        (
            {"email": None, "full_name": ""},
            [("body", "email", "invalid"), ("body", "full_name", "too_short")],
        ),
        ({"name": "v2 spelling"}, [("body", "name", "unknown_field")]),
        ({"password": "short"}, [("body", "password", "too_short")]),
        ([], [("body", "", "invalid")]),
        (None, [("body", "", "invalid")]),
    ]
    for payload, expected in cases:
        resp = api.patch(url, content=json.dumps(payload), headers=erin.headers | JSON)
        assert_validation(resp, expected)
    # Validation answers before the admin-only check (step 7 before 11).
    resp = api.patch(url, json={"is_active": True, "email": "bad"}, headers=erin.headers)
    assert_validation(resp, [("body", "email", "invalid")])


def test_patch_validation_v2(api: httpx.Client, users: UserFactory) -> None:
    me = users.create(version=2, prefix="validation-v2")
    url = f"/api/v2/users/{me.uuid}"
    cases: list[tuple[Any, Errors]] = [
        ({"status": "banned"}, [("body", "status", "invalid")]),
        ({"role": "root"}, [("body", "role", "invalid")]),
        ({"role": None}, [("body", "role", "invalid")]),
        ({"status": True}, [("body", "status", "invalid")]),
        ({"full_name": "v1 spelling"}, [("body", "full_name", "unknown_field")]),
        (
            {"is_active": False, "name": "\x00", "role": "ADMIN"},
            [
                ("body", "is_active", "unknown_field"),
                ("body", "name", "invalid"),
                ("body", "role", "invalid"),
            ],
        ),
    ]
    for payload, expected in cases:
        # With and without If-Match: validation comes first (step 7 before 12).
        assert_validation(api.patch(url, json=payload, headers=me.headers), expected)
        resp = api.patch(url, json=payload, headers=me.headers | {"If-Match": "*"})
        assert_validation(resp, expected)
    assert api.get(url, headers=me.headers).headers["ETag"] == f'"{me.uuid}.1"'
