"""Input and output schemas per operation; the class names are the OpenAPI component names."""

from __future__ import annotations

from rest_framework import serializers

from usersapi.core.fields import (
    EmailField,
    NameField,
    PasswordField,
    QueryIntegerField,
    QueryStringField,
    StrictBooleanField,
    StrictChoiceField,
)
from usersapi.core.validation import StrictSerializer
from usersapi.users.identifiers import TIMESTAMP_FORMAT
from usersapi.users.models import User

MAX_OFFSET = 2**63 - 1


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
    id = serializers.IntegerField(min_value=1)
    email = serializers.CharField()
    full_name = serializers.CharField()
    is_active = serializers.BooleanField()
    is_admin = serializers.BooleanField()
    created_at = serializers.DateTimeField(format=TIMESTAMP_FORMAT)


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
    status = StrictChoiceField(choices=User.Status.choices, required=False)
    role = StrictChoiceField(choices=User.Role.choices, required=False)


class UserV2Serializer(serializers.Serializer[User]):
    id = serializers.UUIDField(source="public_id")
    email = serializers.CharField()
    name = serializers.CharField(source="full_name")
    role = serializers.ChoiceField(choices=User.Role.choices)
    status = serializers.ChoiceField(choices=User.Status.choices)
    created_at = serializers.DateTimeField(format=TIMESTAMP_FORMAT)
    updated_at = serializers.DateTimeField(format=TIMESTAMP_FORMAT)


class UserV2PageSerializer(serializers.Serializer[dict[str, object]]):
    data = UserV2Serializer(many=True)  # type: ignore[assignment]  # popped by DRF's metaclass
    next_cursor = serializers.CharField(allow_null=True)


class UserV2ListQuerySerializer(StrictSerializer):
    limit = QueryIntegerField(required=False, default=20, min_value=1, max_value=100)
    cursor = QueryStringField(required=False, max_length=200)
    status = StrictChoiceField(choices=User.Status.choices, required=False)
    email = QueryStringField(required=False, max_length=254)
