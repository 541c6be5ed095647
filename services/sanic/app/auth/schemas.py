from __future__ import annotations

from typing import Literal

from pydantic import MISSING, BaseModel, ConfigDict, Field


class TokenRequest(BaseModel):
    """The OAuth2 password-grant form."""

    model_config = ConfigDict(extra="forbid")

    grant_type: Literal["password"] | MISSING = MISSING
    username: str = Field(description="The email.")
    password: str = Field(json_schema_extra={"writeOnly": True})
    scope: str | MISSING = Field(default=MISSING, description="Accepted and ignored.")
    client_id: str | MISSING = Field(default=MISSING, description="Accepted and ignored.")
    client_secret: str | MISSING = Field(
        default=MISSING, description="Accepted and ignored.", json_schema_extra={"writeOnly": True}
    )


class Token(BaseModel):
    model_config = ConfigDict(extra="forbid")

    access_token: str
    token_type: Literal["bearer"]
    expires_in: int = Field(ge=1)
