"""The reseller who placed an order is told on Telegram when it ends: a message in the outbox,
written in the transaction that ends the order, in the language of the reseller's chat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from bot.cli import app
from bot.database import Database
from dialogs.conversation import Conversation
from dialogs.order_notices import NOTICES
from dialogs.outbox import from_json
from dialogs.records import ConversationRecord, OutboxMessage
from domain import services
from domain.errors import OrderNotAwaitingSignature
from domain.model import Order, utcnow
from domain.services.users import link_telegram
from tests.conftest import ALPHA, OPERATOR_ACTOR
from tests.helpers import chat, pack, raises_and_changes_nothing, run
from tests.integration.test_starter_pack_orders import GARAGE

ALPHA_CHAT = "tg:1001"


@pytest.fixture
def linked(db: Database) -> Database:
    with db.uow() as uow:
        link_telegram(uow, OPERATOR_ACTOR, "revendeur-alpha", 1001)
    return db


def _told(db: Database, chat_key: str = ALPHA_CHAT) -> list[str]:
    with db.sessions() as session:
        rows = session.scalars(
            select(OutboxMessage.reply).where(OutboxMessage.chat_key == chat_key)
        ).all()
    return [from_json(row).text for row in rows]


def test_the_operators_validation_in_the_chat_tells_the_reseller_once(linked: Database) -> None:
    ref = run(linked, pack("SRV-1002", GARAGE)).ref
    operator = chat(linked, "operateur", "t:op")
    operator.say(ref)
    operator.press("Validation finale de la commande")
    assert _told(linked) == []  # not before Confirmer
    operator.press("Confirmer")
    assert _told(linked) == [
        f"📄 Votre commande {ref} (Garage du Port, service SRV-1002) est définitive : "
        "validation finale de l'opérateur. Le service est « Résilié »."
    ]
    raises_and_changes_nothing(
        linked,
        lambda uow: services.withdraw_order(uow, OPERATOR_ACTOR, ref, NOTICES),
        OrderNotAwaitingSignature,
    )
    assert len(_told(linked)) == 1


def test_a_reseller_withdrawing_its_own_order_gets_its_reply_and_no_notice(
    linked: Database,
) -> None:
    ref = run(linked, pack("SRV-1002", GARAGE)).ref
    run(linked, lambda uow: services.withdraw_order(uow, ALPHA, ref, NOTICES))
    assert _told(linked) == []


def test_an_expired_order_is_told_in_the_language_of_the_resellers_chat(
    linked: Database,
) -> None:
    with linked.sessions.begin() as session:
        data = Conversation(lang="en").to_dict()
        session.add(ConversationRecord(chat_key=ALPHA_CHAT, data=data, nonce="", status="idle"))
    ref = run(linked, pack("SRV-1002", GARAGE)).ref
    with linked.sessions.begin() as session:
        placed = utcnow() - timedelta(days=31)
        session.execute(update(Order).where(Order.ref == ref).values(created_at=placed))
    url = linked.engine.url.render_as_string(hide_password=False)
    assert CliRunner().invoke(app, ["orders", "expire", "--db", url]).exit_code == 0
    assert _told(linked) == [
        f"📄 Your order {ref} (Garage du Port, service SRV-1002) expired: unsigned after "
        '30 days. The service is "Actif" again.'
    ]


def test_a_reseller_without_telegram_is_not_told_and_nothing_fails(db: Database) -> None:
    ref = run(db, pack("SRV-1002", GARAGE)).ref
    signed = run(
        db, lambda uow: services.record_client_signature(uow, OPERATOR_ACTOR, ref, NOTICES)
    )
    assert signed.final
    with db.sessions() as session:
        assert session.scalars(select(OutboxMessage)).all() == []
