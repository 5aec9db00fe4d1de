"""A chat's dialog state, stored as JSON in the conversations table between turns."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from dialogs import actions
from dialogs.actions import Action
from dialogs.texts import Lang

# the layout of :meth:`Conversation.to_dict`; a conversation stored with another one starts anew
SCHEMA = 2


@dataclass
class Frame:
    """A procedure under way: which one, where it is, what has been answered."""

    procedure: str
    state: str
    mode: str  # "guide" | "act" | "" (not chosen yet)
    answers: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # the branch of the caller that started this one, when it is a sub-procedure

    def to_dict(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure,
            "state": self.state,
            "mode": self.mode,
            "answers": self.answers,
            "origin": self.origin,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Frame:
        return cls(
            procedure=data["procedure"],
            state=data["state"],
            mode=data["mode"],
            answers=data.get("answers", {}),
            origin=data.get("origin", ""),
        )


@dataclass
class Conversation:
    """The whole dialog of one chat. ``state`` is the machine's state of the top frame."""

    lang: Lang = "fr"
    frame: Frame | None = None
    stack: list[Frame] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # what each button does, by index
    nonce: str = ""
    pending: dict[str, Any] = field(default_factory=dict)  # a switch of procedure to confirm
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
            "pending": self.pending,
            "turn": self.turn,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conversation:
        """The conversation :meth:`to_dict` wrote; one written with another layout (an older
        release) starts anew, in its language."""
        if not data or data.get("schema") != SCHEMA:
            return cls(lang=data.get("lang", "fr") if data else "fr")
        frame = data.get("frame")
        return cls(
            lang=data.get("lang", "fr"),
            frame=Frame.from_dict(frame) if frame else None,
            stack=[Frame.from_dict(f) for f in data.get("stack", [])],
            actions=[actions.load(a) for a in data.get("actions", [])],
            nonce=data.get("nonce", ""),
            pending=dict(data.get("pending", {})),
            turn=int(data.get("turn", 0)),
        )
