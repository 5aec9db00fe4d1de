"""Rule 7: who sees and changes what, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.database import Database
from domain import services
from domain.access import Actor
from domain.commands import (
    AddSite,
    CancelLicences,
    CancelStarterPack,
    ChangeLicenceSite,
    DissociateNumber,
)
from domain.errors import DomainError, Forbidden, NotFound
from domain.queries import get_order
from domain.validation import ContactFields
from tests.conftest import ALPHA, BETA, HELPDESK, OPERATOR_ACTOR
from tests.helpers import NICE, Call, audit_entries, raises_and_changes_nothing, run

PINS_CONTACT = ContactFields("Direction", "direction@hotel-des-pins.example", "04 93 00 00 09")
Make = Callable[[Actor, str], Call]


def cancel_in_service(actor: Actor, ref: str) -> Call:
    cmd = CancelLicences(ref, "full", 1)
    return lambda uow: services.cancel_licences(uow, actor, cmd)


def cancel_named(actor: Actor, ref: str) -> Call:
    cmd = CancelLicences("SRV-1001", None, None, (ref,))
    return lambda uow: services.cancel_licences(uow, actor, cmd)


def sign(actor: Actor, ref: str) -> Call:
    return lambda uow: services.record_client_signature(uow, actor, ref)


def move_licence(actor: Actor, ref: str) -> Call:
    cmd = ChangeLicenceSite("SRV-1001", (ref,), "Agence Aix")
    return lambda uow: services.change_licence_site(uow, actor, cmd)


def dissociate(by_licence: bool) -> Make:
    def make(actor: Actor, ref: str) -> Call:
        cmd = DissociateNumber(licence_id=ref) if by_licence else DissociateNumber(number=ref)
        return lambda uow: services.dissociate_number(uow, actor, cmd)

    return make


def read(service: Callable[..., object]) -> Make:
    return lambda actor, ref: lambda uow: service(uow, actor, ref)


def add_site(actor: Actor, ref: str) -> Call:
    return lambda uow: services.add_site(uow, actor, AddSite(ref, NICE))


def order_pack(actor: Actor, ref: str) -> Call:
    cmd = CancelStarterPack(ref, new_contact=PINS_CONTACT)
    return lambda uow: services.cancel_starter_pack(uow, actor, cmd)


QUOTE = services.preview_starter_pack_cancellation
LOOKUPS = [
    pytest.param(read(services.service_details), "service", "SRV-2001", "SRV-9999", id="service"),
    pytest.param(read(services.client_details), "client", "CA-2001", "CA-9999", id="client-ref"),
    pytest.param(read(services.services_of), "client", "hôtel des pins", "hôtel", id="name"),
    pytest.param(add_site, "client", "CA-2001", "CA-9999", id="add-site"),
    pytest.param(cancel_in_service, "service", "SRV-2001", "SRV-9999", id="cancel-in-service"),
    pytest.param(
        read(services.preview_starter_pack_cancellation),
        "service",
        "SRV-2001",
        "SRV-9999",
        id="quote",
    ),
    pytest.param(order_pack, "service", "SRV-2001", "SRV-9999", id="starter-pack-order"),
    pytest.param(cancel_named, "licence", "FPC367301", "FPC399999", id="cancel"),
    pytest.param(move_licence, "licence", "FPC367302", "FPC399999", id="move-licence"),
    pytest.param(dissociate(True), "licence", "FPC367302", "FPC399999", id="licence-number"),
    pytest.param(dissociate(False), "number", "+33493000001", "+33493999999", id="number"),
]


def assert_same_answer(foreign: DomainError, missing: DomainError, kind: str) -> None:
    assert type(foreign) is type(missing) is NotFound
    assert isinstance(foreign, NotFound)
    assert isinstance(missing, NotFound)
    assert foreign.kind == missing.kind == kind
    assert vars(foreign) == {"kind": kind, "ref": foreign.ref}
    assert vars(missing) == {"kind": kind, "ref": missing.ref}
    assert str(foreign).replace(foreign.ref, "?") == str(missing).replace(missing.ref, "?")
    assert (foreign.args, missing.args) == ((kind, foreign.ref), (kind, missing.ref))
    assert type(foreign.__context__) is type(missing.__context__)


@pytest.mark.parametrize(("make", "kind", "foreign", "missing"), LOOKUPS)
def test_another_resellers_object_is_answered_exactly_as_a_missing_one(
    db: Database, make: Make, kind: str, foreign: str, missing: str
) -> None:
    hidden = raises_and_changes_nothing(db, make(ALPHA, foreign), NotFound)
    absent = raises_and_changes_nothing(db, make(ALPHA, missing), NotFound)
    assert_same_answer(hidden, absent, kind)
    try:  # the hidden object does exist: the operator reaches it
        run(db, make(OPERATOR_ACTOR, foreign))
    except NotFound:
        pytest.fail(f"{foreign} should exist")
    except DomainError:
        pass


def test_another_resellers_order_is_answered_exactly_as_a_missing_one(db: Database) -> None:
    order = run(db, order_pack(BETA, "SRV-2001"))
    with db.sessions() as session:
        for actor in (BETA, HELPDESK, OPERATOR_ACTOR):
            assert get_order(session, actor, order.ref).ref == order.ref
        with pytest.raises(NotFound) as hidden:
            get_order(session, ALPHA, order.ref)
        with pytest.raises(NotFound) as absent:
            get_order(session, ALPHA, "CMD-00000000")
    assert_same_answer(hidden.value, absent.value, "order")


def test_a_reseller_lists_only_its_own_clients(db: Database) -> None:
    def names(actor: Actor) -> list[str]:
        return [c.name for c in run(db, lambda uow: services.list_clients(uow, actor))]

    assert names(ALPHA) == ["Cabinet Azur", "Garage du Port"]
    assert names(BETA) == ["Hôtel des Pins"]
    assert (
        names(HELPDESK)
        == names(OPERATOR_ACTOR)
        == [
            "Cabinet Azur",
            "Garage du Port",
            "Hôtel des Pins",
        ]
    )


def test_a_reseller_changes_its_own_clients(db: Database) -> None:
    run(db, add_site(BETA, "Hôtel des Pins"))
    run(db, cancel_in_service(BETA, "SRV-2001"))
    run(db, dissociate(False)(BETA, "04 93 00 00 01"))
    assert [(e.actor, e.action) for e in audit_entries(db)] == [
        ("revendeur-beta", "add_site"),
        ("revendeur-beta", "cancel_licences"),
        ("revendeur-beta", "dissociate_number"),
    ]


@pytest.mark.parametrize("service_ref", ["SRV-1001", "SRV-1002", "SRV-2001"])
def test_the_helpdesk_reads_every_resellers_services(db: Database, service_ref: str) -> None:
    seen = run(db, lambda uow: services.service_details(uow, HELPDESK, service_ref))
    assert seen.ref == service_ref
    client = run(db, lambda uow: services.client_details(uow, HELPDESK, seen.client_ref))
    assert client.services[0].ref == service_ref
    preview = ChangeLicenceSite(service_ref, (seen.licences[0].id,), seen.sites[0])
    assert run(db, lambda uow: services.preview_site_change(uow, HELPDESK, preview)).site


CHANGES = [
    pytest.param("cancel_licences", cancel_in_service, "SRV-2001", id="cancel"),
    pytest.param("cancel_licences", cancel_in_service, "SRV-9999", id="cancel-unknown-service"),
    pytest.param("change_licence_site", move_licence, "FPC367105", id="move"),
    pytest.param("add_site", add_site, "CA-2001", id="add-site"),
    pytest.param("dissociate_number", dissociate(False), "+33491000001", id="dissociate"),
    pytest.param("cancel_starter_pack", order_pack, "SRV-2001", id="starter-pack"),
    pytest.param("record_client_signature", sign, "CMD-00000000", id="signature"),
]


@pytest.mark.parametrize(("action", "make", "ref"), CHANGES)
def test_the_helpdesk_is_forbidden_every_change(
    db: Database, action: str, make: Make, ref: str
) -> None:
    error = raises_and_changes_nothing(db, make(HELPDESK, ref), Forbidden)
    assert vars(error) == {"action": action, "role": "helpdesk"}


@pytest.mark.parametrize("actor", [ALPHA, BETA, HELPDESK])
def test_only_the_operator_records_a_client_signature(db: Database, actor: Actor) -> None:
    order = run(db, order_pack(BETA, "SRV-2001"))
    error = raises_and_changes_nothing(db, sign(actor, order.ref), Forbidden)
    assert vars(error) == {"action": "record_client_signature", "role": actor.role.value}
    assert run(db, sign(OPERATOR_ACTOR, order.ref)).final


def test_the_operator_changes_every_resellers_clients(db: Database) -> None:
    run(db, cancel_in_service(OPERATOR_ACTOR, "SRV-2001"))
    run(db, add_site(OPERATOR_ACTOR, "CA-2001"))
    run(db, move_licence(OPERATOR_ACTOR, "FPC367105"))
    run(db, dissociate(False)(OPERATOR_ACTOR, "+33493000001"))
    assert run(db, order_pack(OPERATOR_ACTOR, "SRV-2001")).final
    assert {(e.actor, e.client_id is not None) for e in audit_entries(db)} == {("operateur", True)}
    assert len(audit_entries(db)) == 5
