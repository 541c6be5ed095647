"""The two error families: transport refusals are no DomainError; headers() is per instance."""

from __future__ import annotations

from usersapi.core import errors
from usersapi.core.contract import allow_header, header_flood_body, problem_body


def test_transport_errors_are_not_domain_errors() -> None:
    for error in (
        errors.MethodNotAllowed("GET"),
        errors.PayloadTooLarge(),
        errors.UnsupportedMediaType(),
        errors.HeaderFieldsTooLarge(),
    ):
        assert isinstance(error, errors.HttpError)
        assert not isinstance(error, errors.DomainError)


def test_headers_belong_to_the_instance() -> None:
    assert errors.MethodNotAllowed(allow_header(["POST", "GET"])).headers() == {
        "Allow": "GET, POST"
    }
    assert errors.RateLimited(0).headers() == {"Retry-After": "1"}
    first = errors.Unauthorized().headers()
    first["X"] = "y"
    assert errors.Unauthorized().headers() == {"WWW-Authenticate": "Bearer"}


def test_ready_checks_ride_on_the_503() -> None:
    body = problem_body(errors.ServiceUnavailable({"database": "error"}), "/ready", "r")
    assert body["checks"] == {"database": "error"}
    assert "checks" not in problem_body(errors.ServiceUnavailable(), "/x", "r")


def test_the_431_body_names_no_path() -> None:
    assert header_flood_body("r").startswith(b'{"type": "/problems/header-fields-too-large"')


def test_validation_keeps_one_error_per_field_in_order() -> None:
    first = errors.FieldError("body", "name", "too_long", "Too long.")
    failed = errors.ValidationFailed(
        [
            errors.FieldError("header", "If-Match", "too_long", "x"),
            first,
            errors.FieldError("body", "name", "invalid", "Invalid."),
            errors.FieldError("body", "email", "invalid", "Invalid."),
        ]
    )
    assert [(e.location, e.field, e.code) for e in failed.errors] == [
        ("body", "email", "invalid"),
        ("body", "name", "too_long"),
        ("header", "If-Match", "too_long"),
    ]
    assert failed.detail == "3 fields are invalid"
