"""Lookups scoped by what the actor may see: another reseller's object is simply not found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from domain.access import Actor
from domain.errors import NotFound
from domain.model import Client, Licence, Number, Offer, Order, Service, Site

_Row = TypeVar("_Row", bound=Any)


def _scoped(stmt: Select[_Row], actor: Actor) -> Select[_Row]:
    """Only rows of the actor's own clients (the statement must join ``Client``)."""
    if actor.sees_everything:
        return stmt
    return stmt.where(Client.reseller_id == actor.reseller_id)


def visible_clients(session: Session, actor: Actor) -> Sequence[Client]:
    """Every client the actor may see, by name."""
    stmt = _scoped(select(Client), actor).order_by(Client.name)
    return session.scalars(stmt.options(selectinload(Client.sites))).all()


def get_client(session: Session, actor: Actor, ref: str) -> Client:
    """A client by account reference (``CA-1001``) or by name, case-insensitively."""
    key = " ".join(ref.split()).casefold()
    # Compared in Python: SQLite's lower() leaves non-ASCII capitals (É, Ô…) as they are.
    for client in session.scalars(_scoped(select(Client), actor).order_by(Client.id)):
        if key in (client.account_ref.casefold(), " ".join(client.name.split()).casefold()):
            return client
    raise NotFound("client", ref)


def get_service(session: Session, actor: Actor, ref: str) -> Service:
    """A service by reference (``SRV-1001``) among those the actor may see."""
    stmt = (
        select(Service)
        .join(Service.client)
        .where(func.upper(Service.ref) == ref.strip().upper())
        .options(selectinload(Service.licences).selectinload(Licence.number))
    )
    stmt = _scoped(stmt, actor)
    service = session.scalars(stmt).first()
    if service is None:
        raise NotFound("service", ref)
    return service


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
    """The comparison key of a site name: case-folded, inner spaces collapsed."""
    return " ".join(name.split()).casefold()
