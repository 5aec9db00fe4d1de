"""Cancelling a whole Starter Pack offer through an order (rule 3)."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from domain.access import Actor
from domain.commands import CancelStarterPack
from domain.errors import InvalidField, NotFound, ServiceNotActive
from domain.model import (
    Contact,
    NumberState,
    Offer,
    Order,
    OrderLine,
    OrderStatus,
    RequestChannel,
    Role,
    Service,
    ServiceState,
)
from domain.persistence.uow import UnitOfWork
from domain.queries import get_service
from domain.rules import check_only_starter_pack
from domain.services import mapping
from domain.services.audit import record
from domain.services.order_life import finalise
from domain.validation import clean_contact
from domain.views import OrderView, QuoteLine, QuotePreview


def preview_starter_pack_cancellation(
    uow: UnitOfWork, actor: Actor, service_ref: str
) -> QuotePreview:
    """The quote summary of cancelling the whole offer, or why it cannot be done this way."""
    service, offer = _cancellable_offer(uow.session, actor, service_ref)
    return QuotePreview(
        service_ref=service.ref,
        offer_ref=offer.ref,
        client=service.client.name,
        lines=tuple(_quote_lines(service, offer)),
        contacts=tuple(mapping.contact_view(c) for c in service.client.contacts),
    )


def cancel_starter_pack(uow: UnitOfWork, actor: Actor, cmd: CancelStarterPack) -> OrderView:
    """Place the order; a reseller's waits for the client's signature, an operator's is final."""
    actor.require_change("cancel_starter_pack")
    service, offer = _cancellable_offer(uow.session, actor, cmd.service_ref)
    contact = _contact(service, cmd)
    order = Order(
        ref=f"CMD-{secrets.token_hex(4).upper()}",
        offer=offer,
        contact=contact,
        status=OrderStatus.AWAITING_SIGNATURE,
        created_by=actor.handle,
        request_channel=RequestChannel.PORTAL,
        request_attempts=0,
        lines=[OrderLine(kind=q.kind, ref=q.ref) for q in _quote_lines(service, offer)],
    )
    uow.session.add(order)
    service.state = ServiceState.CANCELLATION_PENDING
    if actor.role == Role.OPERATOR:
        finalise(order, actor, "final_validation")
    else:
        order.notified_to = contact.email  # sent by e-mail after the commit, or from MyOpenIP
        if cmd.request_by_email:
            order.request_channel = RequestChannel.EMAIL
    uow.flush()
    record(
        uow.session,
        actor,
        "cancel_starter_pack",
        client_id=service.client_id,
        objects=[service.ref, offer.ref, order.ref],
        before={"service": ServiceState.ACTIVE.value},
        after={
            "service": service.state.value,
            "order": order.status.value,
            "request_to": order.notified_to,
            "request_channel": str(order.request_channel),
        },
    )
    view = mapping.order_view(order)
    uow.commit()
    return view


def _cancellable_offer(session: Session, actor: Actor, service_ref: str) -> tuple[Service, Offer]:
    service = get_service(session, actor, service_ref)
    if service.state != ServiceState.ACTIVE:
        raise ServiceNotActive(service.ref, service.state)
    if service.offer is None:
        raise NotFound("offer", service.ref)
    check_only_starter_pack(service.offer)
    return service, service.offer


def _quote_lines(service: Service, offer: Offer) -> list[QuoteLine]:
    lines = [QuoteLine("product_sheet", p.name) for p in offer.products if p.active]
    lines += [
        QuoteLine("number", n.e164) for n in offer.numbers if n.state == NumberState.IN_SERVICE
    ]
    lines += [QuoteLine("licence", lic.id) for lic in service.licences if lic.is_active]
    return lines


def _contact(service: Service, cmd: CancelStarterPack) -> Contact:
    if cmd.new_contact is not None:
        fields = clean_contact(cmd.new_contact)
        contact = Contact(name=fields.name, email=fields.email, phone=fields.phone)
        service.client.contacts.append(contact)
        return contact
    if cmd.contact_id is None:
        raise InvalidField("contact", "", "empty")
    for contact in service.client.contacts:
        if contact.id == cmd.contact_id:
            return contact
    raise NotFound("contact", str(cmd.contact_id))
