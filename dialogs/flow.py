"""Moving a conversation through its procedure's machine: start, answer, back, call, finish."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any

from dialogs import commitment
from dialogs.conversation import Frame, Unresolved
from dialogs.gateway import NotLinked
from dialogs.machines import machine_for
from dialogs.questions.base import Invalid
from dialogs.render import render, render_menu
from dialogs.reply import Reply
from dialogs.texts import bullets
from dialogs.turn import Turn
from domain.errors import DomainError
from domain.phone import national_format


def fire(turn: Turn, trigger: str, **kwargs: Any) -> bool:
    """Fire a trigger on the top frame's machine."""
    return machine_for(turn.frame.procedure).fire(turn.conv, trigger, turn=turn, **kwargs)


def start(
    turn: Turn,
    procedure_id: str,
    mode: str = "",
    prefill: dict[str, Any] | None = None,
    origin: str = "",
    unresolved: Unresolved | None = None,
) -> list[Reply]:
    """Begin a procedure (pushing nothing: the caller deals with one under way)."""
    unresolved = unresolved or Unresolved()
    named = unresolved.notes  # what the first sentence named and was not found
    asked = list(unresolved.questions)
    turn.conv.frame = Frame(procedure_id, "mode", "", dict(prefill or {}), origin, ask_anyway=asked)
    turn.conv.switch = None
    record_event(turn, "started")
    if mode == "act" and not turn.user.may_act:
        return choose_mode(turn, mode, named)
    if not turn.user.may_act:
        mode = "guide"
    if mode:
        return choose_mode(turn, mode, named)
    return [show(turn, prefix=f"{named}\n\n" if named else "")]


def choose_mode(turn: Turn, mode: str, named: str = "") -> list[Reply]:
    notes = [named] if named else []
    if mode == "act" and not turn.user.may_act:
        key = "common.not_linked" if turn.user.actor is None else "common.guide_only"
        notes.append(turn.say(key))
        mode = "guide"
    turn.frame.mode = mode
    fire(turn, mode)
    if mode == "act":
        notes.append(advance(turn))
    note = "\n".join(n for n in notes if n)
    return [show(turn, prefix=f"{note}\n\n" if note else "")]


def show(turn: Turn, prefix: str = "", keep_nonce: bool = False) -> Reply:
    """Render the current state; a domain error while preparing it is routed like any other."""
    for _ in range(3):
        try:
            reply = render(turn, prefix=prefix, keep_nonce=keep_nonce)
        except DomainError as error:
            prefix += route_error(turn, error) + "\n\n"
            continue
        except NotLinked:
            return render_menu(turn, "common.not_linked")
        changed = commitment.take_note(turn)
        return replace(reply, text=f"{changed}\n\n{reply.text}") if changed else reply
    return render_menu(turn, "common.internal_error")


def advance(turn: Turn) -> str:
    """Skip every question already answered (or with a single choice); return notes to show."""
    notes: list[str] = []
    procedure = turn.procedure
    for _ in range(len(procedure.act) + 1):
        ask = procedure.ask(turn.frame.state)
        if ask is None:
            break
        question, answers = ask.question, turn.answers
        if ask.name in answers:
            try:
                answers[ask.name] = (
                    question.check(turn, answers[ask.name])
                    if answers[ask.name] is not None
                    else None
                )
            except Invalid as invalid:
                del answers[ask.name]
                notes.append(turn.say(invalid.key, **invalid.params))
                break
            except DomainError as error:  # kept: once the obstacle is gone, the answer stands
                notes.append(route_error(turn, error))
                break
            fire(turn, "next")
            continue
        if question.auto_single and not question.multi and ask.name not in turn.frame.ask_anyway:
            options = question.choices(turn)
            if len(options) == 1:
                answers[ask.name] = options[0].value
                turn.frame.auto.append(ask.name)
                fire(turn, "next")
                continue
        break
    return "\n".join(notes)


def go_back(turn: Turn) -> None:
    """One question (or step) back, past the questions answered on their own."""
    procedure = turn.procedure
    before = turn.frame.state
    if not fire(turn, "back"):
        return
    auto = turn.frame.auto
    while (ask := procedure.ask(turn.frame.state)) is not None and ask.name in auto:
        if not fire(turn, "back"):
            fire(turn, "next")
            break
        # an answer taken on its own depends on the earlier ones: it is taken again later
        auto.remove(ask.name)
        turn.answers.pop(ask.name, None)
    ask = procedure.ask(turn.frame.state)
    if ask is not None and turn.frame.state != before:
        turn.answers.pop(ask.name, None)
        turn.frame.selected.pop(ask.name, None)


def route_error(turn: Turn, error: DomainError) -> str:
    """Explain a domain error; move to the state the procedure names for it, if any."""
    params = error_params(error)
    text = turn.say(f"errors.{error.code}", **params)
    dest = turn.procedure.on_error.get(error.code) if turn.conv.frame else None
    if dest:
        turn.frame.error = params
        fire(turn, f"error_{error.code}")
        ask = turn.procedure.ask(dest)
        if ask is None:
            return ""  # the information step explains the error itself
        turn.answers.pop(ask.name, None)
        turn.frame.selected.pop(ask.name, None)
    return text


def error_params(error: DomainError) -> dict[str, Any]:
    """The fields of an error, lists and mappings written out for a message."""
    params: dict[str, Any] = {"code": error.code}
    if not is_dataclass(error):
        return params
    for f in fields(error):
        value = getattr(error, f.name)
        if isinstance(value, dict):
            value = ", ".join(f"{k} ({_readable(v)})" for k, v in value.items())
        elif isinstance(value, tuple | list):
            value = ", ".join(_readable(v) for v in value)
        elif isinstance(value, str):
            value = _readable(value)
        params[f.name] = value
    return params


def _readable(value: object) -> str:
    """Numbers as people write them (04 91 00 00 01), anything else as it is."""
    text = str(value)
    return national_format(text) if text.startswith("+33") and text[1:].isdigit() else text


def call(turn: Turn, branch_key: str) -> list[Reply]:
    """Suspend this procedure and start the one a branch names; it comes back here after."""
    branch = turn.procedure.branch(branch_key)
    if branch is None or branch.call is None:
        return [show(turn)]
    given = {k: turn.answers[k] for k in branch.give if k in turn.answers}
    turn.conv.stack.append(turn.frame)
    mode = branch.call_mode or turn.frame.mode or "guide"
    return start(turn, branch.call, mode, given, origin=branch_key)


def finish(turn: Turn, outcome_text: str, kind: str = "completed", record: str = "") -> list[Reply]:
    """The top procedure is complete: resume its caller, or go back to the menu."""
    record_event(turn, kind)
    done = turn.frame
    if not turn.conv.stack:
        turn.conv.frame = None
        menu = render_menu(turn, "common.menu_after")
        if not outcome_text:
            return [menu]
        return [Reply(f"{outcome_text}\n\n{menu.text}", menu.buttons)]
    parent = turn.conv.stack.pop()
    turn.conv.frame = parent
    # what it changed stays changed whatever the caller does next: the caller's ending says so
    parent.done = [*parent.done, *done.done]
    if record:
        parent.done.append(record)
    branch = turn.procedure.branch(done.origin)
    for theirs, ours in branch.take if branch else ():
        if theirs in done.answers:
            parent.answers[ours] = done.answers[theirs]
    fire(turn, f"resume_{done.origin}")
    notes = advance(turn) if parent.mode == "act" else ""
    back = turn.say("common.resumed", procedure=turn.say(f"{parent.procedure}.title"))
    prefix = "\n\n".join(t for t in (outcome_text, back, notes) if t) + "\n\n"
    return [show(turn, prefix=prefix)]


def stop(turn: Turn) -> list[Reply]:
    """Abandon the procedure under way and every suspended one; say what their parts did."""
    if turn.conv.frame is None:  # nothing under way: what an ended procedure did stays said
        turn.conv.switch = None
        return [render_menu(turn, "common.nothing_to_stop")]
    done = done_so_far(turn)
    stopped = turn.say(f"{turn.frame.procedure}.title")
    record_event(turn, "cancelled")
    turn.conv.frame = None
    turn.conv.stack = []
    turn.conv.switch = None
    if done:
        return [render_menu(turn, "common.stopped_after", procedure=stopped, done=done)]
    return [render_menu(turn, "common.cancelled")]


def done_so_far(turn: Turn) -> str:
    """What the completed sub-procedures of the procedures under way changed, one line each."""
    frames = [*turn.conv.stack, *([turn.conv.frame] if turn.conv.frame else [])]
    return bullets(line for f in frames for line in f.done)


def record_event(turn: Turn, kind: str) -> None:
    """Note what happened to a procedure, for the statistics."""
    from dialogs.records import DialogEvent

    frame = turn.frame
    turn.domain.session.add(
        DialogEvent(
            chat_key=turn.chat_key,
            procedure=frame.procedure,
            mode=frame.mode or "-",
            kind=kind,
            step=frame.state,
        )
    )
