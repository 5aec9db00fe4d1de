"""The signature request really e-mailed to a real SMTP server on 127.0.0.1 (aiosmtpd), retried
when the server is away, its delivery recorded on the order; never sent twice nor for an order
whose request goes through MyOpenIP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.database import Database
from bot.signature_mail import SmtpServer, send_signature_requests
from dialogs.order_text import order_text
from domain import services
from domain.commands import CancelStarterPack
from domain.model import utcnow
from tests.conftest import ALPHA
from tests.helpers import contact_id, free_port, run
from tests.integration.test_order_life import stored
from tests.integration.test_starter_pack_orders import GARAGE


class Inbox:
    """aiosmtpd's handler: every message the server accepted, with its envelope."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, Controller]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller
    controller.stop()


def _server(controller: Controller) -> SmtpServer:
    url = f"smtp://127.0.0.1:{controller.port}"
    return SmtpServer.from_url(url, "MyOpenIP <no-reply@openip.example>")


def _order_by_email(db: Database) -> str:
    def place(uow: Any) -> str:
        cmd = CancelStarterPack("SRV-1002", contact_id(uow.session, GARAGE), request_by_email=True)
        return services.cancel_starter_pack(uow, ALPHA, cmd).ref

    ref: str = run(db, place)
    return ref


def test_the_signature_request_reaches_the_contact_with_the_quote_summary(
    db: Database, smtp: tuple[Inbox, Controller]
) -> None:
    inbox, controller = smtp
    ref = _order_by_email(db)
    assert send_signature_requests(db.sessions, _server(controller), 30) == (1, 0)
    [(recipients, message)] = inbox.received
    assert recipients == [GARAGE]
    assert message["To"] == GARAGE
    assert ref in message["Subject"]
    body = message.get_content()
    assert "Bonjour Accueil" in body
    assert "revendeur-alpha a demandé la résiliation de votre offre MetaCentrex OFF-1002" in body
    assert "fiche produit retirée : Starter Pack" in body
    assert "numéros libérés : 04 91 00 01 01, 04 91 00 01 02" in body
    assert "licences résiliées : FPC367201, FPC367202, FPC367203" in body
    with db.uow() as uow:
        shown = order_text("fr", services.order_details(uow, ALPHA, ref), 30)
    assert "envoyée par e-mail à accueil@garage-du-port.example le" in shown
    assert send_signature_requests(db.sessions, _server(controller), 30) == (0, 0)
    assert len(inbox.received) == 1  # sent once


def test_a_request_the_server_could_not_take_is_recorded_then_retried(
    sqlite_db: Database, smtp: tuple[Inbox, Controller]
) -> None:
    inbox, controller = smtp
    ref = _order_by_email(sqlite_db)
    away = SmtpServer("127.0.0.1", free_port())  # nobody listens there
    assert send_signature_requests(sqlite_db.sessions, away, 30) == (0, 1)
    failed = stored(sqlite_db, ref)
    assert (failed.notified_at, failed.request_attempts) == (None, 1)
    assert "ConnectionRefusedError" in (failed.request_error or "")
    assert failed.request_next_at is not None
    with sqlite_db.uow() as uow:
        shown = order_text("fr", services.order_details(uow, ALPHA, ref), 30)
    assert "a échoué (1 tentative :" in shown
    assert send_signature_requests(sqlite_db.sessions, _server(controller), 30) == (0, 0)
    later = utcnow() + timedelta(minutes=2)  # past the first back-off
    assert send_signature_requests(sqlite_db.sessions, _server(controller), 30, later) == (1, 0)
    assert [r for r, _ in inbox.received] == [[GARAGE]]
    sent = stored(sqlite_db, ref)
    assert (sent.request_attempts, sent.request_error) == (2, None)
    assert sent.notified_at is not None
    assert sent.version == failed.version  # the bookkeeping leaves a summary on screen valid


def test_no_e_mail_for_a_request_sent_from_myopenip_nor_for_a_withdrawn_order(
    sqlite_db: Database, smtp: tuple[Inbox, Controller]
) -> None:
    inbox, controller = smtp
    run(
        sqlite_db,
        lambda uow: services.cancel_starter_pack(
            uow, ALPHA, CancelStarterPack("SRV-1002", contact_id(uow.session, GARAGE))
        ),
    )
    assert send_signature_requests(sqlite_db.sessions, _server(controller), 30) == (0, 0)
    with sqlite_db.uow() as uow:
        [order] = services.list_orders(uow, ALPHA)
    run(sqlite_db, lambda uow: services.resend_signature_request(uow, ALPHA, order.ref))
    run(sqlite_db, lambda uow: services.withdraw_order(uow, ALPHA, order.ref))
    assert send_signature_requests(sqlite_db.sessions, _server(controller), 30) == (0, 0)
    assert inbox.received == []
