"""What a pressed button or a typed message does in the current state of the conversation."""

from __future__ import annotations

import unicodedata
from typing import assert_never

from dialogs import clarify, corrections, flow, handoff, named, portal_questions, talk
from dialogs.actions import (
    Action,
    Answer,
    ChooseMode,
    Clarify,
    Confirm,
    Handoff,
    Help,
    Menu,
    Navigate,
    Page,
    Skip,
    Start,
    Switch,
    TakeBranch,
    Toggle,
    Validate,
)
from dialogs.answering import accept, confirm, on_answer_action, on_branch
from dialogs.chat_commands import command_of
from dialogs.events import Event, Press, Text
from dialogs.free_text import prefill, read
from dialogs.navigation import begin, navigate, on_switch
from dialogs.order_lookup import order_lookup
from dialogs.questions.base import Invalid
from dialogs.render import render_menu
from dialogs.reply import Reply
from dialogs.service_lookup import REFERENCE, look_up, service_shown
from dialogs.spec import Ask
from dialogs.texts import bullets
from dialogs.turn import Turn
from dialogs.understanding import Understanding
from domain.errors import (
    DomainError,
    InvalidField,
)
from domain.validation import whole_quantity


def dispatch(turn: Turn, event: Event) -> list[Reply]:
    """The replies to one event."""
    if turn.conv.outdated:
        kept, turn.conv.kept = turn.conv.kept, []
        turn.conv.outdated, turn.conv.switch = False, None
        if kept:  # a sub-procedure had been completed: its change stays, and is not denied
            return [render_menu(turn, "common.outdated_after", done=bullets(kept))]
        return [render_menu(turn, "common.outdated")]
    if isinstance(event, Press):
        action = resolve(turn, event.token)
        if action is None:
            return [Reply(turn.say("common.expired")), flow.show(turn)]
        turn.pressed = True
        return on_action(turn, action)
    return on_text(turn, event)


def resolve(turn: Turn, token: str) -> Action | None:
    """The action of a button shown in the current step of this conversation, else None."""
    nonce, _, index = token.rpartition(":")
    actions = turn.conv.actions
    if not nonce or nonce != turn.conv.nonce or not index.isdigit():
        return None
    position = int(index)
    return actions[position] if position < len(actions) else None


def on_action(turn: Turn, action: Action) -> list[Reply]:
    """What a pressed button does."""
    match action:
        case Start(procedure):
            return begin(turn, procedure)
        case Menu():
            return [render_menu(turn)]
        case Help():
            return [Reply(turn.say("common.help")), flow.show(turn)]
        case Switch(leave):
            return on_switch(turn, leave)
        case Clarify():  # « Vouliez-vous dire … ? »
            return clarify.chosen(turn, action)
        case Handoff():  # « Parler à un humain »
            return handoff.consented(turn, action)
        case _ if turn.conv.frame is None:  # a procedure's button, once it has ended
            return [render_menu(turn)]
        case ChooseMode(mode):
            return flow.choose_mode(turn, mode)
        case Navigate(move):
            return navigate(turn, move)
        case TakeBranch(key):
            return on_branch(turn, key)
        case Confirm():
            return confirm(turn)
        case Answer() | Toggle() | Page() | Validate() | Skip():
            return on_answer_action(turn, action)
        case _:
            assert_never(action)


def on_text(turn: Turn, event: Text) -> list[Reply]:
    event = Text(unicodedata.normalize("NFC", event.text))
    command = command_of(event.text)
    if command == "cancel":
        return flow.stop(turn)
    if command in ("menu", "start"):
        intro = "common.welcome" if command == "start" else "common.menu"
        if turn.conv.frame is None:
            return [render_menu(turn, intro)]
        during = turn.say("common.menu_during", procedure=turn.say(f"{turn.frame.procedure}.title"))
        menu = render_menu(turn)
        return [Reply(f"{during}\n\n{menu.text}", menu.buttons)]
    if command == "help":
        return [Reply(turn.say("common.help")), flow.show(turn)]
    if turn.conv.frame is not None:
        handled = on_text_in_procedure(turn, command, event.text)
        if handled is not None:
            return handled
    return on_free_text(turn, event.text)


def _answers(turn: Turn, ask: Ask | None, text: str) -> bool:
    """Whether the service or licence ``text`` names is meant as the answer to the question:
    the question reads it as its answer (to be checked then), not as a look-up."""
    refs = [r.replace(" ", "").upper() for r in REFERENCE.findall(text)]
    if ask is None or not refs or not ask.question.choices(turn):
        return False  # a typed-text question takes no reference: it is a look-up
    try:
        value = ask.question.parse(turn, text)
    except (Invalid, DomainError):
        return False
    return any(ref in str(value).upper() for ref in refs)


def on_text_in_procedure(turn: Turn, command: str | None, text: str) -> list[Reply] | None:
    state = turn.frame.state
    if command == "back":
        return navigate(turn, "back")
    if state == "mode" and command in ("guide", "act"):
        return flow.choose_mode(turn, command)
    if state.startswith("g_") and command in ("next", "repeat"):
        return navigate(turn, command)
    # « oui » confirms the summary only while it is the question shown (not « transmettre ? »)
    if state == "confirm" and command == "confirm" and Confirm() in turn.conv.actions:
        return confirm(turn)
    ask = turn.procedure.ask(state)
    # a question, or a reference that does not answer this question, is a digression
    aside = digression(turn, text, look_ups=not _answers(turn, ask, text))
    if aside is not None:
        return aside
    if ask is not None and not ask.question.multi and ask.question.free_text:
        try:
            value = ask.question.parse(turn, text)
        except Invalid as invalid:
            return on_free_text(turn, text, invalid=invalid)
        return accept(turn, ask.name, value)
    if ask is not None and ask.question.multi:
        try:
            return accept(turn, ask.name, ask.question.parse(turn, text))
        except Invalid as invalid:
            return on_free_text(turn, text, invalid=invalid)
    return None


def on_free_text(turn: Turn, text: str, invalid: Invalid | None = None) -> list[Reply]:
    """Typed text that is not a command nor an answer: understood, never guessed silently.

    An answer refused (``invalid``: « Hôtel des Pins » at « For which client? ») keeps the
    conversation's language, whatever language its words look like."""
    result = read(turn, text, follow_lang=invalid is None)
    if turn.conv.frame is not None:
        return _during_procedure(turn, text, result, invalid)
    ordered = order_lookup(turn, text)  # « où en est la commande CMD-… ? »
    if ordered is not None:
        return ordered
    if result.question:
        return [portal_questions.answer(turn, result)]
    if result.ambiguous and result.alternatives:
        return [clarify.which_procedure(turn, result)]
    if result.procedure in turn.procedures:
        answers = prefill(result)
        unresolved = named.resolve(turn, text, result, answers)  # found, or reported and asked
        return begin(turn, result.procedure, result.mode or "", answers, unresolved)
    answered = talk.answer(turn, text, result)  # greetings, thanks, a person, one's data
    if answered is not None:
        return answered
    # « réactive la licence FPC… »: a near miss is said (below), the licence is not looked up
    looked_up = None if result.near_miss else look_up(turn, text, result)
    if looked_up is not None:
        return [looked_up]
    return clarify.unsure(turn, text, result) or [render_menu(turn, "common.not_understood")]


def digression(turn: Turn, text: str, *, look_ups: bool) -> list[Reply] | None:
    """A question about the portal, a request for a person (or, with ``look_ups``, a service or
    licence reference) typed in the middle of a procedure: answered, then the same question
    again, every answer kept — even where its words would also read as an answer."""
    result = read(turn, text, follow_lang=False)  # the language follows an answered digression
    if result.question:
        turn.conv.lang = result.lang
        return [portal_questions.answer_during(turn, result)]
    if result.intent == "handoff":  # « parler à un humain » is no quantity of one
        return talk.interruption(turn, text, result)
    # a sentence that asks for another procedure is not a look-up: it may switch procedure
    asks_procedure = result.procedure in turn.procedures
    shown = service_shown(turn, text, result) if look_ups and not asks_procedure else None
    if shown is not None:
        return [flow.show(turn, prefix=shown + "\n\n")]
    return None


def _during_procedure(
    turn: Turn, text: str, result: Understanding, invalid: Invalid | None
) -> list[Reply]:
    aside = digression(turn, text, look_ups=True)
    if aside is not None:
        return aside
    current = turn.frame.procedure
    interrupted = talk.interruption(turn, text, result)  # answered, then the question again
    if interrupted is not None:
        return interrupted
    if result.procedure == "order_followup" and current != "order_followup" and turn.user.may_act:
        ordered = order_lookup(turn, text)  # the order named is the one followed, if one is
        if ordered is not None:
            return ordered
    if (
        result.procedure in turn.procedures
        and result.procedure != current
        and not result.ambiguous
        and not corrections.corrects(turn, result)
    ):
        answers = prefill(result)
        unresolved = named.resolve(turn, text, result, answers)  # found, or reported and asked
        return begin(turn, result.procedure, result.mode or "", answers, unresolved)
    changed = {k: v for k, v in prefill(result).items() if corrections.is_asked(turn, k)}
    if result.intent is None:  # a bare name, no request: it answers nothing not yet asked
        asked = turn.procedure.ask(turn.frame.state)
        changed = {
            k: v for k, v in changed.items() if k in turn.answers or (asked and k == asked.name)
        }
    if turn.frame.mode == "act" and corrections.is_asked(turn, "client"):
        missing = named.unknown_client(turn, text, prefill(result))  # never dropped silently
        if missing:
            return [flow.show(turn, prefix=missing + "\n\n")]
    if "quantity" in changed:
        try:
            whole_quantity(text)
        except InvalidField:
            note = (
                turn.say(invalid.key, **invalid.params)  # the question's own reason
                if invalid
                else turn.say("common.quantity_whole", value=text.strip())
            )
            return [flow.show(turn, prefix=note + "\n\n")]
    if changed and turn.frame.mode == "act":
        return [corrections.correct(turn, changed)]
    reason = turn.say(invalid.key, **invalid.params) if invalid else turn.say("common.use_buttons")
    return [flow.show(turn, prefix=reason + "\n\n")]
