"""From persistent objects to the read models the dialogs receive."""

from __future__ import annotations

from domain.model import Client, Contact, Licence, Order, OrderStatus, Service, Site
from domain.rules import type_counts
from domain.views import (
    ClientView,
    ContactView,
    LicenceView,
    OrderView,
    QuoteLine,
    ServiceDetails,
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


def service_details(service: Service) -> ServiceDetails:
    offer = service.offer
    return ServiceDetails(
        ref=service.ref,
        name=service.name,
        client=service.client.name,
        client_ref=service.client.account_ref,
        state=service.state,
        site=service.site.name,
        sites=tuple(s.name for s in service.client.sites),
        counts=type_counts(service.licences),
        licences=tuple(licence_view(lic) for lic in service.licences),
        offer_ref=offer.ref if offer else None,
        products=tuple(p.name for p in offer.products if p.active) if offer else (),
        numbers=tuple(n.e164 for n in offer.numbers if n.state == "in_service") if offer else (),
    )


def order_view(order: Order) -> OrderView:
    return OrderView(
        ref=order.ref,
        status=order.status,
        offer_ref=order.offer.ref,
        service_ref=order.offer.service.ref,
        contact=contact_view(order.contact),
        lines=tuple(QuoteLine(line.kind, line.ref) for line in order.lines),
        notified_to=order.notified_to,
        final=order.status == OrderStatus.VALIDATED,
    )
