"""The shape of a question, and the error that sends the same question again with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dialogs.turn import Turn


@dataclass(frozen=True)
class Choice:
    """An option shown as a button: the stored value and its label."""

    value: Any
    label: str


@dataclass(eq=False)
class Invalid(Exception):
    """The answer is refused: ``key`` names the text that says why, ``params`` fill it."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


class Question:
    """Base of every question. Subclasses set ``prompt_key`` and override what they need."""

    prompt_key = ""
    multi = False  # several choices toggled, then "Valider"
    optional = False  # a "Passer" button stores None
    free_text = True  # a typed answer is read by :meth:`parse`
    auto_single = True  # a single choice is taken without asking

    def prompt(self, turn: Turn) -> str:
        return turn.say(self.prompt_key)

    def choices(self, turn: Turn) -> list[Choice]:
        return []

    def parse(self, turn: Turn, text: str) -> Any:
        """Read a typed answer; by default match it against the choices' labels and values."""
        from dialogs.understanding import match_name

        options = self.choices(turn)
        for choice in options:
            if text.strip().casefold() in (str(choice.value).casefold(), choice.label.casefold()):
                return choice.value
        labels = [c.label for c in options]
        found = match_name(text, labels) if labels else None
        if found is None:
            raise Invalid("common.invalid_choice")
        return next(c.value for c in options if c.label == found)

    def check(self, turn: Turn, value: Any) -> Any:
        """Validate a value (from a button, a typed answer or the first sentence) on the server."""
        options = self.choices(turn)
        if options and value not in [c.value for c in options]:
            raise Invalid("common.invalid_choice")
        return value
