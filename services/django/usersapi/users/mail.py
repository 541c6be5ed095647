"""The welcome email's text."""

from __future__ import annotations

from django.core.mail import EmailMessage


def welcome_message(*, to: str, name: str, sender: str, request_id: str) -> EmailMessage:
    return EmailMessage(
        subject=f"Welcome, {name}!",
        body=f"Hello {name},\n\nyour account is ready. Welcome aboard!\n",
        from_email=sender,
        to=[to],
        headers={"X-Request-ID": request_id},
    )
