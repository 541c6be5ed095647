import pytest

from app.core.contract import MAX_JSON_DEPTH
from app.core.errors import FieldError, MalformedRequest, ValidationFailed
from app.core.validation import field_errors_from_pydantic, json_depth, parse_json


@pytest.mark.parametrize(
    "raw", [b"", b"{", b'{"a": NaN}', b"\xff\xfe", b'{"a": "\\ud800"}', b"[1,]"]
)
def test_unparseable_json_is_malformed(raw: bytes) -> None:
    with pytest.raises(MalformedRequest):
        parse_json(raw)


@pytest.mark.parametrize(("raw", "depth"), [(b"1", 0), (b'{"a": 1}', 1), (b'{"a": [1]}', 2)])
def test_json_depth_counts_objects_and_arrays(raw: bytes, depth: int) -> None:
    assert json_depth(parse_json(raw)) == depth


def test_json_nested_past_the_bound_is_malformed() -> None:
    def nested(depth: int) -> bytes:
        return b'{"a": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"

    assert json_depth(parse_json(nested(MAX_JSON_DEPTH))) == MAX_JSON_DEPTH
    with pytest.raises(MalformedRequest):
        parse_json(nested(MAX_JSON_DEPTH + 1))


def test_valid_json_parses() -> None:
    assert parse_json(b'{"a": [1, "\\u00e9"]}') == {"a": [1, "é"]}


def test_pydantic_errors_map_to_contract_codes() -> None:
    errors = field_errors_from_pydantic(
        [
            {"loc": ("body", "x"), "type": "extra_forbidden", "msg": "m"},
            {"loc": ("query", "limit"), "type": "less_than_equal", "msg": "m"},
            {"loc": ("body", "email"), "type": "missing", "msg": "m"},
            {"loc": ("body", "name"), "type": "too_short", "msg": "m"},
            {"loc": ("body",), "type": "model_type", "msg": "m"},
        ]
    )
    assert [(e.location, e.field, e.code) for e in errors] == [
        ("body", "x", "unknown_field"),
        ("query", "limit", "out_of_range"),
        ("body", "email", "required"),
        ("body", "name", "too_short"),
        ("body", "", "invalid"),
    ]


def test_validation_failed_keeps_one_error_per_field_in_order() -> None:
    failed = ValidationFailed(
        [
            FieldError("query", "limit", "invalid", "first"),
            FieldError("body", "password", "too_short", "m"),
            FieldError("query", "limit", "out_of_range", "second"),
        ]
    )
    assert [(e.location, e.field, e.code) for e in failed.errors] == [
        ("body", "password", "too_short"),
        ("query", "limit", "invalid"),
    ]
    assert failed.detail == "2 fields are invalid"
