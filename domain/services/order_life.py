"""An order's life after it is placed: awaiting_signature → final | withdrawn | expired.

Each transition is one transaction with its audit entry, refused (``OrderNotAwaitingSignature``)
once the order has ended. The reseller who placed the order is told through ``notifier`` in the
same transaction, unless they made the change themselves (their reply says it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.commands import OrderAction
from domain.errors import Conflict, OrderNotAwaitingSignature, OrderNotDue
from domain.model import (
    BotUser,
    LicenceState,
    NumberState,
    Order,
    OrderStatus,
    RequestChannel,
    Role,
    ServiceState,
    as_utc,
    utcnow,
)
from domain.persistence.uow import UnitOfWork
from domain.queries import get_order
from domain.services import mapping
from domain.services.audit import record
from domain.views import OrderNotice, OrderView

SYSTEM = Actor("openip-bot", Role.OPERATOR)  # who expires orders
DEFAULT_TTL_DAYS = 30


class OrderNotifier(Protocol):
    """Tells the reseller who placed an order that it ended (written in the caller's session)."""

    def order_ended(self, session: Session, notice: OrderNotice) -> None: ...


def record_client_signature(
    uow: UnitOfWork, actor: Actor, order: str | OrderAction, notifier: OrderNotifier | None = None
) -> OrderView:
    """The end client signed the quote (operator, or the e-signature callback): it is final."""
    actor.require_operator("record_client_signature")
    return _end(uow, actor, order, "record_client_signature", OrderStatus.FINAL, notifier)


def validate_order(
    uow: UnitOfWork, actor: Actor, order: str | OrderAction, notifier: OrderNotifier | None = None
) -> OrderView:
    """The operator's « Validation finale de la commande » of an order awaiting signature."""
    actor.require_operator("validate_order")
    return _end(uow, actor, order, "validate_order", OrderStatus.FINAL, notifier)


def withdraw_order(
    uow: UnitOfWork, actor: Actor, order: str | OrderAction, notifier: OrderNotifier | None = None
) -> OrderView:
    """Withdraw an unsigned order: the service is « Actif » again, nothing else changes."""
    actor.require_change("withdraw_order")
    return _end(uow, actor, order, "withdraw_order", OrderStatus.WITHDRAWN, notifier)


def expire_order(
    uow: UnitOfWork,
    actor: Actor,
    order_ref: str,
    now: datetime,
    ttl_days: int = DEFAULT_TTL_DAYS,
    notifier: OrderNotifier | None = None,
) -> OrderView:
    """An order unsigned after ``ttl_days`` expires: as withdrawn, with its reason."""
    actor.require_operator("expire_order")
    found = get_order(uow.session, actor, order_ref)
    expires_at = as_utc(found.created_at) + timedelta(days=ttl_days)
    if found.status == OrderStatus.AWAITING_SIGNATURE and now < expires_at:
        raise OrderNotDue(found.ref, expires_at.isoformat(timespec="minutes"))
    reason = f"unsigned_after_{ttl_days}_days"
    return _end(uow, actor, found.ref, "expire_order", OrderStatus.EXPIRED, notifier, reason)


def due_for_expiry(uow: UnitOfWork, now: datetime, ttl_days: int = DEFAULT_TTL_DAYS) -> list[str]:
    """References of the orders still unsigned ``ttl_days`` after they were placed."""
    cutoff = now - timedelta(days=ttl_days)
    stmt = select(Order.ref).where(
        Order.status == OrderStatus.AWAITING_SIGNATURE, Order.created_at <= cutoff
    )
    return list(uow.session.scalars(stmt.order_by(Order.id)))


def resend_signature_request(uow: UnitOfWork, actor: Actor, order: str | OrderAction) -> OrderView:
    """Queue the signature request again: the assistant e-mails it to the order's contact."""
    actor.require_change("resend_signature_request")
    found = _pending(uow, actor, order)
    before = {"request_sent_at": found.notified_at.isoformat() if found.notified_at else None}
    found.request_channel = RequestChannel.EMAIL
    found.notified_to = found.contact.email
    found.notified_at = None
    found.request_attempts = 0
    found.request_next_at = None
    found.request_error = None
    uow.flush()
    record(
        uow.session,
        actor,
        "resend_signature_request",
        client_id=found.offer.service.client_id,
        objects=[found.ref],
        before=before,
        after={"request_to": found.notified_to},
    )
    view = mapping.order_view(found)
    uow.commit()
    return view


def finalise(order: Order, actor: Actor, reason: str) -> None:
    """Make the order final: service « Résilié », licences cancelled, numbers released."""
    service = order.offer.service
    for product in order.offer.products:
        product.active = False
    for number in order.offer.numbers:
        number.licence = None
        number.state = NumberState.RELEASED
    for licence in service.licences:
        licence.state = LicenceState.CANCELLED
    service.state = ServiceState.CANCELLED
    order.validated_by = actor.handle
    order.validated_at = utcnow()
    _close(order, OrderStatus.FINAL, actor, reason)


def _pending(uow: UnitOfWork, actor: Actor, order: str | OrderAction) -> Order:
    action = OrderAction(order) if isinstance(order, str) else order
    found = get_order(uow.session, actor, action.order_ref)
    if found.status != OrderStatus.AWAITING_SIGNATURE:
        raise OrderNotAwaitingSignature(found.ref, found.status)
    if action.expected_version is not None and found.version != action.expected_version:
        raise Conflict((found.ref,))
    return found


def _close(order: Order, status: OrderStatus, actor: Actor, reason: str) -> None:
    order.status = status
    order.ended_by = actor.handle
    order.ended_at = utcnow()
    order.end_reason = reason


REASONS = {
    "record_client_signature": "client_signature",
    "validate_order": "final_validation",
    "withdraw_order": "withdrawn",
}


def _end(
    uow: UnitOfWork,
    actor: Actor,
    order: str | OrderAction,
    action: str,
    status: OrderStatus,
    notifier: OrderNotifier | None,
    reason: str = "",
) -> OrderView:
    found = _pending(uow, actor, order)
    service = found.offer.service
    before = {"order": str(found.status), "service": str(service.state)}
    reason = reason or REASONS[action]
    if status == OrderStatus.FINAL:
        finalise(found, actor, reason)
    else:  # withdrawn or expired: the service is active again, nothing else changes
        service.state = ServiceState.ACTIVE
        _close(found, status, actor, reason)
    uow.flush()
    record(
        uow.session,
        actor,
        action,
        client_id=service.client_id,
        objects=[found.ref, service.ref],
        before=before,
        after={"order": str(found.status), "service": str(service.state), "reason": reason},
    )
    view = mapping.order_view(found)
    if notifier is not None and found.created_by != actor.handle:
        notifier.order_ended(uow.session, OrderNotice(view, _telegram_id(uow.session, found)))
    uow.commit()
    return view


def _telegram_id(session: Session, order: Order) -> int | None:
    stmt = select(BotUser.telegram_id).where(
        BotUser.handle == order.created_by, BotUser.active.is_(True)
    )
    return session.scalars(stmt).first()
