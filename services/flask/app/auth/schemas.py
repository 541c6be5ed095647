from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from app.core.validation import clean_schema, fail


def _grant_type(value: object) -> str:
    if value != "password":
        raise fail("invalid", "grant_type must be password")
    return "password"


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise fail("invalid", "given more than once")
    return value


def _text_field(description: str | None = None, *, write_only: bool = False) -> WithJsonSchema:
    schema: dict[str, object] = {"type": "string"}
    if write_only:
        schema["writeOnly"] = True
    if description:
        schema["description"] = description
    return WithJsonSchema(schema)


IGNORED = "Accepted and ignored."


class TokenRequest(BaseModel):
    """The OAuth2 password grant form."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=clean_schema)

    grant_type: Annotated[
        str | None,
        PlainValidator(_grant_type),
        WithJsonSchema({"type": "string", "const": "password"}),
    ] = None
    username: Annotated[str, PlainValidator(_text), _text_field("The email.")]
    password: Annotated[str, PlainValidator(_text), _text_field(write_only=True)]
    scope: Annotated[str | None, PlainValidator(_text), _text_field(IGNORED)] = None
    client_id: Annotated[str | None, PlainValidator(_text), _text_field(IGNORED)] = None
    client_secret: Annotated[
        str | None, PlainValidator(_text), _text_field(IGNORED, write_only=True)
    ] = None


class Token(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=clean_schema)

    access_token: str
    token_type: Literal["bearer"]
    expires_in: int = Field(ge=1)
