"""The welcome email's text."""

from __future__ import annotations

from app.worker.mail import welcome_message


def test_the_welcome_message_names_its_reader_and_the_request() -> None:
    message = welcome_message(
        to="ada@example.com", name="Ada", sender="no-reply@example.com", request_id="req-1"
    )
    assert (message["To"], message["From"], message["Subject"], message["X-Request-ID"]) == (
        "ada@example.com",
        "no-reply@example.com",
        "Welcome, Ada!",
        "req-1",
    )
    assert "Hello Ada," in message.get_content()
