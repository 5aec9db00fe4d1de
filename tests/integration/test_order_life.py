"""An order's life after it is placed, on SQLite and PostgreSQL: each transition, each refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.database import Database
from domain import services
from domain.access import Actor
from domain.commands import OrderAction
from domain.errors import (
    Conflict,
    Forbidden,
    InvalidField,
    NotFound,
    OrderNotAwaitingSignature,
    OrderNotDue,
)
from domain.model import Order, ProductSheet, utcnow
from domain.services.order_life import SYSTEM
from domain.services.users import link_telegram
from domain.validation import ContactFields
from domain.views import OrderNotice, OrderView, TypeCount
from tests.conftest import ALPHA, BETA, HELPDESK, OPERATOR_ACTOR
from tests.helpers import (
    Call,
    audit_entries,
    count,
    details,
    pack,
    race,
    raises_and_changes_nothing,
    run,
    snapshot,
    winner_and_loser,
)
from tests.integration.test_starter_pack_orders import GARAGE, assert_garage_offer_is_gone

Act = Callable[[str], Call]
PINS = ContactFields("Réception", "reception@hotel-des-pins.example", "04 93 00 00 09")
LATER = timedelta(days=31)


class Notices:
    """A notifier that keeps what it was asked to tell, as the outbox would in the session."""

    def __init__(self) -> None:
        self.sent: list[OrderNotice] = []

    def order_ended(self, session: Session, notice: OrderNotice) -> None:
        assert session.in_transaction()
        self.sent.append(notice)


def sign(ref: str, notifier: Notices | None = None) -> Call:
    return lambda uow: services.record_client_signature(uow, OPERATOR_ACTOR, ref, notifier)


def validate(ref: str, notifier: Notices | None = None) -> Call:
    return lambda uow: services.validate_order(uow, OPERATOR_ACTOR, ref, notifier)


def withdraw(ref: str, actor: Actor = ALPHA, notifier: Notices | None = None) -> Call:
    return lambda uow: services.withdraw_order(uow, actor, ref, notifier)


def expire(ref: str, later: timedelta = LATER, notifier: Notices | None = None) -> Call:
    return lambda uow: services.expire_order(uow, SYSTEM, ref, utcnow() + later, 30, notifier)


def resend(ref: str, actor: Actor = ALPHA) -> Call:
    return lambda uow: services.resend_signature_request(uow, actor, ref)


def placed(db: Database) -> OrderView:
    """Alpha's reseller orders the cancellation of the Garage du Port's Starter Pack."""
    order: OrderView = run(db, pack("SRV-1002", GARAGE))
    return order


def stored(db: Database, ref: str) -> Order:
    with db.sessions() as session:
        order = session.scalars(select(Order).where(Order.ref == ref)).one()
        session.expunge(order)
        return order


def assert_garage_is_back_as_it_was(db: Database) -> None:
    after = details(db, "SRV-1002")
    assert after.state == "Actif"
    assert {lic.state for lic in after.licences} == {"active"}
    assert after.counts["full"] == TypeCount(active=2, subscribed=2)
    assert after.numbers == ("+33491000101", "+33491000102")
    assert after.products == ("Starter Pack",)


def test_the_operators_final_validation_makes_a_waiting_order_final(db: Database) -> None:
    order = placed(db)
    final = run(db, validate(order.ref))
    assert (final.status, final.final, final.ended_by, final.end_reason) == (
        "final",
        True,
        "operateur",
        "final_validation",
    )
    assert_garage_offer_is_gone(db)
    [entry] = audit_entries(db, "validate_order")
    assert entry.before == {"order": "awaiting_signature", "service": "Résiliation en cours"}
    assert entry.after == {"order": "final", "service": "Résilié", "reason": "final_validation"}


def test_the_client_signature_ends_the_order_with_its_reason(db: Database) -> None:
    order = placed(db)
    final = run(db, sign(order.ref))
    assert (final.status, final.end_reason) == ("final", "client_signature")
    assert stored(db, order.ref).ended_at is not None


def test_a_reseller_withdraws_its_order_and_only_the_service_state_changes_back(
    db: Database,
) -> None:
    order = placed(db)
    before = snapshot(db)
    withdrawn = run(db, withdraw(order.ref.lower()))
    assert (withdrawn.status, withdrawn.service_state, withdrawn.end_reason) == (
        "withdrawn",
        "Actif",
        "withdrawn",
    )
    assert_garage_is_back_as_it_was(db)
    after = snapshot(db)
    changed = {t for t in before if before[t] != after[t]}
    assert changed == {"orders", "services", "audit_entries"}
    [entry] = audit_entries(db, "withdraw_order")
    assert (entry.actor, entry.objects) == ("revendeur-alpha", [order.ref, "SRV-1002"])


def test_the_operator_withdraws_a_resellers_order(db: Database) -> None:
    order = placed(db)
    assert run(db, withdraw(order.ref, OPERATOR_ACTOR)).ended_by == "operateur"
    assert_garage_is_back_as_it_was(db)


def test_an_order_unsigned_after_the_time_allowed_expires_as_withdrawn_with_its_reason(
    db: Database,
) -> None:
    order = placed(db)
    with db.uow() as uow:
        assert services.due_for_expiry(uow, utcnow() + LATER) == [order.ref]
        assert services.due_for_expiry(uow, utcnow()) == []
    expired = run(db, expire(order.ref))
    assert (expired.status, expired.end_reason, expired.ended_by) == (
        "expired",
        "unsigned_after_30_days",
        "openip-bot",
    )
    assert_garage_is_back_as_it_was(db)
    [entry] = audit_entries(db, "expire_order")
    assert entry.after["reason"] == "unsigned_after_30_days"
    with db.uow() as uow:
        assert services.due_for_expiry(uow, utcnow() + LATER) == []


def test_an_order_within_its_time_does_not_expire(db: Database) -> None:
    order = placed(db)
    error = raises_and_changes_nothing(db, expire(order.ref, timedelta(days=29)), OrderNotDue)
    assert error.order_ref == order.ref  # type: ignore[attr-defined]


def test_sending_the_signature_request_again_queues_an_e_mail_to_the_contact(
    db: Database,
) -> None:
    order = placed(db)
    assert order.request_channel == "portal"
    again = run(db, resend(order.ref))
    assert (again.request_channel, again.notified_to, again.request_sent_at) == (
        "email",
        GARAGE,
        None,
    )
    assert again.status == "awaiting_signature"
    [entry] = audit_entries(db, "resend_signature_request")
    assert entry.after == {"request_to": GARAGE}


ENDINGS: dict[str, Act] = {"final": sign, "withdrawn": withdraw, "expired": expire}
ACTIONS: dict[str, Act] = {
    "sign": sign,
    "validate": validate,
    "withdraw": withdraw,
    "expire": expire,
    "resend": resend,
}


@pytest.mark.parametrize("ending", sorted(ENDINGS))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_ended_order_refuses_every_transition_and_changes_nothing(
    db: Database, ending: str, action: str
) -> None:
    order = placed(db)
    run(db, ENDINGS[ending](order.ref))
    error = raises_and_changes_nothing(db, ACTIONS[action](order.ref), OrderNotAwaitingSignature)
    assert vars(error) == {"order_ref": order.ref, "status": ending}


@pytest.mark.parametrize(
    ("call", "action"),
    [
        (lambda ref: withdraw(ref, BETA), "withdraw"),
        (lambda ref: resend(ref, BETA), "resend"),
        (lambda ref: lambda uow: services.order_details(uow, BETA, ref), "show"),
    ],
    ids=["withdraw", "resend", "show"],
)
def test_another_resellers_order_is_unknown_like_a_missing_one(
    db: Database, call: Act, action: str
) -> None:
    order = placed(db)
    hidden = raises_and_changes_nothing(db, call(order.ref), NotFound)
    missing = raises_and_changes_nothing(db, call("CMD-00000000"), NotFound)
    assert (hidden.kind, missing.kind) == ("order", "order")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("call", "actor", "action"),
    [
        (lambda ref: lambda uow: services.validate_order(uow, ALPHA, ref), ALPHA, "validate_order"),
        (sign, None, "record_client_signature"),
        (lambda ref: withdraw(ref, HELPDESK), HELPDESK, "withdraw_order"),
        (lambda ref: resend(ref, HELPDESK), HELPDESK, "resend_signature_request"),
        (
            lambda ref: lambda uow: services.expire_order(uow, ALPHA, ref, utcnow() + LATER),
            ALPHA,
            "expire_order",
        ),
    ],
    ids=[
        "reseller-validates",
        "reseller-signs",
        "helpdesk-withdraws",
        "helpdesk-resends",
        "reseller-expires",
    ],
)
def test_who_may_not_make_a_transition_is_forbidden_it(
    db: Database, call: Act, actor: Actor | None, action: str
) -> None:
    order = placed(db)
    if actor is None:  # a reseller recording the signature itself

        def attempt(uow: Any) -> Any:
            return services.record_client_signature(uow, ALPHA, order.ref)
    else:
        attempt = call(order.ref)
    error = raises_and_changes_nothing(db, attempt, Forbidden)
    assert error.action == action  # type: ignore[attr-defined]


def test_a_transition_on_a_version_the_user_did_not_see_is_a_conflict(db: Database) -> None:
    order = placed(db)
    run(db, resend(order.ref))  # the order changed after the user saw it
    seen = OrderAction(order.ref, expected_version=order.version)
    raises_and_changes_nothing(db, lambda uow: services.withdraw_order(uow, ALPHA, seen), Conflict)
    current = OrderAction(order.ref, expected_version=stored(db, order.ref).version)
    assert run(db, lambda uow: services.withdraw_order(uow, ALPHA, current)).status == "withdrawn"


def test_the_reseller_who_placed_the_order_is_told_when_someone_else_ends_it(
    db: Database,
) -> None:
    with db.uow() as uow:
        link_telegram(uow, OPERATOR_ACTOR, "revendeur-alpha", 1001)
    notices = Notices()
    first = placed(db)
    run(db, sign(first.ref, notices))
    [told] = notices.sent
    assert (told.telegram_id, told.order.ref, told.order.status) == (1001, first.ref, "final")
    second = run(db, pack("SRV-2001", actor=BETA, new_contact=PINS))
    run(db, expire(second.ref, notifier=notices))
    assert notices.sent[-1].telegram_id is None  # Beta's reseller has no Telegram account
    assert notices.sent[-1].order.status == "expired"


def test_a_reseller_ending_its_own_order_is_not_told_twice(db: Database) -> None:
    notices = Notices()
    order = placed(db)
    run(db, withdraw(order.ref, ALPHA, notices))
    assert notices.sent == []


def test_orders_are_listed_newest_first_scoped_and_by_state(db: Database) -> None:
    alpha = placed(db)
    beta = run(db, pack("SRV-2001", actor=BETA, new_contact=PINS))
    run(db, withdraw(beta.ref, BETA))
    with db.uow() as uow:
        assert [o.ref for o in services.list_orders(uow, OPERATOR_ACTOR)] == [beta.ref, alpha.ref]
        assert [o.ref for o in services.list_orders(uow, ALPHA)] == [alpha.ref]
        assert [o.ref for o in services.list_orders(uow, BETA, "awaiting_signature")] == []
        [line] = [o.as_json() for o in services.list_orders(uow, HELPDESK, "withdrawn")]
    assert {k: v for k, v in line.items() if k != "placed_at"} == {
        "ref": beta.ref,
        "offer": "OFF-2001",
        "service": "SRV-2001",
        "client": "Hôtel des Pins",
        "state": "withdrawn",
        "placed_by": "revendeur-beta",
        "contact": PINS.email,
    }
    with pytest.raises(InvalidField), db.uow() as uow:
        services.list_orders(uow, OPERATOR_ACTOR, "validated")


def test_a_signature_and_a_withdrawal_at_once_end_the_order_once(db: Database) -> None:
    order = placed(db)
    won, lost = winner_and_loser(race(db, sign(order.ref), withdraw(order.ref)))
    assert isinstance(lost, OrderNotAwaitingSignature | Conflict)
    if db.engine.dialect.name == "sqlite":  # the second waited and read the first's result
        assert isinstance(lost, OrderNotAwaitingSignature)
    ended = [e.action for e in audit_entries(db) if e.action != "cancel_starter_pack"]
    assert len(ended) == 1
    if won.final:
        assert_garage_offer_is_gone(db)
    else:
        assert_garage_is_back_as_it_was(db)
    assert count(db, ProductSheet, ProductSheet.active.is_(True)) == (3 if won.final else 4)


def test_the_order_cancelling_a_service_is_found_from_the_service(db: Database) -> None:
    order = placed(db)
    with db.uow() as uow:
        assert services.pending_order_of(uow, ALPHA, "srv-1002").ref == order.ref  # type: ignore[union-attr]
        assert services.pending_order_of(uow, BETA, "SRV-1002") is None
        assert services.pending_order_of(uow, ALPHA, "SRV-1001") is None
    run(db, withdraw(order.ref))
    with db.uow() as uow:
        assert services.pending_order_of(uow, ALPHA, "SRV-1002") is None
