"""An answer to the step under way: a choice, a selection, a page, a typed value checked on the
server, a branch taken, « Confirmer »."""

from __future__ import annotations

from typing import Any

from dialogs import commitment, flow
from dialogs.actions import Answer, Page, Skip, Toggle, Validate
from dialogs.questions.base import Invalid
from dialogs.reply import Reply
from dialogs.spec import Outcome
from dialogs.turn import Turn
from domain.errors import (
    Conflict,
    DomainError,
    InvalidCharacters,
    InvalidEmail,
    InvalidField,
    InvalidPhoneNumber,
    InvalidPostalCode,
    ListedChanged,
)

# what a typed answer can be refused for: it is never kept (nor stored with the conversation)
INPUT_ERRORS = (
    InvalidCharacters,
    InvalidEmail,
    InvalidField,
    InvalidPhoneNumber,
    InvalidPostalCode,
)


def on_branch(turn: Turn, key: str) -> list[Reply]:
    """A button that leads elsewhere: another step, or another procedure and back."""
    branch = turn.procedure.branch(key)
    if branch is None or (branch.act_only and not turn.user.may_act):
        return [Reply(turn.say("common.expired")), flow.show(turn)]
    if branch.call:
        return flow.call(turn, key)
    flow.fire(turn, f"branch_{key}")
    return [flow.show(turn)]


def confirm(turn: Turn) -> list[Reply]:
    """« Confirmer »: perform what the summary lists, or nothing and say what changed."""
    if turn.frame.state != "confirm":
        return [Reply(turn.say("common.expired")), flow.show(turn)]
    result: dict[str, Outcome] = {}  # what was done, said by the machine's perform
    try:
        flow.fire(turn, "confirm", result=result)
    except (ListedChanged, Conflict):  # the summary no longer holds: nothing was done
        return [commitment.explain(turn, flow.show)]
    except DomainError as error:
        note = flow.route_error(turn, error)
        return [flow.show(turn, prefix=note + "\n\n")]
    outcome = result.get("outcome")
    if outcome is None:
        return flow.finish(turn, "")
    return flow.finish(turn, outcome.text, record=outcome.record)


def on_answer_action(turn: Turn, action: Answer | Toggle | Page | Validate | Skip) -> list[Reply]:
    """A button of the question under way: a choice, a selection, a page, Valider, Passer."""
    ask = turn.procedure.ask(turn.frame.state)
    if ask is None:
        return [Reply(turn.say("common.expired")), flow.show(turn)]
    match action:
        case Toggle(value):
            selected = turn.frame.selected.setdefault(ask.name, [])
            if value in selected:
                selected.remove(value)
            else:
                selected.append(value)
            shown = turn.conv.actions
            reply = flow.show(turn, keep_nonce=True)  # quick taps on the same list all count
            if turn.conv.actions != shown:  # the list changed meanwhile: its old buttons expire
                reply = flow.show(turn)
            return [reply]
        case Page(number):  # new buttons at the same places: the old page's ones expire
            turn.frame.pages[ask.name] = number
            return [flow.show(turn)]
        case Validate():
            return accept(turn, ask.name, list(turn.frame.selected.get(ask.name, [])))
        case Skip():
            return accept(turn, ask.name, None)
        case Answer(value):
            return accept(turn, ask.name, value)


def accept(turn: Turn, name: str, value: Any) -> list[Reply]:
    """Check an answer on the server; store it and move on, or ask again with the reason."""
    ask = turn.procedure.ask(turn.frame.state)
    assert ask is not None
    try:
        if value is not None or not ask.question.optional:
            value = ask.question.check(turn, value)
    except Invalid as invalid:
        return [flow.show(turn, prefix=turn.say(invalid.key, **invalid.params) + "\n\n")]
    except DomainError as error:
        if not isinstance(error, INPUT_ERRORS):  # kept: once the obstacle is gone, it stands
            turn.answers[name] = value
        return [flow.show(turn, prefix=flow.route_error(turn, error) + "\n\n")]
    turn.answers[name] = value
    turn.frame.pages.pop(name, None)
    flow.fire(turn, "next")
    notes = flow.advance(turn)
    return [flow.show(turn, prefix=notes + "\n\n" if notes else "")]
