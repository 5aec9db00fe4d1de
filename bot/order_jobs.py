"""The orders' periodic work: expire unsigned orders, e-mail the signature requests due.

``openip-bot orders expire`` runs the first once; ``openip-bot run`` runs both every
``OPENIP_BOT_ORDERS_INTERVAL`` seconds (10), off the event loop, in every instance (each expiry
and each e-mail is claimed, so instances never do the same one twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.database import Database
from bot.settings import Settings
from bot.signature_mail import SmtpServer, send_signature_requests
from dialogs.order_settings import OrderSettings, configure_orders
from domain.errors import Conflict, OrderNotAwaitingSignature, OrderNotDue
from domain.model import utcnow
from domain.services import due_for_expiry, expire_order
from domain.services.order_life import SYSTEM, OrderNotifier
from domain.views import OrderView

log = logging.getLogger("openip_bot.orders")


@dataclass(frozen=True)
class OrderRuntime:
    """What the orders need from the settings; making one configures the dialogs too."""

    ttl_days: int
    smtp: SmtpServer | None
    notifier: OrderNotifier | None
    interval: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings, notifier: OrderNotifier | None) -> OrderRuntime:
        url = settings.smtp_url.get_secret_value() if settings.smtp_url else ""
        smtp = SmtpServer.from_url(url, settings.mail_from) if url.strip() else None
        configure_orders(OrderSettings(mail=smtp is not None, ttl_days=settings.order_ttl_days))
        interval = max(settings.orders_interval, 0.5)
        return cls(settings.order_ttl_days, smtp, notifier, interval)


def expire_due(
    database: Database, runtime: OrderRuntime, now: datetime | None = None
) -> list[OrderView]:
    """Expire every order unsigned after the time allowed, each in its own transaction."""
    now = now or utcnow()
    with database.uow() as uow:
        refs = due_for_expiry(uow, now, runtime.ttl_days)
    expired = []
    for ref in refs:
        try:
            with database.uow() as uow:
                expired.append(
                    expire_order(uow, SYSTEM, ref, now, runtime.ttl_days, runtime.notifier)
                )
        except (OrderNotAwaitingSignature, OrderNotDue, Conflict):
            continue  # signed, withdrawn or expired by someone else meanwhile
    return expired


def order_cycle(database: Database, runtime: OrderRuntime) -> None:
    """One round of the periodic work (errors are logged: the next round tries again)."""
    try:
        for order in expire_due(database, runtime):
            log.info("order %s expired", order.ref)
        if runtime.smtp is not None:
            send_signature_requests(database.sessions, runtime.smtp, runtime.ttl_days)
    except Exception:
        log.exception("orders: periodic work failed; retried next round")


def attach_order_jobs(app: Any, database: Database, runtime: OrderRuntime) -> None:
    """Run :func:`order_cycle` every ``runtime.interval`` seconds while the application runs."""
    started: Callable[[Any], Any] | None = app.post_init
    stopping: Callable[[Any], Any] | None = app.post_stop
    tasks: list[asyncio.Task[None]] = []

    async def loop() -> None:
        while True:
            await asyncio.to_thread(order_cycle, database, runtime)
            await asyncio.sleep(runtime.interval)

    async def on_start(application: Any) -> None:
        tasks.append(asyncio.get_running_loop().create_task(loop()))
        if started is not None:
            await started(application)

    async def on_stop(application: Any) -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if stopping is not None:
            await stopping(application)

    app.post_init, app.post_stop = on_start, on_stop
