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

# The procedures an answer sends to, in the order of the steps it gives: the number dissociated,
# then the licence cancelled; the site created, then the licence moved.
STEPS = {
    "why_cannot_cancel": ("dissociate_number", "cancel_licences"),
    "why_site_missing": ("add_site", "change_licence_site"),
}


def answer(turn: Turn, result: Understanding) -> Reply:
    """The answer, then « open the procedure » for each procedure it sends to, and « Menu »."""
    turn.conv.rotate_nonce()
    kb = Keyboard(turn)
    steps = STEPS.get(result.question or "", (result.procedure,) if result.procedure else ())
    for procedure in steps:
        if procedure in turn.procedures:
            label = turn.say(
                "common.buttons.open_procedure", procedure=turn.say(f"{procedure}.title")
            )
            kb.row((label, Start(procedure)))
    kb.row((turn.say("common.buttons.menu"), Menu()))
    return kb.reply(turn.say(f"answers.{result.question}"))


def answer_during(turn: Turn, result: Understanding) -> Reply:
    """The answer, then the question under way again, every answer kept."""
    return flow.show(turn, prefix=turn.say(f"answers.{result.question}") + "\n\n")
