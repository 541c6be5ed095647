"""Run an input serializer and turn its errors into the contract's `errors[]` entries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast, get_args

from django.http import QueryDict
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

from usersapi.core.errors import ErrorCode, FieldError, Location, ValidationFailed

CONTRACT_CODES = frozenset(get_args(ErrorCode))
# DRF's own codes, for the few rules DRF checks before our fields see the value.
DRF_CODES = {
    "null": "invalid",
    "blank": "too_short",
    "max_length": "too_long",
    "min_length": "too_short",
    "invalid_choice": "invalid",
    "max_value": "out_of_range",
    "min_value": "out_of_range",
    "not_a_dict": "invalid",
}


class StrictSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An input serializer that rejects keys it does not declare (no mass assignment)."""

    def to_internal_value(self, data: Any) -> Any:
        unknown = {
            key: [ErrorDetail("Unknown field.", code="unknown_field")]
            for key in data
            if key not in self.fields
        }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(
                {**unknown, **cast(dict[str, Any], exc.detail)}
            ) from exc
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


def field_errors(location: Location, detail: Mapping[str, Any] | list[Any]) -> list[FieldError]:
    """DRF's `serializer.errors` (or a ValidationError's `detail`) as the contract's entries."""
    if not isinstance(detail, Mapping):  # a bare list: errors of the object as a whole
        detail = {api_settings.NON_FIELD_ERRORS_KEY: detail}
    errors = []
    for name, problems in detail.items():
        first = problems[0] if isinstance(problems, list) else problems
        code = getattr(first, "code", "invalid")
        code = code if code in CONTRACT_CODES else DRF_CODES.get(code, "invalid")
        field = "" if name == api_settings.NON_FIELD_ERRORS_KEY else name
        errors.append(FieldError(location, field, cast(ErrorCode, code), str(first)))
    return errors


def validate_body(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    if not isinstance(data, dict):
        raise ValidationFailed([FieldError("body", "", "invalid", "Expected a JSON object.")])
    return _run(serializer_class, data, "body", [])


def validate_multi(
    serializer_class: type[serializers.Serializer],  # type: ignore[type-arg]
    data: Any,
    location: Location,
) -> dict[str, Any]:
    """Query strings and forms: a known key given more than once is `invalid`."""
    if not isinstance(data, QueryDict):
        data = QueryDict()  # DRF hands over a plain {} for an empty body
    known = serializer_class().fields
    duplicates = [
        FieldError(location, key, "invalid", "Given more than once.")
        for key in data
        if key in known and len(data.getlist(key)) > 1
    ]
    single = {key: data.getlist(key)[-1] for key in data if key in known or location != "query"}
    return _run(serializer_class, single, location, duplicates)


def _run(
    serializer_class: type[serializers.Serializer],  # type: ignore[type-arg]
    data: dict[str, Any],
    location: Location,
    extra: list[FieldError],
) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    valid = serializer.is_valid()
    taken = {error.field for error in extra}
    found = [] if valid else field_errors(location, serializer.errors)
    errors = extra + [error for error in found if error.field not in taken]
    if errors:
        raise ValidationFailed(errors)
    return dict(serializer.validated_data)
