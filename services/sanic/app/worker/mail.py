"""The welcome email's text and its delivery over SMTP."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

SMTP_TIMEOUT_SECONDS = 10


def welcome_message(*, to: str, name: str, sender: str, request_id: str | None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = f"Welcome, {name}!"
    if request_id:
        message["X-Request-ID"] = request_id
    message.set_content(f"Hello {name},\n\nyour account {to} is ready.\n")
    return message


def send_message(message: EmailMessage, *, host: str, port: int) -> None:
    with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        smtp.send_message(message)
