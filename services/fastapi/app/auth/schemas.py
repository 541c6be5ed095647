from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr
from pydantic.json_schema import SkipJsonSchema


class TokenRequest(BaseModel):
    """OAuth2 password grant form; `scope` and the client fields are accepted and ignored."""

    model_config = ConfigDict(extra="forbid")
    grant_type: Literal["password"] | SkipJsonSchema[None] = Field(
        default=None, json_schema_extra={"const": "password"}
    )
    username: StrictStr = Field(description="The email.")
    password: StrictStr = Field(json_schema_extra={"writeOnly": True})
    scope: StrictStr | SkipJsonSchema[None] = Field(
        default=None, description="Accepted and ignored."
    )
    client_id: StrictStr | SkipJsonSchema[None] = Field(
        default=None, description="Accepted and ignored."
    )
    client_secret: StrictStr | SkipJsonSchema[None] = Field(
        default=None, description="Accepted and ignored.", json_schema_extra={"writeOnly": True}
    )


class Token(BaseModel):
    model_config = ConfigDict(extra="forbid")
    access_token: str
    token_type: Literal["bearer"]
    expires_in: int = Field(ge=1)
