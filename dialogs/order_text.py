"""An order as text: where it stands, who did what, whether its signature request left.

Shared by the follow-up procedure, the look-up of a typed ``CMD-…``, the notices, the e-mail and
``openip-bot orders show``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from dialogs.texts import Lang, say
from domain.model import RequestChannel
from domain.phone import national_format
from domain.views import OrderView, QuoteLine

P = "order_followup"
MAX_MAIL_ATTEMPTS = 5  # the mailer stops retrying after this many failures
_DAYS = re.compile(r"unsigned_after_(\d+)_days")


def when(lang: Lang, moment: datetime | None, key: str = "date") -> str:
    """A date (``key`` ``date``: with the time) as people of that language write it."""
    return moment.strftime(say(lang, f"{P}.{key}")) if moment else "—"


def refs(lines: Iterable[QuoteLine], kind: str) -> list[str]:
    """The order's lines of one kind, numbers in their national form (a text writes the list
    with commas, « — » when empty, and its plural forms count it)."""
    return [national_format(q.ref) if kind == "number" else q.ref for q in lines if q.kind == kind]


def quote_params(order: OrderView) -> dict[str, object]:
    """What every order text may name."""
    return {
        "order": order.ref,
        "client": order.client,
        "service": order.service_ref,
        "offer": order.offer_ref,
        "contact": order.contact.name,
        "email": order.contact.email,
        "sheets": refs(order.lines, "product_sheet"),
        "numbers": refs(order.lines, "number"),
        "licences": refs(order.lines, "licence"),
        "state": order.service_state,
    }


def reason_text(lang: Lang, order: OrderView) -> str:
    """Why the order ended, in words."""
    reason = order.end_reason or ""
    days = _DAYS.fullmatch(reason)
    if days:
        return say(lang, f"{P}.order.reason_expired", days=days.group(1))
    if reason in ("client_signature", "final_validation", "withdrawn"):
        return say(lang, f"{P}.order.reason_{reason}")
    return reason or "—"


def expires_on(order: OrderView, ttl_days: int) -> datetime | None:
    return order.placed_at + timedelta(days=ttl_days) if order.placed_at else None


def order_text(lang: Lang, order: OrderView, ttl_days: int) -> str:
    """Everything about one order, a line each."""
    o = f"{P}.order"
    lines = [
        say(lang, f"{o}.header", **quote_params(order)),
        say(lang, f"{o}.placed", date=when(lang, order.placed_at), placed_by=order.placed_by),
        say(
            lang,
            f"{o}.state_{order.status}",
            reason=reason_text(lang, order),
            date=when(lang, order.ended_at),
            by=order.ended_by or "—",
            service_state=order.service_state,
        ),
        say(lang, f"{o}.contact", name=order.contact.name, email=order.contact.email),
    ]
    if order.pending:
        lines.append(request_text(lang, order))
        lines.append(say(lang, f"{o}.expires", day=when(lang, expires_on(order, ttl_days), "day")))
    lines.append(say(lang, f"{o}.lines", **quote_params(order)))
    return "\n".join(lines)


def request_text(lang: Lang, order: OrderView) -> str:
    """Whether the signature request left, truthfully."""
    o = f"{P}.order"
    email = order.notified_to or order.contact.email
    if order.request_channel != RequestChannel.EMAIL:
        return say(lang, f"{o}.request_portal")
    if order.request_sent_at is not None:
        return say(lang, f"{o}.request_sent", email=email, date=when(lang, order.request_sent_at))
    if order.request_attempts == 0:
        return say(lang, f"{o}.request_queued", email=email)
    key = "request_failed" if order.request_attempts >= MAX_MAIL_ATTEMPTS else "request_retrying"
    return say(
        lang,
        f"{o}.{key}",
        email=email,
        attempts=order.request_attempts,
        error=order.request_error or "—",
    )


def order_line(lang: Lang, order: OrderView) -> str:
    """One order on one line, for lists."""
    return say(
        lang,
        f"{P}.order.list_line",
        order=order.ref,
        client=order.client,
        service=order.service_ref,
        state=say(lang, f"{P}.order.state_label_{order.status}"),
        date=when(lang, order.placed_at, "day"),
    )


def notice_text(lang: Lang, order: OrderView) -> str:
    """What the reseller who placed an order is told when it ends."""
    return say(
        lang,
        f"{P}.notice.{order.status}",
        **quote_params(order),
        reason=reason_text(lang, order),
        by=order.ended_by or "—",
    )
