"""The domain errors: one entry per field, sorted, counted in the detail."""

from __future__ import annotations

from app.core.errors import FieldError, ValidationFailed


def test_errors_are_one_per_field_and_sorted() -> None:
    exc = ValidationFailed(
        [
            FieldError("query", "limit", "invalid", "x"),
            FieldError("body", "password", "invalid", "twice"),
            FieldError("body", "password", "required", "missing"),
        ]
    )
    assert [(e.location, e.field, e.code) for e in exc.errors] == [
        ("body", "password", "invalid"),
        ("query", "limit", "invalid"),
    ]
    assert str(exc) == "2 fields are invalid"
