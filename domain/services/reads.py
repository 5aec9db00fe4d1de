"""Read-only look-ups, open to every role within what it may see."""

from __future__ import annotations

from collections.abc import Sequence

from domain import read_rows
from domain.access import Actor
from domain.errors import InvalidPhoneNumber, NotFound
from domain.persistence.uow import UnitOfWork
from domain.phone import to_e164
from domain.queries import get_client, get_licences, get_number
from domain.services import mapping
from domain.views import ClientView, ServiceDetails, ServiceSummary


def list_clients(uow: UnitOfWork, actor: Actor) -> list[ClientView]:
    """The clients the actor may see, with their sites, contacts and services."""
    return read_rows.client_views(uow.session, actor)


def client_details(uow: UnitOfWork, actor: Actor, client_ref: str) -> ClientView:
    """One client by account reference or name."""
    return mapping.client_view(get_client(uow.session, actor, client_ref))


def services_of(uow: UnitOfWork, actor: Actor, client_ref: str) -> list[ServiceSummary]:
    """The services of one client."""
    client = get_client(uow.session, actor, client_ref)
    return [mapping.service_summary(s) for s in client.services]


def service_details(uow: UnitOfWork, actor: Actor, service_ref: str) -> ServiceDetails:
    """A service as the Détails and Utilisateurs tabs show it."""
    return read_rows.service_details(uow.session, actor, service_ref)


def locate(
    uow: UnitOfWork, actor: Actor, licence_ids: Sequence[str] = (), numbers: Sequence[str] = ()
) -> tuple[str, str] | None:
    """The (client account, service) holding all these licences and numbers, if there is one.

    Unknown or hidden ones, or ones spread over several services, locate nothing.
    """
    try:
        services = {lic.service for lic in get_licences(uow.session, actor, licence_ids)}
        services |= {get_number(uow.session, actor, to_e164(n)).offer.service for n in numbers}
    except (NotFound, InvalidPhoneNumber):
        return None
    if len(services) != 1:
        return None
    service = services.pop()
    return service.client.account_ref, service.ref
