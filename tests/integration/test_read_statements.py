"""Reads load what they show at once: a service is looked up once per transaction, and neither
its details nor a list of clients loads anything lazily (statements counted, not timed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from bot.database import Database
from domain import services
from domain.access import Actor
from domain.commands import CancelLicences
from domain.errors import NotFound
from domain.model import Client, Service
from domain.persistence.uow import UnitOfWork
from domain.rules import type_counts
from domain.services import mapping
from domain.views import ServiceDetails
from tests.conftest import ALPHA, BETA, OPERATOR_ACTOR


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append(" ".join(sql.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_a_service_read_several_times_in_a_transaction_is_looked_up_once(db: Database) -> None:
    cmd = CancelLicences("SRV-1001", "full", 1)
    with UnitOfWork(db.sessions) as uow, statements(db) as seen:
        first = services.preview_cancellation(uow, ALPHA, cmd)
        again = services.preview_cancellation(uow, ALPHA, cmd.__class__("srv-1001 ", "full", 1))
    assert first == again
    assert len([s for s in seen if "upper(services.ref)" in s]) == 1


def test_a_services_details_are_loaded_in_a_fixed_number_of_statements(db: Database) -> None:
    with UnitOfWork(db.sessions) as uow, statements(db) as seen:
        shown = services.service_details(uow, OPERATOR_ACTOR, "SRV-1001")
    assert shown.licences
    assert shown.sites
    assert shown.products
    # the service with its client, site and offer; its licences with their sites and numbers;
    # the client's site names, the offer's products and numbers
    assert len(seen) == 3, seen


def test_another_resellers_service_has_no_details(db: Database) -> None:
    with pytest.raises(NotFound), UnitOfWork(db.sessions) as uow:
        services.service_details(uow, BETA, "SRV-1001")


@pytest.mark.parametrize("actor", [OPERATOR_ACTOR, ALPHA], ids=["operator", "reseller"])
def test_details_read_from_rows_are_what_the_domain_objects_say(
    db: Database, actor: Actor
) -> None:
    with UnitOfWork(db.sessions) as uow:
        for service in uow.session.scalars(select(Service).order_by(Service.id)):
            if actor.reseller_id not in (None, service.client.reseller_id):
                continue
            offer = service.offer
            assert services.service_details(uow, actor, service.ref) == ServiceDetails(
                ref=service.ref, name=service.name, client=service.client.name,
                client_ref=service.client.account_ref, state=service.state,
                site=service.site.name, sites=tuple(s.name for s in service.client.sites),
                counts=type_counts(service.licences),
                licences=tuple(mapping.licence_view(lic) for lic in service.licences),
                offer_ref=offer.ref if offer else None,
                products=tuple(p.name for p in offer.products if p.active) if offer else (),
                numbers=tuple(n.e164 for n in offer.numbers if n.state == "in_service")
                if offer else (),
            )


@pytest.mark.parametrize("actor", [OPERATOR_ACTOR, ALPHA], ids=["operator", "reseller"])
def test_clients_read_from_rows_are_what_the_domain_objects_say(
    db: Database, actor: Actor
) -> None:
    with UnitOfWork(db.sessions) as uow:
        clients = uow.session.scalars(select(Client).order_by(Client.name)).all()
        expected = [mapping.client_view(c) for c in clients
                    if actor.reseller_id in (None, c.reseller_id)]
        assert services.list_clients(uow, actor) == expected


def test_a_list_of_clients_is_loaded_in_a_fixed_number_of_statements(db: Database) -> None:
    with UnitOfWork(db.sessions) as uow, statements(db) as seen:
        clients = services.list_clients(uow, OPERATOR_ACTOR)
    assert len(clients) > 2
    assert all(c.services and c.sites for c in clients)
    # the clients with their resellers, then their sites, contacts and services
    assert len(seen) == 4, seen
