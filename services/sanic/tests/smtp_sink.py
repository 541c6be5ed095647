"""A local SMTP server for tests: speaks just enough SMTP for smtplib and keeps every message."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import cast


class SMTPSink:
    """`with SMTPSink() as sink:` listens on 127.0.0.1:`sink.port`; `sink.messages` is what arrived.

    `delay` seconds pass before a message is acknowledged (a slow relay); `refuse` answers every
    MAIL FROM with a 451, a temporary failure smtplib raises as an SMTPException.
    """

    def __init__(self, *, delay: float = 0.0, refuse: bool = False) -> None:
        self.messages: list[EmailMessage] = []
        self.delay = delay
        self.refuse = refuse
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                self.reply("220 sink ESMTP")
                while raw := self.rfile.readline():
                    verb = raw.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self.reply("250 sink")
                    elif verb == "MAIL" and sink.refuse:
                        self.reply("451 try again later")
                    elif verb == "DATA":
                        self.reply("354 end with <CRLF>.<CRLF>")
                        lines: list[bytes] = []
                        while (line := self.rfile.readline()) not in (b".\r\n", b""):
                            lines.append(line[1:] if line.startswith(b"..") else line)
                        sink.received(b"".join(lines))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:  # HELO, MAIL, RCPT, RSET, NOOP
                        self.reply("250 ok")

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.host, self.port = cast(tuple[str, int], self._server.server_address)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def received(self, data: bytes) -> None:
        if self.delay:
            threading.Event().wait(self.delay)
        message = message_from_bytes(data, _class=EmailMessage, policy=policy.default)
        with self._lock:
            self.messages.append(message)

    def __enter__(self) -> SMTPSink:
        self._thread.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
