"""Typed text that is not a command nor an answer: understand it, never guess silently."""

from __future__ import annotations

import re
from typing import Any

from dialogs import flow, named, talk
from dialogs.order_lookup import order_lookup
from dialogs.questions.base import Invalid
from dialogs.questions.common import SERVICE_REF
from dialogs.render import Keyboard, render_menu
from dialogs.reply import Reply
from dialogs.turn import Turn
from dialogs.understanding import Understanding, understand
from domain.errors import InvalidField
from domain.validation import whole_quantity

_SERVICE_REF = SERVICE_REF
REFERENCE = re.compile(r"\b(?:SRV-\d+|FPC\s*\d+)\b", re.IGNORECASE)  # a look-up's subject

# slots of the first sentence -> answers of act mode
SLOT_ANSWERS = {
    "client": "client",
    "site": "site",
    "quantity": "quantity",
    "licence_type": "licence_type",
    "licence_ids": "licences",
    "numbers": "number",
    "new_site": "name",
    "street": "street",
    "postal_code": "postal_code",
    "city": "city",
}


def read(turn: Turn, text: str) -> Understanding:
    """Understand a message with the names this user may see; follow its language."""
    result = _understand(turn, text)
    turn.conv.lang = result.lang
    return result


def _understand(turn: Turn, text: str) -> Understanding:
    clients: list[str] = []
    sites: list[str] = []
    if turn.user.actor is not None:
        for client in turn.clients():
            clients.append(client.name)
            sites.extend(s.name for s in client.sites)
    return understand(text, clients=clients, sites=sites, fallback_lang=turn.conv.lang)


def prefill(result: Understanding) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    slots: dict[str, Any] = result.slots.as_dict()
    for slot, value in slots.items():
        if slot in SLOT_ANSWERS and value not in (None, (), []):
            if slot == "numbers":
                value = next(iter(value))
            elif slot == "licence_ids":
                value = list(value)
            answers[SLOT_ANSWERS[slot]] = value
    ids: list[str] = list(slots.get("licence_ids") or ())
    if "number" not in answers and len(ids) == 1:
        answers["number"] = ids[0]  # "dissocie la SDA de FPC367124": the number by its licence
    return answers


def on_free_text(turn: Turn, text: str, invalid: Invalid | None = None) -> list[Reply]:
    from dialogs.dispatch import begin

    result = read(turn, text)
    if turn.conv.frame is not None:
        return _during_procedure(turn, text, result, invalid)
    ordered = order_lookup(turn, text)  # « où en est la commande CMD-… ? »
    if ordered is not None:
        return ordered
    if result.question:
        return [_why_answer(turn, result)]
    if result.ambiguous and result.alternatives:
        return [_which_one(turn, result)]
    if result.procedure in turn.procedures:
        answers = prefill(result)
        named.resolve(turn, text, result, answers)  # found, or reported and asked
        return begin(turn, result.procedure, result.mode or "", answers)
    answered = talk.answer(turn, text, result)  # greetings, thanks, a person, one's data
    if answered is not None:
        return answered
    looked_up = look_up(turn, text, result)
    if looked_up is not None:
        return [looked_up]
    return talk.unsure(turn, text, result) or [render_menu(turn, "common.not_understood")]


def look_up(turn: Turn, text: str, result: Understanding) -> Reply | None:
    """A service named by its reference, or by one of its licences: shown read-only."""
    shown = _service_shown(turn, text, result)
    if shown is None:
        return None
    if turn.user.actor is None:
        return render_menu(turn, "common.not_linked")
    return render_menu(turn, "common.menu_after", lead=shown)


def _service_shown(turn: Turn, text: str, result: Understanding) -> str | None:
    """The text of the service a message names (by reference or licence id), or why not."""
    from dialogs.lookup import service_text
    from domain.errors import NotFound
    from domain.services import locate, service_details

    refs = _SERVICE_REF.findall(text)
    ids = list(result.slots.licence_ids)
    if not refs and not ids:
        return None
    if turn.user.actor is None:
        return turn.say("common.not_linked")
    if not refs:
        found = turn.read(locate, ids, [])
        refs = [found[1]] if found else []
    try:
        details = turn.read(service_details, refs[0] if refs else ids[0])
    except NotFound as missing:
        return turn.say("errors.not_found", ref=missing.ref)
    return service_text(turn.lang, details)


def digression(turn: Turn, text: str, *, look_ups: bool) -> list[Reply] | None:
    """A question about the portal, a request for a person (or, with ``look_ups``, a service or
    licence reference) typed in the middle of a procedure: answered, then the same question
    again, every answer kept — even where its words would also read as an answer."""
    result = _understand(turn, text)  # the language follows only an answered digression
    if result.question:
        turn.conv.lang = result.lang
        return [flow.show(turn, prefix=turn.say(f"answers.{result.question}") + "\n\n")]
    if result.intent == "handoff":  # « parler à un humain » is no quantity of one
        return talk.interruption(turn, text, result)
    # a sentence that asks for another procedure is not a look-up: it may switch procedure
    asks_procedure = result.procedure in turn.procedures
    shown = _service_shown(turn, text, result) if look_ups and not asks_procedure else None
    if shown is not None:
        return [flow.show(turn, prefix=shown + "\n\n")]
    return None


def _during_procedure(
    turn: Turn, text: str, result: Understanding, invalid: Invalid | None
) -> list[Reply]:
    from dialogs.dispatch import begin

    aside = digression(turn, text, look_ups=True)
    if aside is not None:
        return aside
    current = turn.frame.procedure
    interrupted = talk.interruption(turn, text, result)  # answered, then the question again
    if interrupted is not None:
        return interrupted
    if (
        result.procedure in turn.procedures
        and result.procedure != current
        and not result.ambiguous
        and not _corrects(turn, result)
    ):
        return begin(turn, result.procedure, result.mode or "", prefill(result))
    corrections = {k: v for k, v in prefill(result).items() if _is_asked(turn, k)}
    if "quantity" in corrections:
        try:
            whole_quantity(text)
        except InvalidField:
            note = (
                turn.say(invalid.key, **invalid.params)  # the question's own reason
                if invalid
                else turn.say("common.quantity_whole", value=text.strip())
            )
            return [flow.show(turn, prefix=note + "\n\n")]
    if corrections and turn.frame.mode == "act":
        return [_correct(turn, corrections)]
    reason = turn.say(invalid.key, **invalid.params) if invalid else turn.say("common.use_buttons")
    return [flow.show(turn, prefix=reason + "\n\n")]


def _is_asked(turn: Turn, key: str) -> bool:
    return any(a.name == key for a in turn.procedure.act)


def _corrects(turn: Turn, result: Understanding) -> bool:
    """A sentence like "non, 3 licences" corrects an answer rather than starting anew."""
    return (
        turn.frame.mode == "act"
        and result.confidence < 0.9
        and any(_is_asked(turn, k) and k in turn.answers for k in prefill(result))
    )


def _correct(turn: Turn, corrections: dict[str, Any]) -> Reply:
    """Replace answers, then resume from the first question that needs asking again."""
    order = [a.name for a in turn.procedure.act]
    first = min(order.index(k) for k in corrections)
    turn.answers.update(corrections)
    for name in order[first + 1 :]:
        if name not in corrections and name in turn.answers.get("_auto", []):
            turn.answers.pop(name, None)
    while True:
        ask = turn.procedure.ask(turn.frame.state)
        if ask is not None and order.index(ask.name) <= first:
            break
        if not flow.fire(turn, "back"):
            break
    notes = flow.advance(turn)
    prefix = turn.say("common.corrected") + ("\n" + notes if notes else "") + "\n\n"
    return flow.show(turn, prefix=prefix)


def _why_answer(turn: Turn, result: Understanding) -> Reply:
    turn.conv.rotate_nonce()
    kb = Keyboard(turn)
    if result.procedure:
        label = turn.say(
            "common.buttons.open_procedure", procedure=turn.say(f"{result.procedure}.title")
        )
        kb.row((label, {"k": "start", "p": result.procedure}))
    kb.row((turn.say("common.buttons.menu"), {"k": "menu"}))
    return kb.reply(turn.say(f"answers.{result.question}"))


def _which_one(turn: Turn, result: Understanding) -> Reply:
    turn.conv.rotate_nonce()
    kb = Keyboard(turn)
    candidates = [result.procedure] if result.procedure else []
    candidates += [p for p, _ in result.alternatives if p not in candidates]
    for procedure_id in candidates[:3]:
        if procedure_id:
            kb.row((turn.say(f"{procedure_id}.title"), {"k": "start", "p": procedure_id}))
    kb.row((turn.say("common.buttons.menu"), {"k": "menu"}))
    return kb.reply(turn.say("common.ask.which"))
