"""A service whose offer has a pending order says so, with the order, wherever it is asked for."""

from __future__ import annotations

import re

from bot.database import Database
from bot.replay import ChatSession
from tests import helpers

GARAGE = "accueil@garage-du-port.example"
UNDER_CANCELLATION = re.compile(
    r"SRV-1002 est en cours de résiliation par la commande (CMD-\w+), "
    r"en attente de la signature du client"
)


def _order_placed(db: Database) -> str:
    """Alpha's reseller has ordered the cancellation of Garage du Port's Starter Pack."""
    return str(helpers.run(db, helpers.pack("SRV-1002", GARAGE)).ref)


def _names_the_order(told: str, order: str) -> None:
    found = UNDER_CANCELLATION.search(told)
    assert found is not None, told
    assert found.group(1) == order


def _act(session: ChatSession, text: str) -> str:
    session.say(text)
    if session.find("Le faire pour moi") is not None:
        session.press("Le faire pour moi")
    return session.last_text()


def test_the_service_question_names_the_order_cancelling_the_only_service(
    db: Database,
) -> None:
    order = _order_placed(db)
    session = helpers.chat(db)
    _names_the_order(_act(session, "résilie 1 licence full chez Garage du Port"), order)
    session.say("SRV-1002")
    assert "ne fait pas partie de la liste" not in session.last_text()
    assert UNDER_CANCELLATION.search(session.last_text()) is not None


def test_a_service_under_cancellation_named_in_the_sentence_says_so(sqlite_db: Database) -> None:
    order = _order_placed(sqlite_db)
    session = helpers.chat(sqlite_db)
    told = _act(session, "résilie une licence du service SRV-1002")
    _names_the_order(told, order)
    assert "Récapitulatif" not in told


def test_in_english_the_order_is_named_too(sqlite_db: Database) -> None:
    order = _order_placed(sqlite_db)
    session = helpers.chat(sqlite_db)
    session.say("cancel 1 full licence for Garage du Port")
    if session.find("Do it for me") is not None:
        session.press("Do it for me")
    told = session.last_text()
    assert f"SRV-1002 is being cancelled by the order {order}" in told
    assert "client's signature" in told
