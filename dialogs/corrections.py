"""« non, 3 licences »: a sentence that corrects answers already given in act mode, rather than
starting anew; the answers replaced and the procedure resumed from the first one."""

from __future__ import annotations

from typing import Any

from dialogs import flow
from dialogs.free_text import prefill
from dialogs.reply import Reply
from dialogs.turn import Turn
from dialogs.understanding import Understanding


def is_asked(turn: Turn, key: str) -> bool:
    """Whether act mode of the procedure under way asks for the answer ``key``."""
    return any(a.name == key for a in turn.procedure.act)


def corrects(turn: Turn, result: Understanding) -> bool:
    """A sentence like "non, 3 licences" corrects an answer rather than starting anew."""
    return (
        turn.frame.mode == "act"
        and result.confidence < 0.9
        and any(is_asked(turn, k) and k in turn.answers for k in prefill(result))
    )


def correct(turn: Turn, corrections: dict[str, Any]) -> Reply:
    """Replace answers, then resume from the first question that needs asking again."""
    order = [a.name for a in turn.procedure.act]
    first = min(order.index(k) for k in corrections)
    turn.answers.update(corrections)
    for name in order[first + 1 :]:
        if name not in corrections and name in turn.frame.auto:
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
