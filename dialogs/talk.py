"""Conversation beyond the procedures: greetings, thanks, a person, one's data.

:func:`answer` is the free-text path's hook (what the recogniser is sure of; what it is unsure of
is offered by :mod:`dialogs.clarify`); :func:`interruption` answers the same things during a
procedure and asks its question again.
"""

from __future__ import annotations

from dialogs import data_questions, flow, handoff
from dialogs.render import render_menu
from dialogs.reply import Reply
from dialogs.turn import Turn
from dialogs.understanding import Understanding
from dialogs.understanding.chat import small_talk
from dialogs.understanding.normalise import tokens

INTERRUPTIONS = frozenset(("greeting", "thanks", "handoff", "data_question"))
SURE = 0.8


def answer_intent(turn: Turn, intent: str, text: str, result: Understanding) -> Reply | None:
    """The reply to a conversational intent (or to following an order, while no procedure does
    it: the pending orders are shown)."""
    if intent in ("greeting", "thanks"):
        return render_menu(turn, f"talk.{intent}")
    if intent == "handoff":
        return handoff.offer(turn, text)
    if intent == "data_question":
        return data_questions.answer(turn, text, result)
    if intent == "order_followup" and intent not in turn.procedures:
        return data_questions.answer(turn, "commandes", result)
    return None


def _sure(text: str, result: Understanding) -> bool:
    """Greetings and thanks are taken when the sentence is only that (or the model is sure):
    « 1234 » or a bare name is not a greeting."""
    if result.intent not in ("greeting", "thanks"):
        return True
    return small_talk(tuple(tokens(text))) == result.intent or result.confidence >= SURE


def answer(turn: Turn, text: str, result: Understanding) -> list[Reply] | None:
    """A conversational intent the recogniser is sure of, answered; else None."""
    if result.intent is None or result.ambiguous or not _sure(text, result):
        return None
    reply = answer_intent(turn, result.intent, text, result)
    return [reply] if reply is not None else None


def interruption(turn: Turn, text: str, result: Understanding) -> list[Reply] | None:
    """During a procedure: thanks, hello, a person or a data question answered, then the
    question under way asked again (its answers kept)."""
    if result.ambiguous or result.intent not in INTERRUPTIONS or not _sure(text, result):
        return None
    if result.intent == "data_question" and not data_questions.asks(text):
        return None  # « Cabinet Azur » typed as an answer is not a question
    if result.intent in ("greeting", "thanks"):
        return [flow.show(turn, prefix=turn.say(f"talk.{result.intent}_short") + "\n\n")]
    reply = answer_intent(turn, str(result.intent), text, result)
    return [reply] if reply is not None else None
