"""Rule 3: cancelling a whole Starter Pack offer through an order, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from bot.database import Database
from domain import services
from domain.errors import (
    OfferHasOtherProducts,
    OrderNotAwaitingSignature,
    ServiceNotActive,
)
from domain.model import Contact, Licence, Number, Order, OrderStatus, ProductSheet
from domain.validation import ContactFields
from domain.views import QuoteLine, TypeCount
from tests.conftest import ALPHA, OPERATOR_ACTOR
from tests.helpers import Call, audit_entries, count, details, pack, raises_and_changes_nothing, run

GARAGE = "accueil@garage-du-port.example"
GARAGE_LINES = (
    QuoteLine("product_sheet", "Starter Pack"),
    QuoteLine("number", "+33491000101"),
    QuoteLine("number", "+33491000102"),
    QuoteLine("licence", "FPC367201"),
    QuoteLine("licence", "FPC367202"),
    QuoteLine("licence", "FPC367203"),
)


def sign(order_ref: str) -> Call:
    return lambda uow: services.record_client_signature(uow, OPERATOR_ACTOR, order_ref)


def assert_garage_offer_is_gone(db: Database) -> None:
    after = details(db, "SRV-1002")
    assert after.state == "Résilié"
    assert {lic.state for lic in after.licences} == {"cancelled"}
    assert after.counts["full"] == TypeCount(active=0, subscribed=2)
    assert (after.products, after.numbers) == ((), ())
    with db.sessions() as session:
        numbers = session.scalars(select(Number).where(Number.e164.like("+3349100010%"))).all()
        assert [(n.state, n.licence_id) for n in numbers] == [("released", None)] * 2
    assert count(db, ProductSheet, ProductSheet.active.is_(True)) == 3  # OFF-1001 (2), OFF-2001


def test_the_quote_summary_lists_product_sheets_numbers_licences_and_contacts(
    db: Database,
) -> None:
    quote = run(db, lambda uow: services.preview_starter_pack_cancellation(uow, ALPHA, "srv-1002"))
    assert (quote.service_ref, quote.offer_ref, quote.client) == (
        "SRV-1002",
        "OFF-1002",
        "Garage du Port",
    )
    assert quote.lines == GARAGE_LINES
    assert [c.email for c in quote.contacts] == [GARAGE]


def test_an_offer_with_an_option_cannot_be_cancelled_as_a_whole_and_the_option_is_named(
    db: Database,
) -> None:
    error = raises_and_changes_nothing(
        db,
        lambda uow: services.preview_starter_pack_cancellation(uow, ALPHA, "SRV-1001"),
        OfferHasOtherProducts,
    )
    assert vars(error) == {
        "offer_ref": "OFF-1001",
        "other_products": ("Option enregistrement des appels",),
    }


def test_a_resellers_order_waits_for_the_client_signature_and_names_the_contact_to_ask(
    db: Database,
) -> None:
    order = run(db, pack("SRV-1002", GARAGE))
    assert order.status == "awaiting_signature"
    assert not order.final
    assert (order.service_ref, order.offer_ref, order.notified_to) == (
        "SRV-1002",
        "OFF-1002",
        GARAGE,
    )
    assert order.contact.email == GARAGE
    assert order.lines == GARAGE_LINES
    with db.sessions() as session:
        stored = session.scalars(select(Order).where(Order.ref == order.ref)).one()
        assert (stored.notified_to, stored.created_by) == (GARAGE, "revendeur-alpha")
        assert stored.notified_at is None  # nothing sent: no SMTP server, MyOpenIP sends it
        assert stored.request_channel == "portal"
        assert stored.validated_at is None
    waiting = details(db, "SRV-1002")
    assert waiting.state == "Résiliation en cours"
    assert waiting.counts["full"] == TypeCount(active=2, subscribed=2)
    assert waiting.numbers == ("+33491000101", "+33491000102")


def test_a_new_contact_is_created_for_the_client_and_notified(db: Database) -> None:
    new = ContactFields(" Marie  Martin ", "marie@garage-du-port.example", "06 12 34 56 78")
    order = run(db, pack("SRV-1002", new_contact=new))
    assert order.notified_to == "marie@garage-du-port.example"
    assert (order.contact.name, order.contact.phone) == ("Marie Martin", "+33612345678")
    client = run(db, lambda uow: services.client_details(uow, ALPHA, "CA-1002"))
    assert [c.email for c in client.contacts] == [GARAGE, "marie@garage-du-port.example"]


def test_an_operators_order_is_final_the_service_cancelled_and_the_numbers_released(
    db: Database,
) -> None:
    order = run(db, pack("SRV-1002", GARAGE, actor=OPERATOR_ACTOR))
    assert (order.status, order.final, order.notified_to) == ("final", True, None)
    assert_garage_offer_is_gone(db)
    [entry] = audit_entries(db, "cancel_starter_pack")
    assert entry.actor == "operateur"
    assert entry.after["service"] == "Résilié"


def test_an_offer_whose_cancellation_is_under_way_cannot_be_ordered_again(db: Database) -> None:
    run(db, pack("SRV-1002", GARAGE))
    error = raises_and_changes_nothing(
        db, pack("SRV-1002", GARAGE, actor=OPERATOR_ACTOR), ServiceNotActive
    )
    assert vars(error) == {"service_ref": "SRV-1002", "state": "Résiliation en cours"}


def test_recording_the_client_signature_makes_the_resellers_order_final(db: Database) -> None:
    waiting = run(db, pack("SRV-1002", GARAGE))
    signed = run(db, sign(waiting.ref))
    assert (signed.ref, signed.status, signed.final) == (waiting.ref, "final", True)
    assert_garage_offer_is_gone(db)
    [entry] = audit_entries(db, "record_client_signature")
    assert (entry.actor, entry.objects) == ("operateur", [waiting.ref, "SRV-1002"])
    with db.sessions() as session:
        stored = session.scalars(select(Order).where(Order.ref == waiting.ref)).one()
        assert (stored.status, stored.validated_by) == (OrderStatus.FINAL, "operateur")


def test_an_order_already_final_cannot_be_signed_again(db: Database) -> None:
    order = run(db, pack("SRV-1002", GARAGE, actor=OPERATOR_ACTOR))
    error = raises_and_changes_nothing(db, sign(order.ref.lower()), OrderNotAwaitingSignature)
    assert vars(error) == {"order_ref": order.ref, "status": "final"}


def test_the_other_offers_are_untouched_by_a_starter_pack_cancellation(db: Database) -> None:
    run(db, pack("SRV-1002", GARAGE, actor=OPERATOR_ACTOR))
    assert details(db, "SRV-1001").counts["full"] == TypeCount(active=6, subscribed=6)
    assert details(db, "SRV-2001").state == "Actif"
    assert count(db, Licence, Licence.state == "cancelled") == 3
    assert count(db, Contact) == 2
