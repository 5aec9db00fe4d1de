"""Orders waiting for the client's signature, scoped like every look-up (read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from domain.access import Actor
from domain.model import Client, Offer, Order, OrderStatus, Service
from domain.persistence.uow import UnitOfWork


@dataclass(frozen=True)
class PendingOrder:
    ref: str
    service_ref: str
    client: str
    placed_by: str
    placed_at: datetime


def pending_orders(
    uow: UnitOfWork, actor: Actor, client_ref: str | None = None
) -> list[PendingOrder]:
    """Orders awaiting the client's signature among the clients the actor may see (or one)."""
    stmt = (
        select(Order, Service.ref, Client.name)
        .join(Order.offer)
        .join(Offer.service)
        .join(Service.client)
        .where(Order.status == OrderStatus.AWAITING_SIGNATURE)
        .order_by(Order.created_at, Order.id)
    )
    if not actor.sees_everything:
        stmt = stmt.where(Client.reseller_id == actor.reseller_id)
    if client_ref is not None:
        stmt = stmt.where(Client.account_ref == client_ref)
    return [
        PendingOrder(order.ref, service_ref, client, order.created_by, order.created_at)
        for order, service_ref, client in uow.session.execute(stmt).all()
    ]
