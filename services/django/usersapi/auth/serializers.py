from __future__ import annotations

from rest_framework import serializers

from usersapi.core.validation import StrictSerializer
from usersapi.users.fields import StrictChoiceField, StrictStringField


class TokenRequestSerializer(StrictSerializer):
    """OAuth2 password grant form; no length rules (an unknown username is simply a 401)."""

    grant_type = StrictChoiceField(choices=["password"], required=False)
    username = StrictStringField(help_text="The email.")
    password = StrictStringField(write_only=True)
    scope = StrictStringField(required=False, help_text="Accepted and ignored.")
    client_id = StrictStringField(required=False, help_text="Accepted and ignored.")
    client_secret = StrictStringField(
        required=False, write_only=True, help_text="Accepted and ignored."
    )


class TokenSerializer(serializers.Serializer[dict[str, object]]):
    access_token = serializers.CharField()
    token_type = serializers.ChoiceField(choices=["bearer"])
    expires_in = serializers.IntegerField(min_value=1)
