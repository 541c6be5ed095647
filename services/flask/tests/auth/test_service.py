"""Login: credentials checked against the argon2 hash, failures counted, tokens issued."""

from __future__ import annotations

import pytest
from app.auth import service
from app.auth.security import token_encode, token_subject
from app.core.config import Settings
from app.core.errors import RateLimited, Unauthorized
from app.extensions import db
from app.users.models import User
from flask import Flask

from tests.factories import PASSWORD, create_user

SECRET = "s" * 40
SETTINGS = Settings(_env_file=None, secret_key=SECRET, access_token_ttl_seconds=60)


def login(app: Flask, username: str, password: str) -> int | None:
    """The token's subject, read back from the issued token."""
    with app.app_context(), db.sessionmaker() as session:
        token = service.token_issue(
            session=session, username=username, password=password, settings=SETTINGS
        )
    assert token.expires_in == 60
    return token_subject(token.access_token, secret_key=SECRET)


def test_a_token_is_issued_for_the_right_password_whatever_the_email_case(app: Flask) -> None:
    user = create_user(app, "case@example.com").user
    assert login(app, "  CASE@Example.com ", PASSWORD) == user.id


@pytest.mark.parametrize(
    ("username", "password"),
    [("known@example.com", "wrong-password"), ("nobody@example.com", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_bad_credentials_are_refused_alike(app: Flask, username: str, password: str) -> None:
    create_user(app, "known@example.com")
    with pytest.raises(Unauthorized) as refused:
        login(app, username, password)
    assert refused.value.detail == "Incorrect email or password"
    assert refused.value.headers() == {"WWW-Authenticate": "Bearer"}


def test_an_inactive_user_gets_no_token(app: Flask) -> None:
    user = create_user(app, "off@example.com").user
    with app.app_context(), db.sessionmaker() as session:
        session.get_one(User, user.id).status = "disabled"
        session.commit()
    with pytest.raises(Unauthorized):
        login(app, "off@example.com", PASSWORD)


def test_the_eleventh_attempt_within_a_minute_is_limited_even_with_the_right_password(
    app: Flask,
) -> None:
    create_user(app, "limited@example.com")
    for _ in range(service.MAX_FAILURES):
        with pytest.raises(Unauthorized):
            login(app, "limited@example.com", "wrong-password")
    with pytest.raises(RateLimited) as limited:
        login(app, "limited@example.com", PASSWORD)
    assert 1 <= int(limited.value.headers()["Retry-After"]) <= 60


def test_failures_for_one_email_do_not_limit_another(app: Flask) -> None:
    user = create_user(app, "other@example.com").user
    for _ in range(service.MAX_FAILURES):
        with pytest.raises(Unauthorized):
            login(app, "attacked@example.com", "wrong-password")
    assert login(app, "other@example.com", PASSWORD) == user.id


def test_user_from_token_refuses_tokens_of_deleted_users(app: Flask) -> None:
    user = create_user(app).user
    with app.app_context(), db.sessionmaker() as session:
        token = token_encode(user_id=user.id, secret_key=SECRET, ttl_seconds=60).access_token
        assert (
            service.user_from_token(session=session, token=token, secret_key=SECRET).id == user.id
        )
        session.delete(session.get_one(User, user.id))
        session.commit()
        with pytest.raises(Unauthorized):
            service.user_from_token(session=session, token=token, secret_key=SECRET)


@pytest.mark.parametrize("changed_meanwhile", [False, True])
def test_a_rehash_keeps_a_password_changed_meanwhile(
    app: Flask, monkeypatch: pytest.MonkeyPatch, changed_meanwhile: bool
) -> None:
    user_id = create_user(app, "rehash@example.com").user.id
    with app.app_context(), db.sessionmaker() as session:
        session.get_one(User, user_id).password_hash = "outdated-hash"
        session.commit()
    monkeypatch.setattr(service, "password_verify", lambda *, password, encoded: True)
    outdated = "outdated-hash"
    monkeypatch.setattr(service, "password_needs_rehash", lambda encoded: encoded == outdated)

    def rehash_while_a_patch_lands(password: str) -> str:
        if changed_meanwhile:
            with app.app_context(), db.sessionmaker() as other:
                other.get_one(User, user_id).password_hash = "changed-by-a-patch"
                other.commit()
        return "rehashed"

    monkeypatch.setattr(service, "password_hash", rehash_while_a_patch_lands)
    login(app, "rehash@example.com", PASSWORD)
    with app.app_context(), db.sessionmaker() as session:
        stored = session.get_one(User, user_id).password_hash
    assert stored == ("changed-by-a-patch" if changed_meanwhile else "rehashed")
