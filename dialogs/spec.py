"""Procedures declared as data, and the states and transitions their machines are built from.

State names: ``mode`` (guide me / do it for me), ``g_<step>`` guide steps, ``guide_done``,
``a_<question>`` act questions and act information steps, ``confirm``, ``done``.
Triggers: ``guide``, ``act``, ``next``, ``back``, ``branch_<key>``, ``resume_<key>``, ``confirm``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dialogs.questions.base import Question
    from dialogs.turn import Turn


@dataclass(frozen=True)
class Branch:
    """A button that leads elsewhere: another state, or another procedure and back."""

    key: str
    to: str | None = None  # a state of this procedure
    call: str | None = None  # a procedure to run first, coming back here once it is complete
    call_mode: str | None = None  # the sub-procedure's mode (default: the caller's)
    resume: str | None = None  # where to come back to (default: where the button was)
    give: tuple[str, ...] = ()  # answers handed to the sub-procedure
    take: tuple[tuple[str, str], ...] = ()  # (its answer, our answer) taken back from it
    act_only: bool = False  # shown only to users who may change client data


@dataclass(frozen=True)
class Step:
    """A guide step, or an information step of act mode, with the buttons it offers."""

    name: str
    branches: tuple[Branch, ...] = ()
    back_to: str | None = None  # for a step off the main path: where "Précédent" leads


@dataclass(frozen=True)
class Ask:
    """A question of act mode: the answer it stores under ``name``."""

    name: str
    question: Question
    branches: tuple[Branch, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What a completed action did, to tell the user, and answers handed to a caller."""

    text: str
    answers: dict[str, Any] = field(default_factory=dict)
    record: str = ""  # one line saying what changed, kept by a caller until it ends


@dataclass(frozen=True)
class Procedure:
    """A procedure of the fiches. ``id`` names it everywhere: its module, its texts (``<id>.*``
    in ``dialogs/texts/{fr,en}/<id>.toml``), its label in the understanding's labelled
    utterances, its diagram in the README. ``menu``: its place in the menu (1 comes first)."""

    id: str
    menu: int
    guide: tuple[Step, ...]
    act: tuple[Ask, ...]
    summary: Callable[[Turn], str]
    perform: Callable[[Turn], Outcome]
    guide_extra: tuple[Step, ...] = ()
    act_extra: tuple[Step, ...] = ()
    on_error: dict[str, str] = field(default_factory=dict)  # error code -> state to show

    def ask(self, state: str) -> Ask | None:
        return next((a for a in self.act if f"a_{a.name}" == state), None)

    def step(self, state: str) -> Step | None:
        steps = (*self.guide, *self.guide_extra, *self.act_extra)
        return next((s for s in steps if state in (f"g_{s.name}", f"a_{s.name}")), None)

    def branch(self, key: str) -> Branch | None:
        every = [b for s in (*self.guide, *self.guide_extra, *self.act_extra) for b in s.branches]
        every += [b for a in self.act for b in a.branches]
        return next((b for b in every if b.key == key), None)


def machine_definition(p: Procedure) -> tuple[list[str], list[dict[str, Any]]]:
    """The states and transitions of a procedure's machine, for ``Machine`` and diagrams."""
    guide = [f"g_{s.name}" for s in p.guide]
    act = [f"a_{a.name}" for a in p.act]
    states = ["mode", *guide, *(f"g_{s.name}" for s in p.guide_extra), "guide_done", *act]
    states += [*(f"a_{s.name}" for s in p.act_extra), "confirm", "done"]
    moves: list[dict[str, Any]] = [
        {"trigger": "guide", "source": "mode", "dest": guide[0]},
        {"trigger": "act", "source": "mode", "dest": act[0]},
    ]
    moves += _chain(guide, "guide_done", back_from_last=False) + _chain(act, "confirm")
    moves.append({"trigger": "confirm", "source": "confirm", "dest": "done", "before": "perform"})
    for prefix, steps in (("g", (*p.guide, *p.guide_extra)), ("a", p.act_extra)):
        for s in steps:
            if s.back_to:
                moves.append({"trigger": "back", "source": f"{prefix}_{s.name}", "dest": s.back_to})
            moves += _branches(f"{prefix}_{s.name}", s.branches)
    for a in p.act:
        moves += _branches(f"a_{a.name}", a.branches)
    answering = [*act, *(f"a_{s.name}" for s in p.act_extra), "confirm"]
    for code, dest in sorted(p.on_error.items()):  # domain errors arise while answering
        moves.append({"trigger": f"error_{code}", "source": answering, "dest": dest})
    return states, moves


def _chain(states: list[str], last: str, *, back_from_last: bool = True) -> list[dict[str, Any]]:
    moves = [{"trigger": "next", "source": a, "dest": b} for a, b in itertools.pairwise(states)]
    moves.append({"trigger": "next", "source": states[-1], "dest": last})
    moves += [{"trigger": "back", "source": b, "dest": a} for a, b in itertools.pairwise(states)]
    if back_from_last:  # the summary goes back to the last question; a finished guide ends
        moves.append({"trigger": "back", "source": last, "dest": states[-1]})
    return moves


def _branches(source: str, branches: tuple[Branch, ...]) -> list[dict[str, Any]]:
    moves: list[dict[str, Any]] = []
    for b in branches:
        if b.to:
            moves.append({"trigger": f"branch_{b.key}", "source": source, "dest": b.to})
        if b.call:
            dest = b.resume or source
            moves.append({"trigger": f"resume_{b.key}", "source": source, "dest": dest})
    return moves
