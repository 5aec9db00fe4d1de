"""From persistent objects to the read models the dialogs receive."""

from __future__ import annotations

from datetime import datetime

from domain.model import Client, Contact, Licence, Order, Service, Site, as_utc
from domain.views import (
    ClientView,
    ContactView,
    LicenceView,
    OrderView,
    QuoteLine,
    ServiceSummary,
    SiteView,
)


def site_view(site: Site) -> SiteView:
    return SiteView(site.id, site.name, site.street, site.postal_code, site.city, site.phone)


def contact_view(contact: Contact) -> ContactView:
    return ContactView(contact.id, contact.name, contact.email, contact.phone)


def licence_view(licence: Licence) -> LicenceView:
    return LicenceView(
        licence.id, licence.type, licence.state, licence.site.name, licence.sda, licence.version
    )


def service_summary(service: Service) -> ServiceSummary:
    return ServiceSummary(service.ref, service.name, service.state, service.client.name)


def client_view(client: Client) -> ClientView:
    return ClientView(
        id=client.id,
        name=client.name,
        account_ref=client.account_ref,
        reseller=client.reseller.name,
        sites=tuple(site_view(s) for s in client.sites),
        contacts=tuple(contact_view(c) for c in client.contacts),
        services=tuple(service_summary(s) for s in client.services),
    )


def _aware(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment is not None else None


def order_view(order: Order) -> OrderView:
    service = order.offer.service
    return OrderView(
        ref=order.ref,
        status=order.status,
        offer_ref=order.offer.ref,
        service_ref=service.ref,
        contact=contact_view(order.contact),
        lines=tuple(QuoteLine(line.kind, line.ref) for line in order.lines),
        notified_to=order.notified_to,
        client=service.client.name,
        service_state=service.state,
        placed_by=order.created_by,
        placed_at=_aware(order.created_at),
        request_channel=order.request_channel,
        request_sent_at=_aware(order.notified_at),
        request_attempts=order.request_attempts,
        request_error=order.request_error,
        ended_by=order.ended_by,
        ended_at=_aware(order.ended_at),
        end_reason=order.end_reason,
        version=order.version,
    )
