"""A local SMTP sink with a small web page: where welcome emails land on a bare machine."""

from __future__ import annotations

import asyncio
import html
import json
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Mail:
    sender: str
    recipients: tuple[str, ...]
    subject: str
    request_id: str
    body: str


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.inbox.refusing:
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        stall = self.inbox.take_stall(address)
        if stall:
            await asyncio.sleep(stall)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        part = message.get_body(preferencelist=("plain", "html"))
        self.inbox.add(
            Mail(
                sender=str(envelope.mail_from),
                recipients=tuple(str(r) for r in envelope.rcpt_tos),
                subject=str(message.get("Subject", "")),
                request_id=str(message.get("X-Request-ID", "")),
                body=part.get_content() if part is not None else "",
            )
        )
        return "250 Message accepted for delivery"


class Inbox:
    def __init__(self) -> None:
        # While set, every recipient is refused with a temporary error (fault tests).
        self.refusing = False
        self._stalls: dict[str, float] = {}
        self.stalled: set[str] = set()
        self._lock = threading.Lock()
        self._mails: list[Mail] = []
        self._arrived = threading.Condition(self._lock)

    def stall_once(self, recipient: str, seconds: float) -> None:
        """Hold the next delivery to `recipient` in the middle of its SMTP dialogue."""
        with self._lock:
            self._stalls[recipient] = seconds

    def take_stall(self, recipient: str) -> float:
        with self._lock:
            seconds = self._stalls.pop(recipient, 0.0)
            if seconds:
                self.stalled.add(recipient)
            return seconds

    def add(self, mail: Mail) -> None:
        with self._arrived:
            self._mails.append(mail)
            self._arrived.notify_all()

    def all(self) -> list[Mail]:
        with self._lock:
            return list(self._mails)

    def wait_for(self, recipient: str, timeout: float) -> list[Mail]:
        """Mails to `recipient`, waiting up to `timeout` seconds for the first one."""

        def matching() -> list[Mail]:
            return [m for m in self._mails if recipient in m.recipients]

        with self._arrived:
            self._arrived.wait_for(lambda: bool(matching()), timeout=timeout)
            return matching()


class MailCatcher:
    """SMTP on `smtp_port`; optionally a read-only page (and `/messages.json`) on `http_port`."""

    def __init__(
        self, host: str = "127.0.0.1", smtp_port: int = 1025, http_port: int | None = None
    ):
        self.host = host
        self.smtp_port = smtp_port
        self.http_port = http_port
        self.inbox = Inbox()
        self._controller = Controller(_Handler(self.inbox), hostname=host, port=smtp_port)
        self._http: ThreadingHTTPServer | None = None

    def start(self) -> None:
        self._controller.start()
        if self.http_port is not None:
            self._http = ThreadingHTTPServer((self.host, self.http_port), _page_handler(self.inbox))
            threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._controller.stop()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()


def _page_handler(inbox: Inbox) -> type[BaseHTTPRequestHandler]:
    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            mails = inbox.all()
            if self.path == "/messages.json":
                body = json.dumps([m.__dict__ for m in mails], indent=2).encode()
                content_type = "application/json"
            else:
                rows = "".join(
                    f"<tr><td>{html.escape(', '.join(m.recipients))}</td>"
                    f"<td>{html.escape(m.subject)}</td><td>{html.escape(m.request_id)}</td>"
                    f"<td><pre>{html.escape(m.body)}</pre></td></tr>"
                    for m in reversed(mails)
                )
                body = (
                    "<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=5>"
                    "<title>Mail catcher</title><h1>Mail catcher</h1>"
                    f"<p>{len(mails)} message(s); this page refreshes every 5 s.</p>"
                    "<table border=1 cellpadding=4><tr><th>To</th><th>Subject</th>"
                    f"<th>X-Request-ID</th><th>Body</th></tr>{rows}</table>"
                ).encode()
                content_type = "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Page
