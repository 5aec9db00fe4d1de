"""Questions about the portal (« pourquoi l'icône poubelle est grisée ? »): answered from the
texts, with a button to the procedure they concern, or within a procedure, before its question
is asked again."""

from __future__ import annotations

from dialogs import flow
from dialogs.actions import Menu, Start
from dialogs.render import Keyboard
from dialogs.reply import Reply
from dialogs.turn import Turn
from dialogs.understanding import Understanding


def answer(turn: Turn, result: Understanding) -> Reply:
    """The answer, then « open the procedure » (if it concerns one) and « Menu »."""
    turn.conv.rotate_nonce()
    kb = Keyboard(turn)
    if result.procedure:
        label = turn.say(
            "common.buttons.open_procedure", procedure=turn.say(f"{result.procedure}.title")
        )
        kb.row((label, Start(result.procedure)))
    kb.row((turn.say("common.buttons.menu"), Menu()))
    return kb.reply(turn.say(f"answers.{result.question}"))


def answer_during(turn: Turn, result: Understanding) -> Reply:
    """The answer, then the question under way again, every answer kept."""
    return flow.show(turn, prefix=turn.say(f"answers.{result.question}") + "\n\n")
