"""Cancelling a whole Starter Pack offer through an order (rule 3)."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from domain.access import Actor
from domain.commands import CancelStarterPack
from domain.errors import InvalidField, NotFound, OrderNotAwaitingSignature, ServiceNotActive
from domain.model import (
    Contact,
    LicenceState,
    NumberState,
    Offer,
    Order,
    OrderLine,
    OrderStatus,
    Role,
    Service,
    ServiceState,
    utcnow,
)
from domain.persistence.uow import UnitOfWork
from domain.queries import get_order, get_service
from domain.rules import check_only_starter_pack
from domain.services import mapping
from domain.services.audit import record
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
        lines=[OrderLine(kind=q.kind, ref=q.ref) for q in _quote_lines(service, offer)],
    )
    uow.session.add(order)
    service.state = ServiceState.CANCELLATION_PENDING
    if actor.role == Role.OPERATOR:
        _finalise(order, actor)
    else:
        order.notified_to = contact.email
        order.notified_at = utcnow()
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
            "notified_to": order.notified_to,
        },
    )
    view = mapping.order_view(order)
    uow.commit()
    return view


def record_client_signature(uow: UnitOfWork, actor: Actor, order_ref: str) -> OrderView:
    """The end client signed the quote: the operator records it and the order becomes final."""
    actor.require_operator("record_client_signature")
    order = get_order(uow.session, actor, order_ref)
    if order.status != OrderStatus.AWAITING_SIGNATURE:
        raise OrderNotAwaitingSignature(order.ref, order.status)
    _finalise(order, actor)
    record(
        uow.session,
        actor,
        "record_client_signature",
        client_id=order.offer.service.client_id,
        objects=[order.ref, order.offer.service.ref],
        before={"order": OrderStatus.AWAITING_SIGNATURE.value},
        after={"order": order.status.value, "service": order.offer.service.state.value},
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
    lines += [QuoteLine("number", n.e164) for n in offer.numbers if n.state == "in_service"]
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


def _finalise(order: Order, actor: Actor) -> None:
    service = order.offer.service
    for product in order.offer.products:
        product.active = False
    for number in order.offer.numbers:
        number.licence = None
        number.state = NumberState.RELEASED
    for licence in service.licences:
        licence.state = LicenceState.CANCELLED
    service.state = ServiceState.CANCELLED
    order.status = OrderStatus.VALIDATED
    order.validated_by = actor.handle
    order.validated_at = utcnow()
