"""A typed order reference (``CMD-…``) leads to that order, like ``SRV-…`` leads to a service.

Who may act gets the follow-up on that order (its state, then what can be done); the helpdesk
reads it; another reseller's order is not found, like a missing one.
"""

from __future__ import annotations

from dialogs.navigation import begin
from dialogs.order_settings import order_settings
from dialogs.order_text import order_text
from dialogs.procedures.order_followup import ORDER_REF
from dialogs.render import render_menu
from dialogs.reply import Reply
from dialogs.turn import Turn
from domain.errors import NotFound
from domain.services import order_details


def order_lookup(turn: Turn, text: str) -> list[Reply] | None:
    """The replies to a message naming an order, or None when it names none."""
    found = ORDER_REF.search(text)
    if found is None:
        return None
    ref = found.group().upper()
    if turn.user.actor is None:
        return [render_menu(turn, "common.not_linked")]
    if turn.user.may_act:
        return begin(turn, "order_followup", "act", {"order": ref})
    try:
        order = turn.domain.read(order_details, ref)
    except NotFound as missing:
        return [render_menu(turn, "errors.not_found", ref=missing.ref)]
    lead = order_text(turn.lang, order, order_settings().ttl_days)
    return [render_menu(turn, "common.menu_after", lead=lead)]
