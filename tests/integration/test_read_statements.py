"""Reads load what they show at once: a service is looked up once per transaction, and neither
its details nor a list of clients loads anything lazily (statements counted, not timed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from bot.database import Database
from domain import services
from domain.commands import CancelLicences
from domain.persistence.uow import UnitOfWork
from tests.conftest import ALPHA, OPERATOR_ACTOR


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
        again = services.preview_cancellation(uow, ALPHA, cmd)
        shown = services.service_details(uow, ALPHA, "srv-1001")
    assert first == again
    assert shown.ref == "SRV-1001"
    assert len([s for s in seen if "upper(services.ref)" in s]) == 1


def test_a_services_details_are_loaded_in_a_fixed_number_of_statements(db: Database) -> None:
    with UnitOfWork(db.sessions) as uow, statements(db) as seen:
        shown = services.service_details(uow, OPERATOR_ACTOR, "SRV-1001")
    assert shown.licences
    assert shown.sites
    assert shown.products
    # the service with its client and offer, then licences, their numbers, the client's sites,
    # the offer's products and its numbers
    assert len(seen) == 6, seen


def test_a_list_of_clients_is_loaded_in_a_fixed_number_of_statements(db: Database) -> None:
    with UnitOfWork(db.sessions) as uow, statements(db) as seen:
        clients = services.list_clients(uow, OPERATOR_ACTOR)
    assert len(clients) > 2
    assert all(c.services and c.sites for c in clients)
    # the clients with their resellers, then their sites, contacts and services
    assert len(seen) == 4, seen
