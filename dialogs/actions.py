"""What a button does: one frozen dataclass per kind of action.

A button carries only an opaque token (``nonce:index``); the action it stands for stays on the
server, in the conversation's list of actions (:attr:`Conversation.actions`), stored as a small
JSON object by :func:`dump` and read back by :func:`load`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from dialogs.texts import Lang

Mode: TypeAlias = Literal["guide", "act"]
Move: TypeAlias = Literal["back", "repeat", "next", "stop"]
Value: TypeAlias = str | int | None  # a choice's stored value


@dataclass(frozen=True)
class Start:
    """Start a procedure (from the menu, a « pourquoi » answer or « lequel ? »)."""

    procedure: str


@dataclass(frozen=True)
class Menu:
    """Show the menu."""


@dataclass(frozen=True)
class Help:
    """Show the help, then the current step again."""


@dataclass(frozen=True)
class Switch:
    """Leave the procedure under way for the one asked for, or stay."""

    leave: bool


@dataclass(frozen=True)
class ChooseMode:
    """« Me guider » or « Le faire pour moi »."""

    mode: Mode


@dataclass(frozen=True)
class Navigate:
    """Précédent, Répéter, Suivant, Arrêter."""

    move: Move


@dataclass(frozen=True)
class TakeBranch:
    """A step's or a question's button that leads elsewhere (``Branch.key``)."""

    key: str


@dataclass(frozen=True)
class Confirm:
    """« Confirmer » under a summary."""


@dataclass(frozen=True)
class Answer:
    """One choice of a question."""

    value: Value


@dataclass(frozen=True)
class Toggle:
    """Select or unselect one choice of a multi-choice question."""

    value: Value


@dataclass(frozen=True)
class Page:
    """Show another page of a question's choices."""

    number: int


@dataclass(frozen=True)
class Validate:
    """« Valider » the choices selected."""


@dataclass(frozen=True)
class Skip:
    """« Passer » an optional question."""


@dataclass(frozen=True)
class Clarify:
    """One answer to « Vouliez-vous dire … ? » (``intent`` None: « Autre chose »)."""

    text: str
    offered: tuple[str, ...]
    lang: Lang
    intent: str | None


@dataclass(frozen=True)
class Handoff:
    """Forward a summary of the conversation to the helpdesk (``send``), or not."""

    send: bool
    text: str = ""


Action: TypeAlias = (
    Start
    | Menu
    | Help
    | Switch
    | ChooseMode
    | Navigate
    | TakeBranch
    | Confirm
    | Answer
    | Toggle
    | Page
    | Validate
    | Skip
    | Clarify
    | Handoff
)


class UnknownAction(ValueError):
    """A stored action this release does not know."""


def dump(action: Action) -> dict[str, Any]:
    """The action as stored with the conversation (JSON)."""
    match action:
        case Start(procedure):
            return {"k": "start", "p": procedure}
        case Menu():
            return {"k": "menu"}
        case Help():
            return {"k": "help"}
        case Switch(leave):
            return {"k": "switch", "v": "leave" if leave else "stay"}
        case ChooseMode(mode):
            return {"k": "mode", "v": mode}
        case Navigate(move):
            return {"k": "nav", "v": move}
        case TakeBranch(key):
            return {"k": "branch", "v": key}
        case Confirm():
            return {"k": "confirm"}
        case Answer(value):
            return {"k": "answer", "v": value}
        case Toggle(value):
            return {"k": "toggle", "v": value}
        case Page(number):
            return {"k": "page", "v": number}
        case Validate():
            return {"k": "validate"}
        case Skip():
            return {"k": "skip"}
        case Clarify(text, offered, lang, intent):
            return {"k": "clarify", "t": text, "o": list(offered), "l": lang, "i": intent}
        case Handoff(send, text):
            return {"k": "handoff", "v": "send" if send else "keep", "t": text}


def load(data: dict[str, Any]) -> Action:
    """An action as :func:`dump` stored it; :class:`UnknownAction` for anything else.

    Matched on (kind, value) rather than on the mapping: read at every turn, for every button."""
    value = data.get("v")
    match data.get("k"), value:
        case "answer", None | str() | int():
            return Answer(value)
        case "toggle", None | str() | int():
            return Toggle(value)
        case "nav", ("back" | "repeat" | "next" | "stop") as move:
            return Navigate(move)
        case "start", _ if isinstance(procedure := data.get("p"), str):
            return Start(procedure)
        case "menu", _:
            return Menu()
        case "help", _:
            return Help()
        case "switch", "leave" | "stay":
            return Switch(value == "leave")
        case "mode", ("guide" | "act") as mode:
            return ChooseMode(mode)
        case "branch", str(key):
            return TakeBranch(key)
        case "confirm", _:
            return Confirm()
        case "page", int(number):
            return Page(number)
        case "validate", _:
            return Validate()
        case "skip", _:
            return Skip()
        case "clarify", _:
            text, offered, lang, intent = data.get("t"), data.get("o"), data.get("l"), data.get("i")
            if isinstance(text, str) and isinstance(offered, list) and lang in ("fr", "en"):
                intent = str(intent) if intent else None
                return Clarify(text, tuple(map(str, offered)), lang, intent)
        case "handoff", "send" | "keep":
            return Handoff(value == "send", str(data.get("t", "")))
    raise UnknownAction(data)
