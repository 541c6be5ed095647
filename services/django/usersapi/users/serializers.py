"""Input and output schemas per operation; the class names are the OpenAPI component names."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from usersapi.core.contract import TIMESTAMP_FORMAT
from usersapi.core.validation import StrictSerializer
from usersapi.users.fields import (
    EmailField,
    Int64Field,
    NameField,
    PasswordField,
    QueryIntegerField,
    QueryStringField,
    StrictBooleanField,
    StrictChoiceField,
)
from usersapi.users.ids import CURSOR, TIMESTAMP
from usersapi.users.models import Role, Status, User

MAX_OFFSET = 2**63 - 1
CURSOR_MAX_LENGTH = 200


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        "pattern": f"^{TIMESTAMP.pattern}$",
        "description": "UTC, RFC 3339 with microseconds and `Z`.",
    },
    component_name="Timestamp",
)
class TimestampField(serializers.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=TIMESTAMP_FORMAT, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": CURSOR_MAX_LENGTH,
        "pattern": f"^{CURSOR.pattern}$",
        "description": "Opaque; take it from `next_cursor`. One that does not decode is 400.",
    }
)
class CursorField(QueryStringField):
    """Length checked here (422); the syntax by `cursor_decode` in the view (400)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=CURSOR_MAX_LENGTH, **kwargs)


# ---- v1 ----
class UserV1CreateSerializer(StrictSerializer):
    email = EmailField()
    full_name = NameField()
    password = PasswordField()


class UserV1UpdateSerializer(StrictSerializer):
    email = EmailField(required=False)
    full_name = NameField(required=False)
    password = PasswordField(required=False)
    is_active = StrictBooleanField(required=False, help_text="Admin only (403 for others).")


class UserV1Serializer(serializers.Serializer[User]):
    id = Int64Field(min_value=1)
    email = serializers.CharField()
    full_name = serializers.CharField()
    is_active = serializers.BooleanField()
    is_admin = serializers.BooleanField()
    created_at = TimestampField()


class UserV1PageSerializer(serializers.Serializer[dict[str, object]]):
    items = UserV1Serializer(many=True)
    total = serializers.IntegerField(min_value=0)
    offset = serializers.IntegerField(min_value=0)
    limit = serializers.IntegerField(min_value=1, max_value=100)


class UserV1ListQuerySerializer(StrictSerializer):
    offset = QueryIntegerField(required=False, default=0, min_value=0, max_value=MAX_OFFSET)
    limit = QueryIntegerField(required=False, default=20, min_value=1, max_value=100)


# ---- v2 ----
class UserV2CreateSerializer(StrictSerializer):
    email = EmailField()
    name = NameField()
    password = PasswordField()


class UserV2UpdateSerializer(StrictSerializer):
    email = EmailField(required=False)
    name = NameField(required=False)
    password = PasswordField(required=False)
    status = StrictChoiceField(choices=Status.choices, required=False)
    role = StrictChoiceField(choices=Role.choices, required=False)


class UserV2Serializer(serializers.Serializer[User]):
    id = serializers.UUIDField(source="public_id")
    email = serializers.CharField()
    name = serializers.CharField(source="full_name")
    role = serializers.ChoiceField(choices=Role.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    created_at = TimestampField()
    updated_at = TimestampField()


class UserV2PageSerializer(serializers.Serializer[dict[str, object]]):
    data = UserV2Serializer(many=True)  # type: ignore[assignment]  # popped by DRF's metaclass
    next_cursor = serializers.CharField(allow_null=True)


class UserV2ListQuerySerializer(StrictSerializer):
    limit = QueryIntegerField(required=False, default=20, min_value=1, max_value=100)
    cursor = CursorField(required=False)
    status = StrictChoiceField(choices=Status.choices, required=False)
    email = QueryStringField(required=False, max_length=254)
