"""« Vouliez-vous dire … ? »: when no intent is sure, the plausible ones offered as buttons (or a
near miss named); when a sentence fits several procedures, « lequel ? ».

The choice made is stored as a labelled example (table ``intent_examples``) for the operator to
review with ``openip-bot intent --review`` before adding it to the training data.
"""

from __future__ import annotations

from dialogs import named
from dialogs.actions import Clarify, Menu, Start
from dialogs.free_text import prefill, read
from dialogs.navigation import begin
from dialogs.render import Keyboard, render_menu
from dialogs.reply import Reply
from dialogs.talk import answer_intent
from dialogs.turn import Turn
from dialogs.understanding import Understanding
from domain.services.intent_examples import record_choice

OFFERED = frozenset(("data_question", "handoff", "order_followup"))  # besides the procedures
MAX_TEXT = 500


def _candidates(turn: Turn, result: Understanding) -> list[str]:
    return [i for i in result.suggestions if i in turn.procedures or i in OFFERED]


def offerable(turn: Turn, result: Understanding) -> bool:
    return bool(_candidates(turn, result))


def label(turn: Turn, intent: str) -> str:
    if intent in turn.procedures:
        return turn.say(f"{intent}.title")
    return turn.say(f"talk.intent.{intent}")


def unsure(turn: Turn, text: str, result: Understanding) -> list[Reply] | None:
    """Plausible intents offered as buttons, or a near miss named; else None."""
    if result.intent is not None:
        return None
    if offerable(turn, result):
        return [offer(turn, text, result)]
    if result.near_miss:
        lead = turn.say(f"talk.cannot.{result.near_miss}") + "\n" + turn.say("talk.can_do")
        return [render_menu(turn, "common.menu_after", lead=lead)]
    return None


def which_procedure(turn: Turn, result: Understanding) -> Reply:
    """A sentence that fits two procedures: those two offered (never a third), and « Menu »."""
    turn.conv.rotate_nonce()
    kb = Keyboard(turn)
    for procedure_id in result.offers():
        if procedure_id in turn.procedures:
            kb.row((turn.say(f"{procedure_id}.title"), Start(procedure_id)))
    kb.row((turn.say("common.buttons.menu"), Menu()))
    return kb.reply(turn.say("common.ask.which"))


def offer(turn: Turn, text: str, result: Understanding) -> Reply:
    """The question, one button per plausible intent, and « Autre chose »."""
    turn.conv.rotate_nonce()
    kb = Keyboard(turn)
    candidates = _candidates(turn, result)
    text, offered = text[:MAX_TEXT], tuple(candidates)
    for intent in candidates:
        kb.row((label(turn, intent), Clarify(text, offered, result.lang, intent)))
    kb.row((turn.say("talk.clarify.other"), Clarify(text, offered, result.lang, None)))
    quoted = (turn.say("talk.clarify.option", label=label(turn, i)) for i in candidates)
    options = turn.say("talk.clarify.or").join(quoted)
    return kb.reply(turn.say("talk.clarify.ask", options=options))


def chosen(turn: Turn, action: Clarify) -> list[Reply]:
    """Remember the choice, then do what was meant (or show the menu for « Autre chose »)."""
    text, intent = action.text, action.intent
    record_choice(
        turn.domain.session,
        handle=turn.user.handle,
        text=text,
        lang=action.lang or turn.lang,
        offered=list(action.offered),
        chosen=intent,
    )
    if not intent:
        return [render_menu(turn, "talk.clarify.menu")]
    result = read(turn, text)
    if intent in turn.procedures:
        answers = prefill(result)
        unresolved = named.resolve(turn, text, result, answers)  # found, or reported and asked
        return begin(turn, intent, result.mode or "", answers, unresolved)
    reply = answer_intent(turn, intent, text, result)
    return [reply if reply is not None else render_menu(turn)]
