"""The « Résilier tout un Starter Pack » dialog on the demo data: what scripts cannot show."""

from __future__ import annotations

from sqlalchemy import select

from bot.database import Database
from bot.replay import ChatSession
from dialogs.texts import Lang, catalogue
from domain.model import Order, OrderStatus, Service, ServiceState
from tests import helpers


def _chat(db: Database, handle: str, chat: str = "t:1") -> ChatSession:
    return helpers.chat(db, handle, chat)


def _to_contact(session: ChatSession) -> None:
    session.say("/menu")
    session.press("^Résilier tout un Starter Pack$")
    session.press("Le faire pour moi")
    session.press("Garage du Port")


def _to_summary(session: ChatSession) -> None:
    _to_contact(session)
    session.press("Accueil")
    assert "Confirmez-vous" in session.last_text()


def _last_words(session: ChatSession) -> str:
    """The bot's answer to the last press, whether in one message or two."""
    return "\n".join(m["text"] for m in session.transcript[-2:])


def _orders(db: Database) -> list[Order]:
    with db.sessions() as s:
        return list(s.scalars(select(Order)))


def _service_state(db: Database, ref: str) -> str:
    with db.sessions() as s:
        return str(s.scalar(select(Service.state).where(Service.ref == ref)))


def test_pressing_the_old_confirm_again_has_expired_and_orders_once(sqlite_db: Database) -> None:
    session = _chat(sqlite_db, "revendeur-alpha")
    _to_summary(session)
    confirm = session.find("Confirmer")
    assert confirm is not None
    session.press_token(confirm.token, "Confirmer")
    result = _last_words(session)
    assert "CMD-" in result
    assert "accueil@garage-du-port.example" in result
    session.press_token(confirm.token, "Confirmer")
    assert "expiré" in _last_words(session)
    orders = _orders(sqlite_db)
    assert len(orders) == 1
    assert orders[0].status == OrderStatus.AWAITING_SIGNATURE
    assert orders[0].notified_to == "accueil@garage-du-port.example"
    assert _service_state(sqlite_db, "SRV-1002") == ServiceState.CANCELLATION_PENDING


def test_the_operators_order_is_final_and_gives_its_reference(sqlite_db: Database) -> None:
    session = _chat(sqlite_db, "operateur")
    _to_summary(session)
    session.press("Confirmer")
    result = _last_words(session)
    (order,) = _orders(sqlite_db)
    assert order.ref in result
    assert "« Résilié »" in result
    assert "04 91 00 01 01, 04 91 00 01 02" in result
    assert _service_state(sqlite_db, "SRV-1002") == ServiceState.CANCELLED


def test_a_new_contact_is_created_with_its_phone_in_e164(sqlite_db: Database) -> None:
    session = _chat(sqlite_db, "operateur")
    _to_contact(session)
    session.press("Nouveau contact")
    for text in ("Jean Martin", "jean.martin@garage-du-port.example", "06 12 34 56 78"):
        session.say(text)
    session.press("Confirmer")
    (order,) = _orders(sqlite_db)
    with sqlite_db.sessions() as s:
        contact = s.get(Order, order.id).contact  # type: ignore[union-attr]
        assert (contact.name, contact.phone) == ("Jean Martin", "+33612345678")


def test_a_service_cancelled_meanwhile_sends_back_to_the_service_question(
    sqlite_db: Database,
) -> None:
    mine, theirs = _chat(sqlite_db, "revendeur-alpha", "t:a"), _chat(sqlite_db, "operateur", "t:b")
    _to_summary(mine)
    _to_summary(theirs)
    theirs.press("Confirmer")
    mine.press("Confirmer")
    assert "n'est pas actif" in mine.last_text()
    assert "Quel service" in mine.last_text()
    assert len(_orders(sqlite_db)) == 1


def test_every_text_exists_in_french_and_in_english() -> None:
    def keys(lang: Lang) -> set[str]:
        return {k for k in catalogue(lang) if k.startswith("cancel_starter_pack.")}

    assert keys("fr") == keys("en")
    assert {
        "cancel_starter_pack.guide.validate_reseller",
        "cancel_starter_pack.guide.validate_operator",
    } <= keys("fr")
