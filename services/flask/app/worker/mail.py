"""The welcome email: its text, and sending it over SMTP."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

SMTP_TIMEOUT_SECONDS = 10


def welcome_message(*, to: str, name: str, sender: str, request_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = f"Welcome, {name}!"
    message["X-Request-ID"] = request_id
    message.set_content(f"Hello {name},\n\nyour account has been created. Welcome!\n")
    return message


def send_message(message: EmailMessage, *, host: str, port: int) -> None:
    with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        smtp.send_message(message)
