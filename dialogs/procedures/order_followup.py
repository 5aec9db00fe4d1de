"""Suivre une commande de résiliation — after the fiche's « Notifier le client pour validation ».

The fiche stops where the order waits for the client's signature; the guide says so and what the
assistant does instead. Act mode: choose an order (the pending ones are listed, any reference may
be typed), see where it stands, then send its signature request again, withdraw it, or — the
operator — record the client's signature or give the final validation. The summary commits to
the order's version it showed: a change in between does nothing and shows the summary again (or
the order's new state when it has ended).
"""

from __future__ import annotations

import re
from typing import Any

from dialogs.order_notices import NOTICES
from dialogs.order_settings import order_settings
from dialogs.order_text import order_text, quote_params
from dialogs.questions.base import Choice, Invalid, Question
from dialogs.spec import Ask, Outcome, Procedure, Step
from dialogs.turn import Turn
from domain.commands import OrderAction
from domain.errors import NotFound
from domain.model import OrderStatus, Role
from domain.services import (
    list_orders,
    order_details,
    record_client_signature,
    resend_signature_request,
    validate_order,
    withdraw_order,
)
from domain.views import OrderView

P = "order_followup"
ORDER_REF = re.compile(r"\bCMD-[0-9A-F]{4,12}\b", re.IGNORECASE)
PERFORM = {
    "resend": resend_signature_request,
    "withdraw": withdraw_order,
    "sign": record_client_signature,
    "validate": validate_order,
}


def _order(turn: Turn) -> OrderView:
    ref = turn.answers["order"]
    return turn.domain.cached(f"order:{ref}", lambda: turn.domain.read(order_details, ref))


def _actions(turn: Turn, order: OrderView) -> list[str]:
    """What this user may do with the order now."""
    if not order.pending:
        return []
    actions = ["resend"] if order_settings().mail else []  # no e-mail claimed without SMTP
    actions.append("withdraw")
    if turn.user.role == Role.OPERATOR:
        actions += ["sign", "validate"]
    return actions


class OrderQuestion(Question):
    """An order: the pending ones as buttons, or any reference typed (ended ones too)."""

    prompt_key = f"{P}.ask.order"
    auto_single = False

    def _pending(self, turn: Turn) -> list[OrderView]:
        return turn.domain.cached(
            "pending", lambda: turn.domain.read(list_orders, OrderStatus.AWAITING_SIGNATURE)
        )

    def prompt(self, turn: Turn) -> str:
        pending = self._pending(turn)
        if not pending:
            return turn.say(f"{P}.ask.no_order")
        return turn.say(self.prompt_key, count=len(pending))

    def choices(self, turn: Turn) -> list[Choice]:
        return [
            Choice(
                o.ref,
                turn.say(f"{P}.order_choice", order=o.ref, client=o.client, service=o.service_ref),
            )
            for o in self._pending(turn)
        ]

    def parse(self, turn: Turn, text: str) -> Any:
        found = ORDER_REF.search(text)
        if found is None:
            return super().parse(turn, text)
        return found.group().upper()

    def check(self, turn: Turn, value: Any) -> Any:
        ref = str(value).strip().upper()
        try:
            return turn.domain.read(order_details, ref).ref
        except NotFound:
            raise Invalid(f"{P}.unknown_order", {"value": value}) from None


class ActionQuestion(Question):
    """Where the order stands, and what to do with it."""

    auto_single = False
    free_text = True

    def prompt(self, turn: Turn) -> str:
        order = _order(turn)
        text = order_text(turn.lang, order, order_settings().ttl_days)
        key = "action" if _actions(turn, order) else "ended"
        return turn.say(f"{P}.ask.{key}", order=text)

    def choices(self, turn: Turn) -> list[Choice]:
        return [Choice(a, turn.say(f"{P}.choice.{a}")) for a in _actions(turn, _order(turn))]

    def check(self, turn: Turn, value: Any) -> Any:
        order = _order(turn)
        if value not in _actions(turn, order):
            raise Invalid("common.invalid_choice")
        return value


def summary(turn: Turn) -> str:
    order = _order(turn)
    turn.frame.summary_version = order.version  # Confirmer commits to the order as shown
    return turn.say(f"{P}.summary_{turn.answers['action']}", **quote_params(order))


def perform(turn: Turn) -> Outcome:
    action = turn.answers["action"]
    cmd = OrderAction(turn.answers["order"], turn.frame.summary_version)
    if action == "resend":
        done = turn.domain.change(resend_signature_request, cmd)
    else:  # the reseller who placed it is told, unless they did it themselves
        done = turn.domain.change(PERFORM[action], cmd, NOTICES)
    return Outcome(turn.say(f"{P}.done_{action}", **quote_params(done)))


PROCEDURE = Procedure(
    id=P,
    menu=6,
    guide=(
        Step("intro"),
        Step("follow"),
        Step("resend"),
        Step("withdraw"),
        Step("validate"),  # texts per role: validate_reseller, validate_operator
    ),
    act=(
        Ask("order", OrderQuestion()),
        Ask("action", ActionQuestion()),
    ),
    summary=summary,
    perform=perform,
    on_error={"order_not_awaiting_signature": "a_action"},
)
