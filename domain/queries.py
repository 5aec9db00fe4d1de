"""Lookups scoped by what the actor may see: another reseller's object is simply not found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, event, func, select
from sqlalchemy.orm import Session, joinedload

from domain.access import Actor
from domain.errors import NotFound
from domain.model import Client, Licence, Number, Offer, Order, Service, Site
from domain.validation import name_key

_Row = TypeVar("_Row", bound=Any)
_SERVICES = "openip.services"  # session.info: services found in this transaction
# what a service's licence rules read (each licence's number: its SDA), in the same statement
_SERVICE_RULES = (joinedload(Service.licences).joinedload(Licence.number),)


def _scoped(stmt: Select[_Row], actor: Actor) -> Select[_Row]:
    """Only rows of the actor's own clients (the statement must join ``Client``)."""
    if actor.sees_everything:
        return stmt
    return stmt.where(Client.reseller_id == actor.reseller_id)


def get_client(session: Session, actor: Actor, ref: str) -> Client:
    """A client by account reference (``CA-1001``) or by name, case-insensitively."""
    key = " ".join(ref.split()).casefold()
    # Compared in Python: SQLite's lower() leaves non-ASCII capitals (É, Ô…) as they are.
    for client in session.scalars(_scoped(select(Client), actor).order_by(Client.id)):
        if key in (client.account_ref.casefold(), " ".join(client.name.split()).casefold()):
            return client
    raise NotFound("client", ref)


def get_service(session: Session, actor: Actor, ref: str) -> Service:
    """A service by reference (``SRV-1001``) among those the actor may see, its licences and
    their numbers loaded (what the licence rules read).

    Found once per transaction: asked again in the same transaction, the same object is given
    back without a query (the session's identity map holds it, changes included).
    """
    key = (ref.strip().upper(), None if actor.sees_everything else actor.reseller_id)
    found: dict[tuple[str, int | None], Service] = session.info.setdefault(_SERVICES, {})
    if key in found:
        return found[key]
    stmt = (
        select(Service)
        .join(Service.client)
        .where(func.upper(Service.ref) == key[0])
        .options(*_SERVICE_RULES)
    )
    services = session.scalars(_scoped(stmt, actor)).unique().all()  # every joined row read
    if not services:
        raise NotFound("service", ref)
    found[key] = services[0]
    return services[0]


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_services(session: Session, *_: object) -> None:
    """A service found in a transaction is not reused by the next one (or after a rollback)."""
    session.info.pop(_SERVICES, None)


def get_offer(session: Session, actor: Actor, service_ref: str) -> Offer:
    """The contracted offer of a service the actor may see."""
    offer = get_service(session, actor, service_ref).offer
    if offer is None:
        raise NotFound("offer", service_ref)
    return offer


def get_licences(session: Session, actor: Actor, ids: Sequence[str]) -> list[Licence]:
    """Licences by id, in the order asked, each once; an unknown or hidden id raises NotFound."""
    wanted = list(dict.fromkeys(i.strip().upper() for i in ids))
    stmt = select(Licence).join(Licence.service).join(Service.client).where(Licence.id.in_(wanted))
    stmt = _scoped(stmt, actor)
    found = {lic.id: lic for lic in session.scalars(stmt)}
    for licence_id in wanted:
        if licence_id not in found:
            raise NotFound("licence", licence_id)
    return [found[i] for i in wanted]


def get_number(session: Session, actor: Actor, e164: str) -> Number:
    """A number (SDA) by its E.164 form among those the actor may see."""
    stmt = (
        select(Number)
        .join(Number.offer)
        .join(Offer.service)
        .join(Service.client)
        .where(Number.e164 == e164)
    )
    stmt = _scoped(stmt, actor)
    number = session.scalars(stmt).first()
    if number is None:
        raise NotFound("number", e164)
    return number


def get_order(session: Session, actor: Actor, ref: str) -> Order:
    """An order by reference among those the actor may see."""
    stmt = (
        select(Order)
        .join(Order.offer)
        .join(Offer.service)
        .join(Service.client)
        .where(func.upper(Order.ref) == ref.strip().upper())
    )
    stmt = _scoped(stmt, actor)
    order = session.scalars(stmt).first()
    if order is None:
        raise NotFound("order", ref)
    return order


def find_site(client: Client, name: str) -> Site | None:
    """The client's site of that name, compared case-insensitively."""
    key = site_key(name)
    return next((s for s in client.sites if s.name_key == key), None)


def site_key(name: str) -> str:
    """The comparison key of a site name (case, spacing, hidden characters ignored)."""
    return name_key(name)
