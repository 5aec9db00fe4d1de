"""« Suivre une commande » in the chat (FR, EN): follow-up, resend, withdrawal, the operator's
validation and the client's signature; every claim checked against the database and the audit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.database import Database
from bot.replay import ChatSession
from dialogs.order_settings import OrderSettings, configure_orders, order_settings
from domain.model import Order, OrderStatus, RequestChannel
from tests.helpers import audit_entries, chat, details, pack, run
from tests.integration.test_order_life import stored
from tests.integration.test_starter_pack_orders import GARAGE


@pytest.fixture
def mail() -> Iterator[None]:
    """An SMTP server is configured: the assistant e-mails signature requests itself."""
    before = order_settings()
    configure_orders(OrderSettings(mail=True))
    yield
    configure_orders(before)


def _placed(db: Database) -> str:
    ref: str = run(db, pack("SRV-1002", GARAGE)).ref
    return ref


def _labels(session: ChatSession) -> list[str]:
    keyboard = session.last_keyboard()
    assert keyboard is not None
    return [label for row in keyboard.labels() for label in row]


def test_a_reseller_sees_where_its_order_stands_and_withdraws_it(sqlite_db: Database) -> None:
    ref = _placed(sqlite_db)
    session = chat(sqlite_db, "revendeur-alpha")
    session.say(f"où en est la commande {ref.lower()} ?")
    status = session.last_text()
    assert f"Commande {ref} — Garage du Port, service SRV-1002 (offre OFF-1002)" in status
    assert "en attente de la signature électronique du devis" in status
    assert "l'assistant n'envoie pas d'e-mail" in status  # no SMTP: nothing claimed
    assert "expirera le" in status
    assert _labels(session)[:1] == ["Retirer la commande"]  # no resend without SMTP
    session.press("Retirer la commande")
    assert "le service SRV-1002 redevient « Actif »" in session.last_text()
    assert stored(sqlite_db, ref).status == OrderStatus.AWAITING_SIGNATURE  # not before Confirmer
    session.press("Confirmer")
    assert f"✅ Commande {ref} retirée : le service SRV-1002 est de nouveau « Actif »" in (
        session.last_text()
    )
    assert stored(sqlite_db, ref).status == OrderStatus.WITHDRAWN
    assert details(sqlite_db, "SRV-1002").state == "Actif"
    [entry] = audit_entries(sqlite_db, "withdraw_order")
    assert entry.actor == "revendeur-alpha"


def test_the_pending_orders_are_listed_and_an_ended_one_offers_nothing(sqlite_db: Database) -> None:
    ref = _placed(sqlite_db)
    session = chat(sqlite_db, "revendeur-alpha")
    session.say("/menu")
    session.press("^Suivre une commande")
    session.press("Le faire pour moi")
    assert "en attente de la signature du client (1)" in session.last_text()
    session.press(f"^{ref} · Garage du Port · SRV-1002$")
    session.press("Retirer la commande")
    session.press("Confirmer")
    session.press("^Suivre une commande")
    session.press("Le faire pour moi")
    assert "Aucune commande n'attend la signature" in session.last_text()
    session.say(ref)
    assert "État : retirée avant signature" in session.last_text()
    assert "il n'y a plus rien à faire" in session.last_text()
    assert _labels(session) == ["Précédent", "Annuler"]


def test_another_resellers_order_is_not_found_like_a_missing_one(sqlite_db: Database) -> None:
    ref = _placed(sqlite_db)
    beta = chat(sqlite_db, "revendeur-beta")
    beta.say(f"où en est {ref} ?")
    hidden = beta.last_text()
    beta.say("/annuler")
    beta.say("où en est CMD-0000AAAA ?")
    assert hidden.replace(ref, "X") == beta.last_text().replace("CMD-0000AAAA", "X")
    assert "Je ne trouve pas la commande" in hidden


def test_with_an_smtp_server_a_reseller_sends_the_request_again(
    sqlite_db: Database, mail: None
) -> None:
    ref = _placed(sqlite_db)
    session = chat(sqlite_db, "revendeur-alpha")
    session.say(ref)
    session.press("Renvoyer la demande de signature")
    assert "par e-mail à Accueil (accueil@garage-du-port.example)" in session.last_text()
    session.press("Confirmer")
    assert "en file d'envoi par e-mail à accueil@garage-du-port.example" in session.last_text()
    order = stored(sqlite_db, ref)
    assert (order.request_channel, order.notified_at) == (RequestChannel.EMAIL, None)
    session.say(ref)
    assert "en file d'envoi par e-mail à accueil@garage-du-port.example (pas encore partie)" in (
        session.last_text()
    )


def test_with_an_smtp_server_a_new_order_says_its_request_is_queued_not_sent(
    sqlite_db: Database, mail: None
) -> None:
    session = chat(sqlite_db, "revendeur-alpha")
    session.say("/menu")
    for label in ("^Résilier tout un Starter Pack$", "Le faire pour moi", "Garage du Port"):
        session.press(label)
    session.press("Accueil")
    session.press("Confirmer")
    assert "en file d'envoi par e-mail à Accueil (accueil@garage-du-port.example)" in (
        session.last_text()
    )
    assert "envoyée" not in session.last_text()
    with sqlite_db.sessions() as db_session:
        [channel] = db_session.scalars(select(Order.request_channel)).all()
    assert channel == RequestChannel.EMAIL


def test_the_operator_gives_the_final_validation(sqlite_db: Database) -> None:
    ref = _placed(sqlite_db)
    session = chat(sqlite_db, "operateur")
    session.say(f"le client a signé la commande {ref} ?")
    assert _labels(session)[:3] == [
        "Retirer la commande",
        "Enregistrer la signature du client",
        "Validation finale de la commande",
    ]
    session.press("Validation finale de la commande")
    assert "sans attendre la signature du client" in session.last_text()
    assert "FPC367201, FPC367202, FPC367203" in session.last_text()
    session.press("Confirmer")
    assert f"✅ Validation finale donnée : la commande {ref} est définitive" in session.last_text()
    assert details(sqlite_db, "SRV-1002").state == "Résilié"
    [entry] = audit_entries(sqlite_db, "validate_order")
    assert entry.actor == "operateur"


def test_the_operator_records_the_signature_in_english(sqlite_db: Database) -> None:
    ref = _placed(sqlite_db)
    session = chat(sqlite_db, "operateur")
    session.say(f"where is order {ref}?")
    assert f"Order {ref} — Garage du Port" in session.last_text()
    assert "awaiting the client's electronic signature" in session.last_text()
    session.press("Record the client's signature")
    assert "the order becomes final" in session.last_text()
    session.press("Confirm")
    assert f"Client's signature recorded: the order {ref} is final" in session.last_text()
    assert stored(sqlite_db, ref).end_reason == "client_signature"


def test_a_reseller_withdraws_in_english_and_the_helpdesk_only_reads(sqlite_db: Database) -> None:
    ref = _placed(sqlite_db)
    helpdesk = chat(sqlite_db, "helpdesk", "t:2")
    helpdesk.say(f"where is order {ref}?")
    assert f"Order {ref}" in helpdesk.last_text()
    assert "Withdraw" not in " ".join(_labels(helpdesk))
    session = chat(sqlite_db, "revendeur-alpha")
    session.say(f"status of order {ref}?")
    session.press("Withdraw the order")
    assert 'becomes "Actif" again' in session.last_text()
    session.press("Confirm")
    assert f"Order {ref} withdrawn" in session.last_text()
    assert stored(sqlite_db, ref).status == OrderStatus.WITHDRAWN


def test_an_order_signed_meanwhile_answers_with_its_new_state_not_an_action(
    sqlite_db: Database,
) -> None:
    from domain import services
    from tests.conftest import OPERATOR_ACTOR

    ref = _placed(sqlite_db)
    session = chat(sqlite_db, "revendeur-alpha")
    session.say(ref)
    session.press("Retirer la commande")
    run(sqlite_db, lambda uow: services.record_client_signature(uow, OPERATOR_ACTOR, ref))
    session.press("Confirmer")
    answer = session.last_text()
    assert f"La commande {ref} n'attend plus la signature du client" in answer
    assert "État : définitive (signée par le client" in answer
    assert stored(sqlite_db, ref).status == OrderStatus.FINAL
    assert audit_entries(sqlite_db, "withdraw_order") == []


def test_the_guide_says_where_the_fiche_stops(sqlite_db: Database) -> None:
    session = chat(sqlite_db, "revendeur-alpha")
    session.say("/menu")
    session.press("^Suivre une commande")
    session.press("Me guider")
    assert "La fiche s'arrête là" in session.last_text()
    for _ in range(4):
        session.press("Suivant")
    assert "vous ne donnez pas la validation finale" in session.last_text()


def test_an_order_changed_after_its_summary_is_shown_again_not_acted_on(
    sqlite_db: Database, mail: None
) -> None:
    ref = _placed(sqlite_db)
    session = chat(sqlite_db, "revendeur-alpha")
    session.say(ref)
    session.press("Retirer la commande")
    operator = chat(sqlite_db, "operateur", "t:2")
    operator.say(ref)
    operator.press("Renvoyer la demande de signature")
    operator.press("Confirmer")
    session.press("Confirmer")
    answer = session.last_text()
    assert "Entre-temps, ce que le récapitulatif listait a changé : rien n'a été fait" in answer
    assert f"Retirer la commande {ref}" in answer  # the summary again, of the order as it is
    assert stored(sqlite_db, ref).status == OrderStatus.AWAITING_SIGNATURE
    assert audit_entries(sqlite_db, "withdraw_order") == []
    session.press("Confirmer")
    assert stored(sqlite_db, ref).status == OrderStatus.WITHDRAWN


def test_asking_whether_the_client_signed_opens_the_follow_up_naming_no_client(
    sqlite_db: Database,
) -> None:
    session = chat(sqlite_db, "revendeur-alpha")
    session.say("le client a signé ?")
    asked = session.last_text()
    assert "« Suivre une commande de résiliation »" in asked
    assert "Je ne trouve pas" not in asked  # « client a signé » is not a client's name


def test_an_order_named_in_the_middle_of_a_procedure_is_the_one_followed_after_switching(
    sqlite_db: Database,
) -> None:
    ref = _placed(sqlite_db)
    session = chat(sqlite_db, "revendeur-alpha")
    session.say("résilie 2 licences full chez Cabinet Azur")
    session.say(f"où en est la commande {ref} ?")
    session.press("Abandonner")

    assert f"Commande {ref} — Garage du Port" in session.last_text()  # not asked for again
    session.press("Retirer la commande")
    session.press("Confirmer")
    assert stored(sqlite_db, ref).status == OrderStatus.WITHDRAWN
    assert [e.action for e in audit_entries(sqlite_db)] == ["cancel_starter_pack", "withdraw_order"]
