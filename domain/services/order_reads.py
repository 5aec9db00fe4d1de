"""Reading orders: one by reference, or a list, each scoped to what the actor may see."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from domain.access import Actor
from domain.errors import InvalidField
from domain.model import Client, Offer, Order, OrderStatus, Service
from domain.persistence.uow import UnitOfWork
from domain.queries import get_order
from domain.services import mapping
from domain.views import OrderView

STATES = tuple(s.value for s in OrderStatus)


def order_details(uow: UnitOfWork, actor: Actor, order_ref: str) -> OrderView:
    """An order by reference (``CMD-…``); another reseller's is not found, like a missing one."""
    return mapping.order_view(get_order(uow.session, actor, order_ref))


def list_orders(uow: UnitOfWork, actor: Actor, state: str | None = None) -> list[OrderView]:
    """The orders the actor may see, newest first, optionally in one state."""
    stmt = (
        select(Order)
        .join(Order.offer)
        .join(Offer.service)
        .join(Service.client)
        .options(selectinload(Order.lines), selectinload(Order.contact))
        .order_by(Order.created_at.desc(), Order.id.desc())
    )
    if state is not None:
        if state not in STATES:
            raise InvalidField("state", state, "unknown")
        stmt = stmt.where(Order.status == state)
    if not actor.sees_everything:
        stmt = stmt.where(Client.reseller_id == actor.reseller_id)
    return [mapping.order_view(order) for order in uow.session.scalars(stmt)]


def pending_order_of(uow: UnitOfWork, actor: Actor, service_ref: str) -> OrderView | None:
    """The order awaiting signature that is cancelling this service (« Résiliation en cours »),
    if the actor may see it."""
    stmt = (
        select(Order)
        .join(Order.offer)
        .join(Offer.service)
        .join(Service.client)
        .where(Service.ref == service_ref.strip().upper())
        .where(Order.status == OrderStatus.AWAITING_SIGNATURE)
    )
    if not actor.sees_everything:
        stmt = stmt.where(Client.reseller_id == actor.reseller_id)
    order = uow.session.scalars(stmt).first()
    return mapping.order_view(order) if order is not None else None
