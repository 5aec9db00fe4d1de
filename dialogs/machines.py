"""One ``transitions`` machine per procedure, built once; conversations are attached per turn."""

from __future__ import annotations

from functools import cache
from typing import Any

from transitions import EventData, Machine, MachineError

from dialogs.coverage import note
from dialogs.procedures import PROCEDURES
from dialogs.spec import Procedure, machine_definition


class StepMachine(Machine):
    """A procedure's machine. Models are never added: events are fired on a conversation."""

    def __init__(self, procedure: Procedure) -> None:
        states, moves = machine_definition(procedure)
        self.procedure = procedure
        for move in moves:
            if move.get("before") == "perform":
                move["before"] = self._perform
        super().__init__(
            model=None,
            states=states,
            transitions=moves,
            initial="mode",
            auto_transitions=False,
            send_event=True,
            model_override=True,
        )

    def _perform(self, event: EventData) -> None:
        turn = event.kwargs["turn"]
        outcome = self.procedure.perform(turn)
        turn.answers.update(outcome.answers)
        event.kwargs["result"]["outcome"] = outcome  # for the caller of the confirm trigger

    def fire(self, model: Any, trigger: str, **kwargs: Any) -> bool:
        """Fire ``trigger`` on ``model`` if its state allows it; False otherwise."""
        event = self.events.get(trigger)
        if event is None or model.state not in self.states:
            return False
        if not event.transitions.get(model.state):
            return False
        source = model.state
        try:
            fired = bool(event.trigger(model, **kwargs))
        except MachineError:
            return False
        if fired:
            note(self.procedure.id, "*" if trigger.startswith("error_") else source, trigger)
        return fired

    def has_state(self, state: str) -> bool:
        return state in self.states


@cache
def machine_for(procedure_id: str) -> StepMachine:
    """The machine of a procedure (built on first use, then shared by every conversation)."""
    return StepMachine(PROCEDURES[procedure_id])


def build_all() -> None:
    """Build every machine now (at start-up), not during someone's first turn."""
    for procedure_id in PROCEDURES:
        machine_for(procedure_id)
