"""The signature request e-mailed to an order's contact through SMTP, after the order commits.

An order whose request goes by e-mail (``request_channel`` ``email``) and is not sent yet is
claimed (a conditional UPDATE: two processes never send the same request at once), sent, and its
delivery recorded on the order: ``notified_at`` when the server accepted it, otherwise the
attempt, the error and when to try again (backing off; it stops after
:data:`~dialogs.order_text.MAX_MAIL_ATTEMPTS`). The bookkeeping does not touch the order's
version, so a summary the user is looking at stays valid.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from dialogs.order_text import MAX_MAIL_ATTEMPTS, expires_on, quote_params, when
from dialogs.texts import say
from domain.model import Order, OrderStatus, RequestChannel, utcnow
from domain.services import mapping
from domain.views import OrderView

log = logging.getLogger("openip_bot.mail")
BACKOFF_MINUTES = (1, 5, 15, 60)  # after the 1st, 2nd, 3rd, 4th failure
LEASE = timedelta(minutes=5)  # a claimed request is another process's for this long
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class SmtpServer:
    """Where to send: ``smtp://[user:password@]host[:port]`` (STARTTLS when the server offers
    it) or ``smtps://…`` (TLS from the start)."""

    host: str
    port: int
    tls: bool = False
    user: str | None = None
    password: str | None = None
    sender: str = "openip-bot@localhost"

    @classmethod
    def from_url(cls, url: str, sender: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("OPENIP_BOT_SMTP_URL: smtp://[user:password@]host[:port] or smtps://…")
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 25),
            tls=tls,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            sender=sender,
        )

    def send(self, message: EmailMessage) -> None:
        """Hand the message to the server; raises on any refusal or connection failure."""
        if self.tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
        with client:
            client.ehlo()
            if not self.tls and client.has_extn("starttls"):
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if self.user:
                client.login(self.user, self.password or "")
            client.send_message(message)


def signature_request(order: OrderView, server: SmtpServer, ttl_days: int) -> EmailMessage:
    """The e-mail: the quote's summary, in French (MyOpenIP's end clients are French)."""
    params = quote_params(order)
    params.update(reseller=order.placed_by, day=when("fr", expires_on(order, ttl_days), "day"))
    message = EmailMessage()
    message["From"] = server.sender
    message["To"] = order.notified_to or order.contact.email
    message["Subject"] = say("fr", "order_followup.mail.subject", **params)
    message["Message-ID"] = make_msgid(idstring=order.ref)
    message.set_content(say("fr", "order_followup.mail.body", **params))
    return message


def send_signature_requests(
    sessions: sessionmaker[Session], server: SmtpServer, ttl_days: int, now: datetime | None = None
) -> tuple[int, int]:
    """Send every signature request due now; ``(sent, failed)``."""
    now = now or utcnow()
    sent = failed = 0
    for order_id in _due(sessions, now):
        order = _claim(sessions, order_id, now)
        if order is None:
            continue  # another process took it, or it changed meanwhile
        try:
            server.send(signature_request(order, server, ttl_days))
        except (OSError, smtplib.SMTPException) as error:
            _record_failure(sessions, order_id, order.request_attempts, error)
            failed += 1
            continue
        _record(
            sessions,
            order_id,
            notified_at=utcnow(),
            request_next_at=None,
            request_error=None,
            request_attempts=order.request_attempts + 1,
        )
        log.info("signature request of %s sent", order.ref)
        sent += 1
    return sent, failed


def _waiting(now: datetime) -> list[ColumnElement[bool]]:
    return [
        Order.status == OrderStatus.AWAITING_SIGNATURE,
        Order.request_channel == RequestChannel.EMAIL,
        Order.notified_at.is_(None),
        Order.request_attempts < MAX_MAIL_ATTEMPTS,
        or_(Order.request_next_at.is_(None), Order.request_next_at <= now),
    ]


def _due(sessions: sessionmaker[Session], now: datetime) -> list[int]:
    with sessions() as session:
        return list(session.scalars(select(Order.id).where(*_waiting(now)).order_by(Order.id)))


def _claim(sessions: sessionmaker[Session], order_id: int, now: datetime) -> OrderView | None:
    """Take the request for :data:`LEASE` if it is still due; its order as it is now."""
    with sessions.begin() as session:
        taken = session.execute(
            update(Order)
            .where(Order.id == order_id, *_waiting(now))
            .values(request_next_at=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        order = session.get(Order, order_id)
        return mapping.order_view(order) if order is not None else None


def _record_failure(
    sessions: sessionmaker[Session], order_id: int, attempts: int, error: Exception
) -> None:
    attempts += 1
    log.warning(
        "signature request of order %s not sent (attempt %d): %s", order_id, attempts, error
    )
    delay = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
    retry = utcnow() + timedelta(minutes=delay) if attempts < MAX_MAIL_ATTEMPTS else None
    text = f"{type(error).__name__}: {error}"[:300]
    _record(
        sessions, order_id, request_attempts=attempts, request_next_at=retry, request_error=text
    )


def _record(sessions: sessionmaker[Session], order_id: int, **values: object) -> None:
    with sessions.begin() as session:
        session.execute(
            update(Order)
            .where(Order.id == order_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
