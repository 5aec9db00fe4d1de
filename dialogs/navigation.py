"""Where the conversation goes: a procedure started, another one switched to (asked first when
one is under way), and the moves through its steps (back, next, repeat, stop)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dialogs import flow
from dialogs.actions import Switch
from dialogs.conversation import PendingSwitch, Unresolved
from dialogs.render import Keyboard
from dialogs.reply import Reply
from dialogs.turn import Turn


def begin(
    turn: Turn,
    procedure_id: str,
    mode: str = "",
    prefill: dict[str, Any] | None = None,
    unresolved: Unresolved | None = None,
) -> list[Reply]:
    """Start a procedure, or ask first whether to leave the one under way."""
    if turn.conv.frame is not None and turn.conv.frame.procedure != procedure_id:
        turn.conv.switch = PendingSwitch(
            procedure_id, mode, prefill or {}, unresolved or Unresolved()
        )
        turn.conv.rotate_nonce()
        kb = Keyboard(turn)
        kb.row((turn.say("common.buttons.leave"), Switch(leave=True)))
        kb.row((turn.say("common.buttons.stay"), Switch(leave=False)))
        current = turn.say(f"{turn.frame.procedure}.title")
        wanted = turn.say(f"{procedure_id}.title")
        return [kb.reply(turn.say("common.ask.switch", current=current, wanted=wanted))]
    if turn.conv.frame is not None:
        return [flow.show(turn)]
    return flow.start(turn, procedure_id, mode, prefill, unresolved=unresolved)


def on_switch(turn: Turn, leave: bool) -> list[Reply]:
    """The answer to « leave the procedure under way for another one? »."""
    switch, turn.conv.switch = turn.conv.switch, None
    if switch is None:
        return [flow.show(turn)]
    if not leave:
        return [flow.show(turn, prefix=turn.say("common.continuing") + "\n\n")]
    done = flow.done_so_far(turn)
    if turn.conv.frame is not None:
        flow.record_event(turn, "cancelled")
    left = turn.say(f"{turn.frame.procedure}.title") if turn.conv.frame else ""
    turn.conv.frame, turn.conv.stack = None, []
    replies = flow.start(
        turn, switch.procedure, switch.mode, switch.prefill, unresolved=switch.unresolved
    )
    if done:
        note = turn.say("common.abandoned_after", procedure=left, done=done)
        replies[0] = replace(replies[0], text=f"{note}\n\n{replies[0].text}")
    return replies


def navigate(turn: Turn, move: str) -> list[Reply]:
    """A move through the procedure under way: ``stop``, ``repeat``, ``back`` or ``next``."""
    if move == "stop":
        return flow.stop(turn)
    if move == "repeat":
        return [flow.show(turn)]
    if move == "back":
        flow.go_back(turn)
        return [flow.show(turn)]
    if move == "next" and turn.frame.state.startswith("g_"):
        flow.fire(turn, "next")
        if turn.frame.state == "guide_done":
            return flow.finish(turn, turn.say("common.guide_completed"))
    return [flow.show(turn)]
