"""Lookups scoped by what the actor may see: another reseller's object is simply not found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, event, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from domain.access import Actor
from domain.errors import NotFound
from domain.model import Client, Licence, Number, Offer, Order, Service, Site
from domain.validation import name_key

_Row = TypeVar("_Row", bound=Any)
_SERVICES = "openip.services"  # session.info: services found in this transaction
# what a service's licence rules read (each licence's number: its SDA)
_SERVICE_RULES = (selectinload(Service.licences).selectinload(Licence.number),)
# what its details read besides: client and sites, offer, products, numbers
_SERVICE_DETAILS = (
    joinedload(Service.client).selectinload(Client.sites),
    joinedload(Service.offer).selectinload(Offer.products),
    joinedload(Service.offer).selectinload(Offer.numbers),
)


def _scoped(stmt: Select[_Row], actor: Actor) -> Select[_Row]:
    """Only rows of the actor's own clients (the statement must join ``Client``)."""
    if actor.sees_everything:
        return stmt
    return stmt.where(Client.reseller_id == actor.reseller_id)


def visible_clients(session: Session, actor: Actor) -> Sequence[Client]:
    """Every client the actor may see, by name, with what their view shows loaded at once."""
    stmt = _scoped(select(Client), actor).order_by(Client.name)
    return session.scalars(
        stmt.options(
            joinedload(Client.reseller),
            selectinload(Client.sites),
            selectinload(Client.contacts),
            selectinload(Client.services),
        )
    ).all()


def get_client(session: Session, actor: Actor, ref: str) -> Client:
    """A client by account reference (``CA-1001``) or by name, case-insensitively."""
    key = " ".join(ref.split()).casefold()
    # Compared in Python: SQLite's lower() leaves non-ASCII capitals (É, Ô…) as they are.
    for client in session.scalars(_scoped(select(Client), actor).order_by(Client.id)):
        if key in (client.account_ref.casefold(), " ".join(client.name.split()).casefold()):
            return client
    raise NotFound("client", ref)


def get_service(session: Session, actor: Actor, ref: str, *, details: bool = False) -> Service:
    """A service by reference (``SRV-1001``) among those the actor may see, its licences and
    their numbers loaded (and, with ``details``, all that its Détails tab shows).

    Found once per transaction: asked again in the same transaction, the same object is given
    back without a query (the session's identity map holds it, changes included).
    """
    key = (ref.strip().upper(), None if actor.sees_everything else actor.reseller_id)
    found: dict[tuple[str, int | None], tuple[Service, bool]] = session.info.setdefault(
        _SERVICES, {}
    )
    if key in found:
        service, with_details = found[key]
        if details and not with_details:  # what the details add, loaded onto the same object
            session.scalars(
                select(Service).where(Service.id == service.id).options(*_SERVICE_DETAILS)
            ).one()
            found[key] = (service, True)
        return service
    stmt = (
        select(Service)
        .join(Service.client)
        .where(func.upper(Service.ref) == key[0])
        .options(*_SERVICE_RULES, *(_SERVICE_DETAILS if details else ()))
    )
    service_found = session.scalars(_scoped(stmt, actor)).first()
    if service_found is None:
        raise NotFound("service", ref)
    found[key] = (service_found, details)
    return service_found


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
