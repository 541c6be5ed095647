"""The welcome email's text."""

from __future__ import annotations

from app.worker.mail import welcome_message


def test_welcome_message_names_the_user_and_carries_the_request_id() -> None:
    mail = welcome_message(to="ada@example.com", name="Ada", sender="no-reply@x", request_id="r-1")
    assert (mail["To"], mail["From"], mail["Subject"]) == (
        "ada@example.com",
        "no-reply@x",
        "Welcome, Ada!",
    )
    assert mail["X-Request-ID"] == "r-1"
    assert mail.get_content() == "Hello Ada,\n\nyour account ada@example.com is ready.\n"
    assert (
        welcome_message(to="a@x", name="A", sender="s@x", request_id=None)["X-Request-ID"] is None
    )
