"""Helpers shared by the domain tests: in-memory objects, database snapshots, racing sessions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

import dialogs.records  # noqa: F401  (registers the dialog layer's tables)
import domain.persistence.records  # noqa: F401  (registers the domain's bookkeeping tables)
from domain import services
from domain.access import Actor
from domain.commands import (
    AddSite,
    CancelLicences,
    CancelStarterPack,
    ChangeLicenceSite,
    DissociateNumber,
)
from domain.errors import Conflict, DomainError
from domain.model import AuditEntry, Base, Contact, Licence, LicenceState, Number
from domain.persistence.uow import UnitOfWork
from domain.validation import ContactFields, SiteFields
from domain.views import ServiceDetails
from tests.conftest import ALPHA, OPERATOR_ACTOR

if TYPE_CHECKING:
    from bot.database import Database
    from bot.replay import ChatSession

WAIT_SECONDS = 5.0
Call = Callable[[UnitOfWork], Any]


def make_licence(
    licence_id: str,
    licence_type: str = "full",
    sda: str | None = None,
    *,
    state: LicenceState = LicenceState.ACTIVE,
    service_id: int = 1,
) -> Licence:
    """A licence in memory, with its number (SDA) attached when ``sda`` is given."""
    licence = Licence(id=licence_id, type=licence_type, state=state, service_id=service_id)
    if sda is not None:
        licence.number = Number(e164=sda)
    return licence


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by primary key: equal snapshots mean nothing changed."""
    with db.engine.connect() as conn:
        return {
            table.name: [
                tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))
            ]
            for table in Base.metadata.sorted_tables
        }


def audit_entries(db: Database, action: str | None = None) -> list[AuditEntry]:
    """The audit entries written so far, oldest first, optionally of one action."""
    with db.sessions() as session:
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            stmt = stmt.where(AuditEntry.action == action)
        return list(session.scalars(stmt))


def count(db: Database, entity: type[Base], *where: Any) -> int:
    """How many rows of ``entity`` match ``where``."""
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(entity).where(*where)) or 0


def contact_id(session: Session, email: str) -> int:
    """The id of the contact with that e-mail address."""
    return session.scalars(select(Contact.id).where(Contact.email == email)).one()


NICE = SiteFields("Agence Nice", "2 promenade des Anglais", "06000", "Nice", "04 93 00 00 02")


def cancel(
    licence_type: str | None = "full",
    quantity: object = None,
    ids: tuple[str, ...] = (),
    service_ref: str = "SRV-1001",
) -> Call:
    """Alpha's reseller cancels licences of a service (by type and quantity, or by id)."""
    cmd = CancelLicences(service_ref, licence_type, quantity, ids)
    return lambda uow: services.cancel_licences(uow, ALPHA, cmd)


def move(ids: tuple[str, ...], site: str, service_ref: str = "SRV-1001") -> Call:
    """Alpha's reseller moves licences of a service to a site."""
    cmd = ChangeLicenceSite(service_ref, ids, site)
    return lambda uow: services.change_licence_site(uow, ALPHA, cmd)


def add_site(client_ref: str = "CA-1001", **fields: Any) -> Call:
    """Alpha's reseller adds a site: Agence Nice unless ``fields`` say otherwise."""
    cmd = AddSite(client_ref, SiteFields(**{**vars(NICE), **fields}))
    return lambda uow: services.add_site(uow, ALPHA, cmd)


def dissociate(number: str | None = None, licence_id: str | None = None) -> Call:
    """Alpha's reseller dissociates a number, named by itself or by its licence."""
    cmd = DissociateNumber(number, licence_id)
    return lambda uow: services.dissociate_number(uow, ALPHA, cmd)


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def run(db: Database, call: Call) -> Any:
    """Run one service in its own unit of work."""
    with db.uow() as uow:
        return call(uow)


def details(db: Database, service_ref: str = "SRV-1001") -> ServiceDetails:
    """A service as the operator sees it now."""
    with db.uow() as uow:
        return services.service_details(uow, OPERATOR_ACTOR, service_ref)


def pack(
    service_ref: str,
    email: str | None = None,
    *,
    actor: Actor = ALPHA,
    new_contact: ContactFields | None = None,
) -> Call:
    """Cancel a whole Starter Pack offer, with the existing contact of that e-mail or a new one."""

    def call(uow: UnitOfWork) -> Any:
        known = contact_id(uow.session, email) if email else None
        cmd = CancelStarterPack(service_ref, known, new_contact)
        return services.cancel_starter_pack(uow, actor, cmd)

    return call


def raises_and_changes_nothing(db: Database, call: Call, error: type[DomainError]) -> DomainError:
    """Run ``call`` in a unit of work; it must raise ``error`` and leave the database as it was."""
    before = snapshot(db)
    with pytest.raises(error) as caught, db.uow() as uow:
        call(uow)
    assert snapshot(db) == before
    return caught.value


class FailingCommitUnitOfWork(UnitOfWork):
    """A unit of work whose commit sends everything to the database, then fails like a conflict.

    ``flushed_audit_entries`` counts the audit entries visible inside the transaction just before
    the failure, so a test sees that the change and its audit entry travel together.
    """

    flushed_audit_entries = 0

    def commit(self) -> None:
        self.session.flush()
        self.flushed_audit_entries = self.session.scalar(select(func.count(AuditEntry.id))) or 0
        self.rollback()
        raise Conflict(("simulated",))


class Gate:
    """Where a racing unit of work stops just before its first write, until the test opens it."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.opened = threading.Event()

    def pass_through(self, *_: object) -> None:
        self.reached.set()
        if not self.opened.wait(WAIT_SECONDS):
            raise RuntimeError("the gate was never opened")


class GatedUnitOfWork(UnitOfWork):
    """A real unit of work that waits at its gate before its first flush."""

    def __init__(self, factory: sessionmaker[Session], gate: Gate) -> None:
        super().__init__(factory)
        self._gate = gate

    def __enter__(self) -> Self:
        super().__enter__()
        event.listen(self.session, "before_flush", self._gate.pass_through, once=True)
        return self


@dataclass
class Outcome:
    result: Any = None
    error: BaseException | None = None


def race(db: Database, first: Call, second: Call) -> tuple[Outcome, Outcome]:
    """Run two services in two real concurrent sessions; ``first`` starts first.

    On PostgreSQL both read everything they need before either writes (both wait at their gate),
    then both are let go together. On SQLite ``BEGIN IMMEDIATE`` makes the second wait for the
    first to finish before it reads anything, so the second sees the first's commit.
    """
    gates = (Gate(), Gate())
    outcomes = (Outcome(), Outcome())

    def run(index: int, call: Call) -> None:
        try:
            with GatedUnitOfWork(db.sessions, gates[index]) as uow:
                outcomes[index].result = call(uow)
        except BaseException as exc:  # reported to the test through the outcome
            outcomes[index].error = exc
        finally:
            gates[index].reached.set()

    threads = [
        threading.Thread(target=run, args=(i, call), daemon=True)
        for i, call in enumerate((first, second))
    ]
    threads[0].start()
    assert gates[0].reached.wait(WAIT_SECONDS)
    threads[1].start()
    if db.engine.dialect.name != "sqlite":
        assert gates[1].reached.wait(WAIT_SECONDS)
    for gate in gates:
        gate.opened.set()
    for thread in threads:
        thread.join(WAIT_SECONDS * 2)
        assert not thread.is_alive()
    return outcomes


def winner_and_loser(outcomes: tuple[Outcome, Outcome]) -> tuple[Any, DomainError]:
    """Exactly one outcome succeeded and the other failed with a domain error: return both."""
    failed = [o for o in outcomes if o.error is not None]
    succeeded = [o for o in outcomes if o.error is None]
    assert len(succeeded) == 1, [o.error for o in failed]
    assert len(failed) == 1
    error = failed[0].error
    assert isinstance(error, DomainError), repr(error)
    return succeeded[0].result, error


def chat(db: Database, handle: str = "revendeur-alpha", chat_key: str = "t:1") -> ChatSession:
    """A conversation with the engine on ``db`` as the bot user ``handle``."""
    from bot.replay import ChatSession
    from dialogs.accounts import user_context
    from dialogs.engine import DialogEngine

    return ChatSession(DialogEngine(db.sessions), chat_key, user_context(db.sessions, handle, None))
