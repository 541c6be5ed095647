from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, WithJsonSchema


def _optional_string(**schema: Any) -> WithJsonSchema:
    # Documented as a plain (non-nullable) string: form fields are absent or text, never null.
    return WithJsonSchema({"type": "string", **schema})


class TokenRequest(BaseModel):
    """OAuth2 password grant form; `scope` and the client fields are accepted and ignored."""

    model_config = ConfigDict(extra="forbid")
    grant_type: Annotated[Literal["password"] | None, _optional_string(const="password")] = None
    username: StrictStr = Field(description="The email.")
    password: StrictStr = Field(json_schema_extra={"writeOnly": True})
    scope: Annotated[StrictStr | None, _optional_string(description="Accepted and ignored.")] = None
    client_id: Annotated[
        StrictStr | None, _optional_string(description="Accepted and ignored.")
    ] = None
    client_secret: Annotated[
        StrictStr | None, _optional_string(writeOnly=True, description="Accepted and ignored.")
    ] = None


class Token(BaseModel):
    model_config = ConfigDict(extra="forbid")
    access_token: str
    token_type: Literal["bearer"]
    expires_in: int = Field(ge=1)
