"""Read-only look-ups, open to every role within what it may see."""

from __future__ import annotations

from domain.access import Actor
from domain.persistence.uow import UnitOfWork
from domain.queries import get_client, get_service, visible_clients
from domain.services import mapping
from domain.views import ClientView, ServiceDetails, ServiceSummary


def list_clients(uow: UnitOfWork, actor: Actor) -> list[ClientView]:
    """The clients the actor may see, with their sites, contacts and services."""
    return [mapping.client_view(c) for c in visible_clients(uow.session, actor)]


def client_details(uow: UnitOfWork, actor: Actor, client_ref: str) -> ClientView:
    """One client by account reference or name."""
    return mapping.client_view(get_client(uow.session, actor, client_ref))


def services_of(uow: UnitOfWork, actor: Actor, client_ref: str) -> list[ServiceSummary]:
    """The services of one client."""
    client = get_client(uow.session, actor, client_ref)
    return [mapping.service_summary(s) for s in client.services]


def service_details(uow: UnitOfWork, actor: Actor, service_ref: str) -> ServiceDetails:
    """A service as the Détails and Utilisateurs tabs show it."""
    return mapping.service_details(get_service(uow.session, actor, service_ref))
