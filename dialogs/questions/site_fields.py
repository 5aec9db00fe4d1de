"""Questions for a new site's fields, each answer checked by the domain's validation."""

from __future__ import annotations

from typing import Any

from dialogs.questions.base import Question
from dialogs.turn import Turn
from domain.phone import to_e164
from domain.validation import MAX_NAME, MAX_STREET, postal_code, required_text


class TypedQuestion(Question):
    """A question answered by typing: the text is taken as it is, then checked."""

    auto_single = False

    def parse(self, turn: Turn, text: str) -> Any:
        return text


class RequiredTextQuestion(TypedQuestion):
    """A non-empty text of bounded length (``field`` names it for the domain's error)."""

    def __init__(self, prompt_key: str, field: str, max_length: int = MAX_NAME) -> None:
        self.prompt_key = prompt_key
        self.field = field
        self.max_length = max_length

    def check(self, turn: Turn, value: Any) -> Any:
        return required_text(self.field, value, self.max_length)


class StreetQuestion(RequiredTextQuestion):
    def __init__(self, prompt_key: str) -> None:
        super().__init__(prompt_key, "street", MAX_STREET)


class PostalCodeQuestion(TypedQuestion):
    """Five digits of a real French department (the domain says which are)."""

    def __init__(self, prompt_key: str) -> None:
        self.prompt_key = prompt_key

    def check(self, turn: Turn, value: Any) -> Any:
        return postal_code(value)


class PhoneQuestion(TypedQuestion):
    """An optional French phone number, kept in E.164 and shown as people write it."""

    optional = True

    def __init__(self, prompt_key: str) -> None:
        self.prompt_key = prompt_key

    def parse(self, turn: Turn, text: str) -> Any:
        """The skip button's label typed instead of pressed skips too."""
        skip = turn.say("common.buttons.skip").casefold()
        return None if text.strip().casefold() == skip else text

    def check(self, turn: Turn, value: Any) -> Any:
        return to_e164(str(value))
