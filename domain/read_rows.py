"""Read models straight from rows (SQLAlchemy Core): what a service's details or a list of clients
shows, in a fixed number of statements built once, without loading ORM objects.

They read the database as the session's transaction sees it; changes are flushed before (a
domain change runs in a savepoint that is released first). Scoped like :mod:`domain.queries`:
another reseller's service is simply not found.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, bindparam, func, literal, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from domain.access import Actor
from domain.errors import NotFound
from domain.model import (
    Client,
    Contact,
    Licence,
    Number,
    NumberState,
    Offer,
    ProductSheet,
    Reseller,
    Service,
    Site,
)
from domain.rules import type_counts
from domain.views import (
    ClientView,
    ContactView,
    LicenceView,
    ServiceDetails,
    ServiceSummary,
    SiteView,
)


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


_S, _C, _SITE, _O = _table(Service), _table(Client), _table(Site), _table(Offer)
_L, _N, _P, _R, _CT = (
    _table(Licence), _table(Number), _table(ProductSheet), _table(Reseller), _table(Contact))


_SERVICE = (
    select(_S.c.id, _S.c.ref, _S.c.name, _S.c.state, _C.c.id.label("client_id"),
           _C.c.name.label("client"), _C.c.account_ref, _SITE.c.name.label("site"),
           _O.c.id.label("offer_id"), _O.c.ref.label("offer_ref"))
    .select_from(_S.join(_C, _S.c.client_id == _C.c.id)
                 .join(_SITE, _S.c.site_id == _SITE.c.id)
                 .outerjoin(_O, _O.c.service_id == _S.c.id))
    .where(func.upper(_S.c.ref) == bindparam("ref"))
)
_SERVICE_SCOPED = _SERVICE.where(_C.c.reseller_id == bindparam("reseller"))
_LICENCES = (
    select(_L.c.id, _L.c.type, _L.c.state, _L.c.version, _SITE.c.name.label("site"),
           _N.c.e164)
    .select_from(_L.join(_SITE, _L.c.site_id == _SITE.c.id)
                 .outerjoin(_N, _N.c.licence_id == _L.c.id))
    .where(_L.c.service_id == bindparam("service"))
    .order_by(_L.c.id)
)
# the client's site names, the offer's active product sheets and its numbers in service
_NAMES = union_all(
    select(literal("site").label("kind"), _SITE.c.name, _SITE.c.id.label("position"))
    .where(_SITE.c.client_id == bindparam("client")),
    select(literal("product"), _P.c.name, _P.c.id)
    .where(_P.c.offer_id == bindparam("offer"), _P.c.active.is_(True)),
    select(literal("number"), _N.c.e164, literal(0))
    .where(_N.c.offer_id == bindparam("offer"), _N.c.state == NumberState.IN_SERVICE.value),
)


def service_details(session: Session, actor: Actor, ref: str) -> ServiceDetails:
    """A service as its Détails and Utilisateurs tabs show it (three statements)."""
    connection = session.connection()
    params: dict[str, Any] = {"ref": ref.strip().upper()}
    if not actor.sees_everything:
        params["reseller"] = actor.reseller_id
    statement = _SERVICE if actor.sees_everything else _SERVICE_SCOPED
    service = connection.execute(statement, params).first()
    if service is None:
        raise NotFound("service", ref)
    licences = tuple(
        LicenceView(row.id, row.type, row.state, row.site, row.e164, row.version)
        for row in connection.execute(_LICENCES, {"service": service.id})
    )
    names: dict[str, list[tuple[Any, str]]] = {"site": [], "product": [], "number": []}
    for kind, name, position in connection.execute(
        _NAMES, {"client": service.client_id, "offer": service.offer_id}
    ):
        names[kind].append((position if kind != "number" else name, name))
    sites, products, numbers = (
        tuple(name for _, name in sorted(names[kind])) for kind in ("site", "product", "number"))
    return ServiceDetails(
        ref=service.ref,
        name=service.name,
        client=service.client,
        client_ref=service.account_ref,
        state=service.state,
        site=service.site,
        sites=sites,
        counts=type_counts(licences),
        licences=licences,
        offer_ref=service.offer_ref,
        products=products if service.offer_id is not None else (),
        numbers=numbers if service.offer_id is not None else (),
    )


_CLIENTS = (
    select(_C.c.id, _C.c.name, _C.c.account_ref, _R.c.name.label("reseller"))
    .select_from(_C.join(_R, _C.c.reseller_id == _R.c.id))
    .order_by(_C.c.name)
)
_CLIENTS_SCOPED = _CLIENTS.where(_C.c.reseller_id == bindparam("reseller"))
_IDS: BindParameter[int] = bindparam("ids", expanding=True)
_CLIENT_SITES = (
    select(_SITE.c.client_id, _SITE.c.id, _SITE.c.name, _SITE.c.street, _SITE.c.postal_code,
           _SITE.c.city, _SITE.c.phone)
    .where(_SITE.c.client_id.in_(_IDS)).order_by(_SITE.c.id)
)
_CLIENT_CONTACTS = (
    select(_CT.c.client_id, _CT.c.id, _CT.c.name, _CT.c.email, _CT.c.phone)
    .where(_CT.c.client_id.in_(_IDS)).order_by(_CT.c.id)
)
_CLIENT_SERVICES = (
    select(_S.c.client_id, _S.c.ref, _S.c.name, _S.c.state)
    .where(_S.c.client_id.in_(_IDS)).order_by(_S.c.id)
)


def client_views(session: Session, actor: Actor) -> list[ClientView]:
    """Every client the actor may see, by name, with sites, contacts and services (four
    statements, however many clients)."""
    connection = session.connection()
    params = {} if actor.sees_everything else {"reseller": actor.reseller_id}
    clients = connection.execute(
        _CLIENTS if actor.sees_everything else _CLIENTS_SCOPED, params).all()
    ids = {"ids": [c.id for c in clients]}
    sites: dict[int, list[SiteView]] = {c.id: [] for c in clients}
    contacts: dict[int, list[ContactView]] = {c.id: [] for c in clients}
    services: dict[int, list[tuple[str, str, str]]] = {c.id: [] for c in clients}
    if clients:
        for site in connection.execute(_CLIENT_SITES, ids):
            sites[site.client_id].append(SiteView(
                site.id, site.name, site.street, site.postal_code, site.city, site.phone))
        for contact in connection.execute(_CLIENT_CONTACTS, ids):
            contacts[contact.client_id].append(
                ContactView(contact.id, contact.name, contact.email, contact.phone))
        for service in connection.execute(_CLIENT_SERVICES, ids):
            services[service.client_id].append((service.ref, service.name, service.state))
    return [
        ClientView(
            id=c.id, name=c.name, account_ref=c.account_ref, reseller=c.reseller,
            sites=tuple(sites[c.id]), contacts=tuple(contacts[c.id]),
            services=tuple(ServiceSummary(ref, name, state, c.name)
                           for ref, name, state in services[c.id]),
        )
        for c in clients
    ]
