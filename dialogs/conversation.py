"""A chat's dialog state, stored as JSON in the conversations table between turns."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from dialogs import actions
from dialogs.actions import Action
from dialogs.texts import Lang

# the layout of :meth:`Conversation.to_dict`; a conversation stored with another one starts anew
SCHEMA = 4


@dataclass
class Frame:
    """A procedure under way: which one, where it is, what has been answered (``answers``, by
    question), and apart from the answers what its screen shows or keeps in mind."""

    procedure: str
    state: str
    mode: str  # "guide" | "act" | "" (not chosen yet)
    answers: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # the branch of the caller that started this one, when it is a sub-procedure
    # the choices toggled so far in a multi-choice question, by question
    selected: dict[str, list[Any]] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)  # the page of choices shown, by question
    # questions answered on their own (a single choice left): answered again after going back
    # or correcting an earlier answer, which they depend on
    auto: list[str] = field(default_factory=list)
    # questions asked even with a single choice left (the first sentence named what was not found)
    ask_anyway: list[str] = field(default_factory=list)
    error: dict[str, Any] = field(default_factory=dict)  # the domain error a step explains
    done: list[str] = field(default_factory=list)  # what its completed sub-procedures changed
    commitment: dict[str, Any] | None = None  # what the summary shown lists (commitment.bind)
    commitment_note: str = ""  # what changed since the previous summary, said above the new one
    summary_version: int | None = None  # the version of the order its summary shows

    def to_dict(self) -> dict[str, Any]:
        """The frame as JSON; screen state left empty is left out."""
        data: dict[str, Any] = {
            "procedure": self.procedure,
            "state": self.state,
            "mode": self.mode,
            "answers": self.answers,
            "origin": self.origin,
        }
        screen = {
            "selected": self.selected,
            "pages": self.pages,
            "auto": self.auto,
            "ask_anyway": self.ask_anyway,
            "error": self.error,
            "done": self.done,
            "commitment_note": self.commitment_note,
        }
        data.update((name, value) for name, value in screen.items() if value)
        if self.commitment is not None:
            data["commitment"] = self.commitment
        if self.summary_version is not None:
            data["summary_version"] = self.summary_version
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Frame:
        return cls(
            procedure=data["procedure"],
            state=data["state"],
            mode=data["mode"],
            answers=data.get("answers", {}),
            origin=data.get("origin", ""),
            selected=data.get("selected", {}),
            pages=data.get("pages", {}),
            auto=data.get("auto", []),
            ask_anyway=data.get("ask_anyway", []),
            error=data.get("error", {}),
            done=data.get("done", []),
            commitment=data.get("commitment"),
            commitment_note=data.get("commitment_note", ""),
            summary_version=data.get("summary_version"),
        )


@dataclass(frozen=True)
class Unresolved:
    """What a request named and was not found (``named.resolve``): said before the procedure's
    first question (``notes``), whose ``questions`` are then asked even with a single choice."""

    notes: str = ""
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PendingSwitch:
    """Another procedure asked for while one is under way: started if the user says to leave."""

    procedure: str
    mode: str = ""
    prefill: dict[str, Any] = field(default_factory=dict)  # the answers the request gave
    unresolved: Unresolved = Unresolved()

    def to_dict(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure,
            "mode": self.mode,
            "prefill": self.prefill,
            "notes": self.unresolved.notes,
            "ask_anyway": list(self.unresolved.questions),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingSwitch:
        unresolved = Unresolved(data.get("notes", ""), tuple(data.get("ask_anyway", ())))
        return cls(data["procedure"], data.get("mode", ""), data.get("prefill", {}), unresolved)


@dataclass
class Conversation:
    """The whole dialog of one chat. ``state`` is the machine's state of the top frame."""

    lang: Lang = "fr"
    frame: Frame | None = None
    stack: list[Frame] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # what each button does, by index
    nonce: str = ""
    switch: PendingSwitch | None = None  # a switch of procedure to confirm
    outdated: bool = False  # its procedure no longer exists as it was saved (engine): say so
    kept: list[str] = field(default_factory=list)  # with outdated: what its finished parts did
    turn: int = 0

    # the transitions library reads and writes the model's ``state`` attribute
    @property
    def state(self) -> str:
        return self.frame.state if self.frame else "idle"

    @state.setter
    def state(self, value: str) -> None:
        if self.frame is not None:
            self.frame.state = value

    @property
    def answers(self) -> dict[str, Any]:
        if self.frame is None:
            raise RuntimeError("no procedure under way")
        return self.frame.answers

    def rotate_nonce(self) -> str:
        """A fresh token prefix: every button shown before stops working."""
        self.nonce = secrets.token_urlsafe(6)
        return self.nonce

    def to_dict(self) -> dict[str, Any]:
        """The conversation as JSON, written field by field (it is saved at every turn).

        The answers are handed over as they are, not copied: the dict is serialised at once."""
        return {
            "schema": SCHEMA,
            "lang": self.lang,
            "frame": self.frame.to_dict() if self.frame else None,
            "stack": [f.to_dict() for f in self.stack],
            "actions": [actions.dump(a) for a in self.actions],
            "nonce": self.nonce,
            "switch": self.switch.to_dict() if self.switch else None,
            "outdated": self.outdated,
            "kept": self.kept,
            "turn": self.turn,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conversation:
        """The conversation :meth:`to_dict` wrote; one written with another layout (an older
        release) starts anew, in its language."""
        if not data or data.get("schema") != SCHEMA:
            return cls(lang=data.get("lang", "fr") if data else "fr")
        frame, switch = data.get("frame"), data.get("switch")
        return cls(
            lang=data.get("lang", "fr"),
            frame=Frame.from_dict(frame) if frame else None,
            stack=[Frame.from_dict(f) for f in data.get("stack", [])],
            actions=[actions.load(a) for a in data.get("actions", [])],
            nonce=data.get("nonce", ""),
            switch=PendingSwitch.from_dict(switch) if switch else None,
            outdated=bool(data.get("outdated")),
            kept=list(data.get("kept", [])),
            turn=int(data.get("turn", 0)),
        )
